//! VPC Lattice: services with their listeners and target groups, service networks with their
//! VPC and service associations, resource gateways and resource configurations with the AWS
//! RAM shares that name them.

use serde_json::Value;

use super::{value_int, Conv};
use crate::import::cloudformation::eval::resource_ref;
use crate::import::draft::{
    LatticeService, ResourceAddress, ResourceConfiguration, ResourceGateway, ServiceNetwork,
    TargetGroup,
};

/// `iam` for `AWS_IAM`, else `none`.
fn auth(c: &mut Conv, id: &str, r: &Value) -> String {
    match c.text(id, r, "AuthType").as_deref() {
        Some("AWS_IAM") => "iam".to_string(),
        _ => "none".to_string(),
    }
}

/// The logical id (or literal id) at `pointer` inside property `key`.
fn ref_at(c: &mut Conv, id: &str, r: &Value, key: &str, pointer: &str) -> Option<String> {
    let v = c.prop(id, r, key)?;
    match v.pointer(pointer)? {
        Value::String(s) => Some(s.clone()),
        other => resource_ref(other).map(str::to_string),
    }
}

pub(super) fn lattice(c: &mut Conv) {
    target_groups(c);
    for (id, r) in c.of_type("AWS::VpcLattice::Service") {
        let src = c.source(id, "AWS::VpcLattice::Service", r);
        let auth = auth(c, id, r);
        c.draft.lattice_services.push(LatticeService {
            src,
            auth,
            listeners: Vec::new(),
        });
    }
    for (id, r) in c.of_type("AWS::VpcLattice::Listener") {
        let service = ref_at(c, id, r, "ServiceIdentifier", "");
        let target = ref_at(
            c,
            id,
            r,
            "DefaultAction",
            "/Forward/TargetGroups/0/TargetGroupIdentifier",
        );
        let (Some(service), Some(target)) = (service, target) else {
            c.warn(id, "a listener needs a service of the template and a default action forwarding to a target group; not imported");
            continue;
        };
        let protocol = match c.text(id, r, "Protocol").as_deref() {
            Some("HTTPS") => "https",
            Some("TLS_PASSTHROUGH") => "tls",
            _ => "http",
        };
        let port = c
            .int(id, r, "Port")
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(if protocol == "http" { 80 } else { 443 });
        match c
            .draft
            .lattice_services
            .iter_mut()
            .find(|s| s.src.id == service)
        {
            Some(s) => s.listeners.push((protocol.to_string(), port, target)),
            None => c.warn(
                id,
                format!("its service `{service}` is not in the template; not imported"),
            ),
        }
    }
    for (id, r) in c.of_type("AWS::VpcLattice::ServiceNetwork") {
        let src = c.source(id, "AWS::VpcLattice::ServiceNetwork", r);
        let auth = auth(c, id, r);
        let mut n = ServiceNetwork {
            src,
            auth,
            ..ServiceNetwork::default()
        };
        for (aid, ar) in c.of_type("AWS::VpcLattice::ServiceNetworkVpcAssociation") {
            if ref_at(c, aid, ar, "ServiceNetworkIdentifier", "").as_deref() == Some(id) {
                if let Some(v) = c.reference(aid, ar, "VpcIdentifier") {
                    n.vpcs.push(v);
                }
            }
        }
        for (aid, ar) in c.of_type("AWS::VpcLattice::ServiceNetworkServiceAssociation") {
            if ref_at(c, aid, ar, "ServiceNetworkIdentifier", "").as_deref() == Some(id) {
                if let Some(s) = ref_at(c, aid, ar, "ServiceIdentifier", "") {
                    n.services.push(s);
                }
            }
        }
        c.draft.service_networks.push(n);
    }
    resources(c);
}

/// A Lattice target group is the vnet target group its metadata names (an exported
/// template's), or a target group of its own.
fn target_groups(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::VpcLattice::TargetGroup") {
        let Some(vpc) = ref_at(c, id, r, "Config", "/VpcIdentifier") else {
            c.warn(id, "no VPC in `Config`; not imported");
            continue;
        };
        let Some(&vi) = c.vpc_of.get(&vpc) else {
            c.warn(
                id,
                format!("its VPC `{vpc}` is not a VPC of this template; not imported"),
            );
            continue;
        };
        let named = Conv::metadata(r, "TargetGroup").and_then(|v| v.as_str().map(str::to_string));
        let existing = named.and_then(|n| {
            c.draft.vpcs[vi]
                .target_groups
                .iter()
                .find(|t| t.src.name.as_deref() == Some(n.as_str()))
                .map(|t| t.src.id.clone())
        });
        if let Some(tg) = existing {
            c.draft.aliases.insert(id.to_string(), tg);
            continue;
        }
        let src = c.source(id, "AWS::VpcLattice::TargetGroup", r);
        let config = c.prop(id, r, "Config").unwrap_or(Value::Null);
        let targets = match c.prop(id, r, "Targets") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|t| {
                    t.get("Id").and_then(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        other => resource_ref(other).map(str::to_string),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        let tg = TargetGroup {
            src,
            protocol: config
                .get("Protocol")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            port: config
                .get("Port")
                .and_then(value_int)
                .and_then(|p| u16::try_from(p).ok()),
            targets,
        };
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].target_groups.push(tg);
    }
}

fn resources(c: &mut Conv) {
    for (sid, sr) in c.of_type("AWS::RAM::ResourceShare") {
        let configurations = c.of_type("AWS::VpcLattice::ResourceConfiguration");
        let arns = c.references(sid, sr, "ResourceArns");
        if !arns
            .iter()
            .any(|a| configurations.iter().any(|(id, _)| id == a))
        {
            c.warn(
                sid,
                "shares no resource configuration of the template (vnet models only those shares); not imported",
            );
        }
    }
    for (id, r) in c.of_type("AWS::VpcLattice::ResourceGateway") {
        let Some(vi) = c.vpc_prop(id, r, "VpcIdentifier") else {
            continue;
        };
        let src = c.source(id, "AWS::VpcLattice::ResourceGateway", r);
        let g = ResourceGateway {
            src,
            subnets: c.references(id, r, "SubnetIds"),
            security_groups: c.references(id, r, "SecurityGroupIds"),
        };
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].resource_gateways.push(g);
    }
    for (id, r) in c.of_type("AWS::VpcLattice::ResourceConfiguration") {
        let gateway = c.reference(id, r, "ResourceGatewayId");
        let Some(vi) = gateway.as_ref().and_then(|g| c.in_vpc.get(g)).copied() else {
            c.warn(
                id,
                "no resource gateway of the template (a resource configuration lives in its gateway's VPC); not imported",
            );
            continue;
        };
        let src = c.source(id, "AWS::VpcLattice::ResourceConfiguration", r);
        let address =
            match Conv::metadata(r, "Address").and_then(|v| v.as_str().map(str::to_string)) {
                Some(name) => c.draft.vpcs[vi]
                    .workloads
                    .iter()
                    .find(|w| w.src.name.as_deref() == Some(name.as_str()))
                    .map(|w| ResourceAddress::Workload(w.src.id.clone())),
                None => {
                    let def = c.prop(id, r, "ResourceConfigurationDefinition");
                    let def = def.as_ref();
                    if let Some(ip) = def
                        .and_then(|d| d.get("IpResource"))
                        .and_then(Value::as_str)
                    {
                        Some(ResourceAddress::Ip(ip.to_string()))
                    } else {
                        def.and_then(|d| d.pointer("/DnsResource/DomainName"))
                            .and_then(Value::as_str)
                            .map(|d| ResourceAddress::Dns(d.to_string()))
                    }
                }
            };
        let port = match c.prop(id, r, "PortRanges") {
            Some(Value::Array(ranges)) => ranges.first().and_then(value_int),
            _ => None,
        }
        .and_then(|p| u16::try_from(p).ok());
        let mut share_with = Vec::new();
        for (sid, sr) in c.of_type("AWS::RAM::ResourceShare") {
            let names = c
                .references(sid, sr, "ResourceArns")
                .iter()
                .any(|a| a == id);
            if names {
                if let Some(Value::Array(p)) = c.prop(sid, sr, "Principals") {
                    share_with.extend(p.iter().filter_map(|x| x.as_str().map(str::to_string)));
                }
            }
        }
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi]
            .resource_configurations
            .push(ResourceConfiguration {
                src,
                gateway,
                address,
                port,
                share_with,
            });
    }
}
