//! VPC Lattice, as in the CloudFormation export: service networks and their associations,
//! services with listeners forwarding to Lattice target groups (one per vnet target group a
//! listener names), resource gateways and resource configurations shared through AWS RAM.

use std::collections::BTreeSet;

use serde_json::json;

use super::compute::{groups, subnets};
use super::{attr, tags, Config};
use crate::export::cloudformation::lattice_auth_type as auth_type;
use crate::export::{lattice_name, short};
use crate::ir::{ResourceAddress, Target, WorkloadKind};

pub(super) fn services(c: &mut Config) {
    let network = c.network;
    let used: BTreeSet<usize> = network
        .lattice_services
        .iter()
        .flat_map(|s| s.listeners.iter().map(|l| l.target_group.index()))
        .collect();
    for i in used {
        target_group(c, i);
    }
    for s in &network.lattice_services {
        let id = c.id(&s.name);
        c.add(
            "aws_vpclattice_service",
            &id,
            json!({ "name": lattice_name(&s.name), "auth_type": auth_type(&s.auth), "tags": tags(&s.name) }),
        );
        for l in &s.listeners {
            let lid = c.id(&format!("{}.listener.{}", s.name, l.port));
            let tg = c.id(&format!(
                "{}.lattice",
                network.target_groups[l.target_group.index()].name
            ));
            let protocol = match l.protocol.to_ascii_lowercase().as_str() {
                "https" => "HTTPS",
                "tls" | "tls_passthrough" => "TLS_PASSTHROUGH",
                _ => "HTTP",
            };
            c.add(
                "aws_vpclattice_listener",
                &lid,
                json!({
                    "name": format!("{}-{}", protocol.to_ascii_lowercase().replace('_', "-"), l.port),
                    "service_identifier": attr("aws_vpclattice_service", &id, "id"),
                    "protocol": protocol,
                    "port": l.port,
                    "default_action": [{ "forward": [{ "target_groups": [{
                        "target_group_identifier": attr("aws_vpclattice_target_group", &tg, "id"),
                        "weight": 100,
                    }] }] }],
                }),
            );
        }
    }
    for n in &network.service_networks {
        let id = c.id(&n.name);
        c.add(
            "aws_vpclattice_service_network",
            &id,
            json!({ "name": lattice_name(&n.name), "auth_type": auth_type(&n.auth), "tags": tags(&n.name) }),
        );
        for v in &n.vpcs {
            let vpc_name = &network.vpcs[v.index()].name;
            let vpc = c.id(vpc_name);
            let aid = c.id(&format!("{}.vpc.{vpc_name}", n.name));
            c.add(
                "aws_vpclattice_service_network_vpc_association",
                &aid,
                json!({
                    "service_network_identifier": attr("aws_vpclattice_service_network", &id, "id"),
                    "vpc_identifier": attr("aws_vpc", &vpc, "id"),
                }),
            );
        }
        for s in &n.services {
            let service_name = &network.lattice_services[s.index()].name;
            let service = c.id(service_name);
            let aid = c.id(&format!("{}.service.{service_name}", n.name));
            c.add(
                "aws_vpclattice_service_network_service_association",
                &aid,
                json!({
                    "service_network_identifier": attr("aws_vpclattice_service_network", &id, "id"),
                    "service_identifier": attr("aws_vpclattice_service", &service, "id"),
                }),
            );
        }
    }
}

fn target_group(c: &mut Config, index: usize) {
    let network = c.network;
    let tg = &network.target_groups[index];
    let id = c.id(&format!("{}.lattice", tg.name));
    let vpc = c.id(&network.vpcs[tg.vpc.index()].name);
    let ip_targets = tg.targets.iter().any(|x| matches!(x, Target::Address(_)));
    let port = tg.port.unwrap_or(80);
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
    c.add(
        "aws_vpclattice_target_group",
        &id,
        json!({
            "name": lattice_name(&tg.name),
            "type": if ip_targets { "IP" } else { "INSTANCE" },
            "config": [{ "vpc_identifier": attr("aws_vpc", &vpc, "id"), "protocol": protocol, "port": port }],
            "tags": tags(short(&tg.name)),
        }),
    );
    for (n, target) in tg.targets.iter().enumerate() {
        let target_id = match (target, ip_targets) {
            (Target::Address(a), true) => a.to_string(),
            (Target::Workload(w), false)
                if network.workloads[w.index()].kind == WorkloadKind::Instance =>
            {
                attr(
                    "aws_instance",
                    &c.id(&network.workloads[w.index()].name),
                    "id",
                )
            }
            _ => {
                c.notes.push(format!("{}: a Lattice target group holds instances or IP addresses, not both (nor functions or databases); a target is left out", tg.name));
                continue;
            }
        };
        let aid = c.id(&format!("{}.lattice.target.{}", tg.name, n + 1));
        c.add(
            "aws_vpclattice_target_group_attachment",
            &aid,
            json!({
                "target_group_identifier": attr("aws_vpclattice_target_group", &id, "id"),
                "target": [{ "id": target_id, "port": port }],
            }),
        );
    }
}

pub(super) fn resources(c: &mut Config) {
    let network = c.network;
    for g in &network.resource_gateways {
        let id = c.id(&g.name);
        let vpc = c.id(&network.vpcs[g.vpc.index()].name);
        let mut body = json!({
            "name": lattice_name(&g.name),
            "vpc_id": attr("aws_vpc", &vpc, "id"),
            "subnet_ids": subnets(c, &g.subnets),
            "tags": tags(short(&g.name)),
        });
        let sgs = groups(c, &g.security_groups);
        if !sgs.is_empty() {
            body["security_group_ids"] = json!(sgs);
        }
        c.add("aws_vpclattice_resource_gateway", &id, body);
    }
    for r in &network.resource_configurations {
        let id = c.id(&r.name);
        let mut body = json!({
            "name": lattice_name(&r.name),
            "type": "SINGLE",
            "protocol": "TCP",
            "tags": tags(short(&r.name)),
        });
        if let Some(g) = r.gateway {
            let gid = c.id(&network.resource_gateways[g.index()].name);
            body["resource_gateway_identifier"] =
                json!(attr("aws_vpclattice_resource_gateway", &gid, "id"));
        }
        if let Some(port) = r.port {
            body["port_ranges"] = json!([port.to_string()]);
        }
        let dns = |name: String| json!([{ "dns_resource": [{ "domain_name": name, "ip_address_type": "IPV4" }] }]);
        let ip = |address: String| json!([{ "ip_resource": [{ "ip_address": address }] }]);
        let definition = match &r.address {
            Some(ResourceAddress::Ip(a)) => Some(ip(a.to_string())),
            Some(ResourceAddress::Dns(d)) => Some(dns(d.clone())),
            Some(ResourceAddress::Workload(w)) => {
                let w = &network.workloads[w.index()];
                let wid = c.id(&w.name);
                match w.kind {
                    WorkloadKind::Instance => Some(ip(attr("aws_instance", &wid, "private_ip"))),
                    WorkloadKind::Database
                        if w.engine.as_deref().is_some_and(|e| e.starts_with("aurora")) =>
                    {
                        Some(dns(attr("aws_rds_cluster", &wid, "endpoint")))
                    }
                    WorkloadKind::Database => Some(dns(attr("aws_db_instance", &wid, "address"))),
                    WorkloadKind::Function => {
                        c.notes.push(format!("{}: a Lambda function has no address a resource configuration can name; give it one by hand", r.name));
                        None
                    }
                }
            }
            None => None,
        };
        if let Some(d) = definition {
            body["resource_configuration_definition"] = d;
        }
        c.add("aws_vpclattice_resource_configuration", &id, body);
        if !r.share_with.is_empty() {
            let sid = c.id(&format!("{}.share", r.name));
            c.add(
                "aws_ram_resource_share",
                &sid,
                json!({
                    "name": format!("{}-share", lattice_name(&r.name)),
                    "allow_external_principals": true,
                    "tags": tags(short(&r.name)),
                }),
            );
            let share = attr("aws_ram_resource_share", &sid, "arn");
            let aid = c.id(&format!("{}.share.resource", r.name));
            c.add(
                "aws_ram_resource_association",
                &aid,
                json!({
                    "resource_arn": attr("aws_vpclattice_resource_configuration", &id, "arn"),
                    "resource_share_arn": share,
                }),
            );
            for account in &r.share_with {
                let pid = c.id(&format!("{}.share.{account}", r.name));
                c.add(
                    "aws_ram_principal_association",
                    &pid,
                    json!({ "principal": account, "resource_share_arn": share }),
                );
            }
        }
    }
}
