//! From describe outputs to a [`Draft`]: VPCs and what lives in them. References stay AWS
//! ids; an object whose VPC is missing, or an association to a missing object, becomes a
//! warning naming it.

use std::collections::HashMap;

use serde_json::Value;

use super::Collection;
use crate::import::draft::{
    self, Draft, Endpoint, Nacl, NaclEntry, NatGateway, Peer, Route, RouteTable, RouteTarget,
    SecurityGroup, SgRule, Source, Subnet, Vpc, Workload,
};
use crate::import::Warning;

/// A string field.
pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

pub(super) fn int(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

pub(super) fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The `Name` tag (`Tags`, or `TagSet` in network interfaces).
pub(super) fn name_tag(v: &Value) -> Option<String> {
    array(v, "Tags")
        .iter()
        .chain(array(v, "TagSet"))
        .find(|t| text(t, "Key").as_deref() == Some("Name"))
        .and_then(|t| text(t, "Value"))
        .filter(|n| !n.trim().is_empty())
}

/// The source of an object: its id, its `Name` tag and the trace comment.
pub(super) fn source(id: &str, v: &Value, extra: &str) -> Source {
    source_named(id, name_tag(v), v, extra)
}

pub(super) fn source_named(id: &str, name: Option<String>, v: &Value, extra: &str) -> Source {
    let mut trace = format!("aws: {id}");
    if let Some(n) = &name {
        trace.push_str(&format!("  name {n:?}"));
    }
    let top_level = ["vpc-", "pcx-", "tgw-", "cgw-", "vpn-"];
    if let Some(owner) = text(v, "OwnerId").filter(|_| top_level.iter().any(|p| id.starts_with(p)))
    {
        trace.push_str(&format!("  account {owner}"));
    }
    if !extra.is_empty() {
        trace.push_str("  ");
        trace.push_str(extra);
    }
    Source {
        id: id.to_string(),
        name,
        trace,
    }
}

pub(super) struct Conv<'a> {
    pub collections: &'a [Collection],
    pub draft: Draft,
    pub vpc_of: HashMap<String, usize>,
    /// Subnet id to VPC index.
    pub subnet_vpc: HashMap<String, usize>,
    pub warnings: Vec<Warning>,
}

impl<'a> Conv<'a> {
    pub fn warn(&mut self, subject: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            subject: subject.to_string(),
            message: message.into(),
        });
    }

    /// The objects of every collection named `key`, with the region of their file's path.
    /// An object found twice (the same call saved in both layouts) counts once.
    pub fn items(&self, key: &str) -> Vec<(&'a Value, Option<&'a str>)> {
        let mut seen = std::collections::HashSet::new();
        self.collections
            .iter()
            .filter(|c| c.key == key)
            .flat_map(|c| c.items.iter().map(|v| (v, c.region.as_deref())))
            .filter(|(v, _)| seen.insert(v.to_string()))
            .collect()
    }

    /// The VPC an object belongs to, or a warning that it is missing.
    pub fn vpc(&mut self, id: &str, v: &Value) -> Option<usize> {
        let Some(vpc) = text(v, "VpcId") else {
            self.warn(id, "belongs to no VPC (EC2-Classic?); not imported");
            return None;
        };
        match self.vpc_of.get(&vpc) {
            Some(i) => Some(*i),
            None => {
                self.warn(
                    id,
                    format!("its VPC `{vpc}` is not in the input; not imported"),
                );
                None
            }
        }
    }
}

pub(super) fn convert(collections: &[Collection]) -> (Draft, Vec<Warning>) {
    let mut c = Conv {
        collections,
        draft: Draft::default(),
        vpc_of: HashMap::new(),
        subnet_vpc: HashMap::new(),
        warnings: Vec::new(),
    };
    vpcs(&mut c);
    if !c.draft.vpcs.is_empty() {
        for (key, consequence) in [
            ("RouteTables", "every subnet gets an implicit main route table with local routes only, so routing findings may come from the missing data"),
            ("NetworkAcls", "every subnet gets the default network ACL (allows all)"),
        ] {
            if !collections.iter().any(|x| x.key == key) {
                c.warn(key, format!("not in the input: {consequence}"));
            }
        }
    }
    subnets(&mut c);
    route_tables(&mut c);
    nacls(&mut c);
    security_groups(&mut c);
    gateways(&mut c);
    endpoints(&mut c);
    super::services::prefix_lists(&mut c);
    super::services::load_balancers(&mut c);
    super::services::databases_and_functions(&mut c);
    super::network::workloads(&mut c);
    for col in collections {
        if let Some(rest) = col.key.strip_prefix("unmodelled:") {
            let (key, why) = rest.split_once(':').unwrap_or((rest, ""));
            c.warn(
                key,
                format!("{} objects not imported: {why}", col.items.len()),
            );
        }
    }
    super::network::peerings(&mut c);
    super::network::transit_gateways(&mut c);
    super::network::vpn(&mut c);
    (c.draft, c.warnings)
}

fn vpcs(c: &mut Conv) {
    for (v, region) in c.items("Vpcs") {
        let Some(id) = text(v, "VpcId") else {
            c.warn("Vpcs", "a VPC without VpcId; skipped");
            continue;
        };
        if c.vpc_of.contains_key(&id) {
            continue; // the same VPC in two files
        }
        let mut cidrs: Vec<String> = Vec::new();
        cidrs.extend(text(v, "CidrBlock"));
        for a in array(v, "CidrBlockAssociationSet") {
            let state = a.pointer("/CidrBlockState/State").and_then(Value::as_str);
            if let (Some(cidr), Some("associated") | None) = (text(a, "CidrBlock"), state) {
                if !cidrs.contains(&cidr) {
                    cidrs.push(cidr);
                }
            }
        }
        for a in array(v, "Ipv6CidrBlockAssociationSet") {
            cidrs.extend(text(a, "Ipv6CidrBlock"));
        }
        let extra = region.map(|r| format!("region {r}")).unwrap_or_default();
        let vpc = Vpc {
            src: source(&id, v, &extra),
            region: region.map(str::to_string),
            cidrs,
            dns_hostnames: v.get("EnableDnsHostnames").and_then(Value::as_bool),
            dns_support: v.get("EnableDnsSupport").and_then(Value::as_bool),
            ..Vpc::default()
        };
        c.vpc_of.insert(id, c.draft.vpcs.len());
        c.draft.vpcs.push(vpc);
    }
}

fn subnets(c: &mut Conv) {
    for (v, _) in c.items("Subnets") {
        let Some(id) = text(v, "SubnetId") else {
            continue;
        };
        let Some(vi) = c.vpc(&id, v) else { continue };
        let az = text(v, "AvailabilityZone");
        if let (Some(arn), Some(az)) = (text(v, "SubnetArn"), az.as_deref()) {
            let arn_region = arn.split(':').nth(3).unwrap_or_default().to_string();
            if crate::aws::region_of_az(az).is_some_and(|r| r != arn_region) {
                c.warn(
                    &id,
                    format!(
                        "its ARN says region {arn_region} but its zone is {az}; the zone is kept"
                    ),
                );
            }
        }
        let ipv6 = array(v, "Ipv6CidrBlockAssociationSet")
            .iter()
            .find_map(|a| text(a, "Ipv6CidrBlock"));
        let extra = az.clone().unwrap_or_default();
        c.subnet_vpc.insert(id.clone(), vi);
        c.draft.vpcs[vi].subnets.push(Subnet {
            src: source(&id, v, &extra),
            az,
            cidr: text(v, "CidrBlock"),
            ipv6_cidr: ipv6,
            route_table: None,
            nacl: None,
            public_ip_on_launch: v.get("MapPublicIpOnLaunch").and_then(Value::as_bool)
                == Some(true),
        });
    }
}

/// Records a subnet association; a missing subnet is a warning naming both ends.
fn associate(c: &mut Conv, owner: &str, vi: usize, subnet: &str, set: fn(&mut Subnet, String)) {
    match c.draft.vpcs[vi]
        .subnets
        .iter_mut()
        .find(|s| s.src.id == subnet)
    {
        Some(s) => set(s, owner.to_string()),
        None => {
            let why = match c.subnet_vpc.get(subnet) {
                Some(_) => "a subnet of another VPC",
                None => "a subnet that is not in the input",
            };
            c.warn(
                owner,
                format!("association with {why} (`{subnet}`); left out"),
            );
        }
    }
}

fn route_tables(c: &mut Conv) {
    for (v, _) in c.items("RouteTables") {
        let Some(id) = text(v, "RouteTableId") else {
            continue;
        };
        let Some(vi) = c.vpc(&id, v) else { continue };
        let mut main = false;
        for a in array(v, "Associations") {
            if a.get("Main").and_then(Value::as_bool) == Some(true) {
                main = true;
            }
            if let Some(subnet) = text(a, "SubnetId") {
                associate(c, &id, vi, &subnet, |s, rt| s.route_table = Some(rt));
            } else if let Some(gw) = text(a, "GatewayId") {
                c.warn(&id, format!("edge association with gateway `{gw}` (ingress routing) is not modelled; left out"));
            }
        }
        let mut routes = Vec::new();
        for r in array(v, "Routes") {
            let Some(destination) = text(r, "DestinationCidrBlock")
                .or_else(|| text(r, "DestinationIpv6CidrBlock"))
                .or_else(|| text(r, "DestinationPrefixListId"))
            else {
                continue;
            };
            let target = route_target(r);
            let target = match (text(r, "State").as_deref(), target) {
                (Some("blackhole"), RouteTarget::Id(t)) => {
                    c.warn(&id, format!("route {destination} -> {t} is a blackhole in AWS (its target is gone); written as blackhole"));
                    RouteTarget::Blackhole
                }
                (_, t) => t,
            };
            routes.push(Route {
                destination,
                target,
            });
        }
        c.draft.vpcs[vi].route_tables.push(RouteTable {
            src: source(&id, v, if main { "main" } else { "" }),
            main,
            routes,
        });
    }
}

fn route_target(r: &Value) -> RouteTarget {
    if let Some(g) = text(r, "GatewayId") {
        return if g == "local" {
            RouteTarget::Local
        } else {
            RouteTarget::Id(g)
        };
    }
    for key in [
        "NatGatewayId",
        "TransitGatewayId",
        "VpcPeeringConnectionId",
        "InstanceId",
    ] {
        if let Some(t) = text(r, key) {
            return RouteTarget::Id(t);
        }
    }
    if let Some(eni) = text(r, "NetworkInterfaceId") {
        return RouteTarget::Id(eni);
    }
    for (key, kind) in [
        (
            "EgressOnlyInternetGatewayId",
            "egress-only internet gateway",
        ),
        ("CarrierGatewayId", "carrier gateway"),
        ("LocalGatewayId", "local gateway"),
        ("CoreNetworkArn", "Cloud WAN core network"),
    ] {
        if let Some(t) = text(r, key) {
            return RouteTarget::Unsupported(kind.to_string(), t);
        }
    }
    RouteTarget::Blackhole
}

fn nacls(c: &mut Conv) {
    for (v, _) in c.items("NetworkAcls") {
        let Some(id) = text(v, "NetworkAclId") else {
            continue;
        };
        let Some(vi) = c.vpc(&id, v) else { continue };
        for a in array(v, "Associations") {
            if let Some(subnet) = text(a, "SubnetId") {
                associate(c, &id, vi, &subnet, |s, acl| s.nacl = Some(acl));
            }
        }
        let entries = array(v, "Entries")
            .iter()
            .filter_map(|e| {
                Some(NaclEntry {
                    egress: e.get("Egress").and_then(Value::as_bool).unwrap_or(false),
                    number: int(e, "RuleNumber")?,
                    allow: text(e, "RuleAction").as_deref() == Some("allow"),
                    protocol: draft::proto(&text(e, "Protocol").unwrap_or_default()),
                    ports: e
                        .get("PortRange")
                        .map(|p| (int(p, "From").unwrap_or(0), int(p, "To").unwrap_or(65535)))
                        .or_else(|| {
                            e.get("IcmpTypeCode").map(|t| {
                                (int(t, "Type").unwrap_or(-1), int(t, "Code").unwrap_or(-1))
                            })
                        }),
                    cidr: text(e, "CidrBlock").or_else(|| text(e, "Ipv6CidrBlock"))?,
                })
            })
            .collect();
        let default = v.get("IsDefault").and_then(Value::as_bool) == Some(true);
        c.draft.vpcs[vi].nacls.push(Nacl {
            src: source(&id, v, if default { "default" } else { "" }),
            default,
            entries,
        });
    }
}

fn sg_rules(c: &mut Conv, id: &str, permissions: &[Value]) -> Vec<SgRule> {
    let mut out = Vec::new();
    for p in permissions {
        let protocol = draft::proto(&text(p, "IpProtocol").unwrap_or_default());
        let ports = match (int(p, "FromPort"), int(p, "ToPort")) {
            (Some(f), Some(t)) => Some((f, t)),
            _ => None,
        };
        let mut push = |peer: Peer, description: Option<String>| {
            out.push(SgRule {
                protocol: protocol.clone(),
                ports,
                peer,
                description,
            })
        };
        for r in array(p, "IpRanges") {
            if let Some(cidr) = text(r, "CidrIp") {
                push(Peer::Cidr(cidr), text(r, "Description"));
            }
        }
        for r in array(p, "Ipv6Ranges") {
            if let Some(cidr) = text(r, "CidrIpv6") {
                push(Peer::Cidr(cidr), text(r, "Description"));
            }
        }
        for r in array(p, "PrefixListIds") {
            if let Some(pl) = text(r, "PrefixListId") {
                push(Peer::PrefixList(pl), text(r, "Description"));
            }
        }
        for r in array(p, "UserIdGroupPairs") {
            if let Some(g) = text(r, "GroupId") {
                push(Peer::Group(g), text(r, "Description"));
            }
        }
    }
    let _ = (c, id);
    out
}

fn security_groups(c: &mut Conv) {
    for (v, _) in c.items("SecurityGroups") {
        let Some(id) = text(v, "GroupId") else {
            continue;
        };
        let Some(vi) = c.vpc(&id, v) else { continue };
        let group_name = text(v, "GroupName");
        let default = group_name.as_deref() == Some("default");
        let name = name_tag(v).or_else(|| group_name.clone());
        let extra = group_name
            .map(|g| format!("group {g:?}"))
            .unwrap_or_default();
        let ingress = sg_rules(c, &id, array(v, "IpPermissions"));
        let egress = sg_rules(c, &id, array(v, "IpPermissionsEgress"));
        c.draft.vpcs[vi].security_groups.push(SecurityGroup {
            src: source_named(&id, name, v, &extra),
            default,
            description: text(v, "Description"),
            ingress,
            egress,
            egress_given: v.get("IpPermissionsEgress").is_some(),
        });
    }
}

fn gateways(c: &mut Conv) {
    for (v, _) in c.items("InternetGateways") {
        let Some(id) = text(v, "InternetGatewayId") else {
            continue;
        };
        let vpcs: Vec<String> = array(v, "Attachments")
            .iter()
            .filter_map(|a| text(a, "VpcId"))
            .collect();
        if vpcs.is_empty() {
            c.warn(&id, "attached to no VPC; not imported");
        }
        for vpc in vpcs {
            match c.vpc_of.get(&vpc) {
                Some(&vi) => c.draft.vpcs[vi].internet_gateways.push(source(&id, v, "")),
                None => c.warn(
                    &id,
                    format!("attached to VPC `{vpc}`, which is not in the input; not imported"),
                ),
            }
        }
    }
    for (v, _) in c.items("NatGateways") {
        let Some(id) = text(v, "NatGatewayId") else {
            continue;
        };
        let state = text(v, "State").unwrap_or_default();
        if matches!(state.as_str(), "deleted" | "deleting" | "failed") {
            c.warn(&id, format!("state {state}; not imported"));
            continue;
        }
        let Some(vi) = c.vpc(&id, v) else { continue };
        let private = text(v, "ConnectivityType").as_deref() == Some("private");
        let subnet = text(v, "SubnetId");
        c.draft.vpcs[vi].nat_gateways.push(NatGateway {
            src: source(&id, v, ""),
            subnet,
            private,
        });
    }
}

fn endpoints(c: &mut Conv) {
    for (v, _) in c.items("VpcEndpoints") {
        let Some(id) = text(v, "VpcEndpointId") else {
            continue;
        };
        let Some(vi) = c.vpc(&id, v) else { continue };
        let kind = text(v, "VpcEndpointType").unwrap_or_default();
        if !matches!(kind.as_str(), "Gateway" | "Interface") {
            c.warn(
                &id,
                format!("endpoint type `{kind}` is not modelled; not imported"),
            );
            continue;
        }
        let strings = |key: &str| -> Vec<String> {
            array(v, key)
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        };
        let service = text(v, "ServiceName").unwrap_or_default();
        c.draft.vpcs[vi].endpoints.push(Endpoint {
            src: source(&id, v, &service),
            service,
            gateway: kind == "Gateway",
            route_tables: strings("RouteTableIds"),
            subnets: strings("SubnetIds"),
            security_groups: array(v, "Groups")
                .iter()
                .filter_map(|g| text(g, "GroupId"))
                .collect(),
            private_dns: v.get("PrivateDnsEnabled").and_then(Value::as_bool) == Some(true),
        });
    }
}

/// A workload from an instance or a network interface.
pub(super) fn workload(
    src: Source,
    kind: &'static str,
    v: &Value,
    subnets: Vec<String>,
    groups: Vec<String>,
) -> Workload {
    Workload {
        src,
        kind,
        subnets,
        security_groups: groups,
        private_ip: text(v, "PrivateIpAddress"),
        public_ip: Some(
            text(v, "PublicIpAddress").is_some() || v.pointer("/Association/PublicIp").is_some(),
        ),
        ..Workload::default()
    }
}
