//! VPC Lattice: service networks and their VPC and service associations, services with their
//! listeners (each forwarding to a Lattice target group made from the vnet target group it
//! names), resource gateways and resource configurations, shared through AWS RAM.

use std::collections::BTreeSet;

use serde_json::json;

use super::compute::{group_ids, subnet_refs};
use super::{get_att, name_tag, reference, Template};
use crate::export::{lattice_name, short};
use crate::ir::{ResourceAddress, Target, WorkloadKind};

/// `AWS_IAM` for `auth iam`, else `NONE`.
pub(crate) fn auth_type(auth: &str) -> &'static str {
    if auth.eq_ignore_ascii_case("iam") {
        "AWS_IAM"
    } else {
        "NONE"
    }
}

pub(super) fn services(t: &mut Template) {
    let network = t.network;
    // Lattice target groups: one per vnet target group a listener names.
    let used: BTreeSet<usize> = network
        .lattice_services
        .iter()
        .flat_map(|s| s.listeners.iter().map(|l| l.target_group.index()))
        .collect();
    for i in used {
        target_group(t, i);
    }
    for s in &network.lattice_services {
        let id = t.id(&s.name);
        t.add(
            &id,
            "AWS::VpcLattice::Service",
            json!({
                "Name": lattice_name(&s.name),
                "AuthType": auth_type(&s.auth),
                "Tags": name_tag(&s.name),
            }),
        );
        for l in &s.listeners {
            let lid = t.id(&format!("{}.listener.{}", s.name, l.port));
            let tg = t.id(&format!(
                "{}.lattice",
                network.target_groups[l.target_group.index()].name
            ));
            let protocol = match l.protocol.to_ascii_lowercase().as_str() {
                "https" => "HTTPS",
                "tls" | "tls_passthrough" => "TLS_PASSTHROUGH",
                _ => "HTTP",
            };
            t.add(
                &lid,
                "AWS::VpcLattice::Listener",
                json!({
                    "ServiceIdentifier": reference(&id),
                    "Protocol": protocol,
                    "Port": l.port,
                    "DefaultAction": { "Forward": { "TargetGroups": [
                        { "TargetGroupIdentifier": reference(&tg), "Weight": 100 }
                    ] } },
                }),
            );
        }
    }
    for n in &network.service_networks {
        let id = t.id(&n.name);
        t.add(
            &id,
            "AWS::VpcLattice::ServiceNetwork",
            json!({
                "Name": lattice_name(&n.name),
                "AuthType": auth_type(&n.auth),
                "Tags": name_tag(&n.name),
            }),
        );
        for v in &n.vpcs {
            let vpc_name = &network.vpcs[v.index()].name;
            let vpc = t.id(vpc_name);
            let aid = t.id(&format!("{}.vpc.{vpc_name}", n.name));
            t.add(
                &aid,
                "AWS::VpcLattice::ServiceNetworkVpcAssociation",
                json!({ "ServiceNetworkIdentifier": reference(&id), "VpcIdentifier": reference(&vpc) }),
            );
        }
        for s in &n.services {
            let service_name = &network.lattice_services[s.index()].name;
            let service = t.id(service_name);
            let aid = t.id(&format!("{}.service.{service_name}", n.name));
            t.add(
                &aid,
                "AWS::VpcLattice::ServiceNetworkServiceAssociation",
                json!({ "ServiceNetworkIdentifier": reference(&id), "ServiceIdentifier": reference(&service) }),
            );
        }
    }
}

/// The Lattice target group of vnet target group `index` (instances or IP addresses).
fn target_group(t: &mut Template, index: usize) {
    let network = t.network;
    let tg = &network.target_groups[index];
    let id = t.id(&format!("{}.lattice", tg.name));
    let vpc = t.id(&network.vpcs[tg.vpc.index()].name);
    let ip_targets = tg.targets.iter().any(|x| matches!(x, Target::Address(_)));
    let mut targets = Vec::new();
    for target in &tg.targets {
        match (target, ip_targets) {
            (Target::Address(a), true) => targets.push(json!({ "Id": a.to_string() })),
            (Target::Workload(w), false)
                if network.workloads[w.index()].kind == WorkloadKind::Instance =>
            {
                targets.push(json!({ "Id": reference(&t.id(&network.workloads[w.index()].name)) }))
            }
            _ => t.notes.push(format!(
                "{}: a Lattice target group holds instances or IP addresses, not both (nor functions or databases); a target is left out",
                tg.name
            )),
        }
    }
    let protocol = match tg
        .protocol
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("https") => "HTTPS",
        Some("tcp") | Some("tls") => "TCP",
        _ => "HTTP",
    };
    t.add(
        &id,
        "AWS::VpcLattice::TargetGroup",
        json!({
            "Name": lattice_name(&tg.name),
            "Type": if ip_targets { "IP" } else { "INSTANCE" },
            "Config": {
                "VpcIdentifier": reference(&vpc),
                "Protocol": protocol,
                "Port": tg.port.unwrap_or(80),
            },
            "Targets": targets,
            "Tags": name_tag(short(&tg.name)),
        }),
    );
    t.set(
        &id,
        "Metadata",
        json!({ "vnet": { "TargetGroup": short(&tg.name) } }),
    );
}

pub(super) fn resources(t: &mut Template) {
    let network = t.network;
    for g in &network.resource_gateways {
        let id = t.id(&g.name);
        let vpc = t.id(&network.vpcs[g.vpc.index()].name);
        let mut p = json!({
            "Name": lattice_name(&g.name),
            "VpcIdentifier": reference(&vpc),
            "SubnetIds": subnet_refs(t, &g.subnets),
            "Tags": name_tag(short(&g.name)),
        });
        let groups = group_ids(t, &g.security_groups);
        if !groups.is_empty() {
            p["SecurityGroupIds"] = json!(groups);
        }
        t.add(&id, "AWS::VpcLattice::ResourceGateway", p);
    }
    for r in &network.resource_configurations {
        let id = t.id(&r.name);
        let mut p = json!({
            "Name": lattice_name(&r.name),
            "ResourceConfigurationType": "SINGLE",
            "ProtocolType": "TCP",
            "Tags": name_tag(short(&r.name)),
        });
        if let Some(g) = r.gateway {
            p["ResourceGatewayId"] = reference(&t.id(&network.resource_gateways[g.index()].name));
        }
        if let Some(port) = r.port {
            p["PortRanges"] = json!([port.to_string()]);
        }
        let mut meta = serde_json::Map::new();
        match &r.address {
            Some(ResourceAddress::Ip(a)) => {
                p["ResourceConfigurationDefinition"] = json!({ "IpResource": a.to_string() });
            }
            Some(ResourceAddress::Dns(d)) => {
                p["ResourceConfigurationDefinition"] =
                    json!({ "DnsResource": { "DomainName": d, "IpAddressType": "IPV4" } });
            }
            Some(ResourceAddress::Workload(w)) => {
                let w = &network.workloads[w.index()];
                let wid = t.id(&w.name);
                meta.insert("Address".into(), json!(short(&w.name)));
                match w.kind {
                    WorkloadKind::Instance => {
                        p["ResourceConfigurationDefinition"] =
                            json!({ "IpResource": get_att(&wid, "PrivateIp") });
                    }
                    WorkloadKind::Database => {
                        p["ResourceConfigurationDefinition"] = json!({ "DnsResource": {
                            "DomainName": get_att(&wid, "Endpoint.Address"),
                            "IpAddressType": "IPV4",
                        } });
                    }
                    WorkloadKind::Function => t.notes.push(format!(
                        "{}: a Lambda function has no address a resource configuration can name; give it one by hand",
                        r.name
                    )),
                }
            }
            None => {}
        }
        t.add(&id, "AWS::VpcLattice::ResourceConfiguration", p);
        if !meta.is_empty() {
            t.set(&id, "Metadata", json!({ "vnet": meta }));
        }
        if !r.share_with.is_empty() {
            let sid = t.id(&format!("{}.share", r.name));
            t.add(
                &sid,
                "AWS::RAM::ResourceShare",
                json!({
                    "Name": format!("{}-share", lattice_name(&r.name)),
                    "ResourceArns": [get_att(&id, "Arn")],
                    "Principals": r.share_with,
                    "AllowExternalPrincipals": true,
                }),
            );
        }
    }
}
