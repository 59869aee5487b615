//! The resource types, one function per group: VPCs and gateways; subnets, route tables and
//! routes; NACLs and security groups; endpoints and workloads; peerings, transit gateways
//! and VPN connections.

use serde_json::Value;

use super::{protocol, value_int, Conv};
use crate::import::cloudformation::eval::resource_ref;
use crate::import::draft::{
    Attachment, Connection, Endpoint, Nacl, NaclEntry, NatGateway, Peer, Peering, Route,
    RouteTable, RouteTarget, SecurityGroup, SgRule, Site, Subnet, TransitGateway, Vpc, Workload,
};

pub(super) fn vpcs(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::EC2::VPC") {
        let src = c.source(id, "AWS::EC2::VPC", r);
        let cidr = c.text(id, r, "CidrBlock");
        if cidr.is_none() {
            c.warn(
                id,
                "no CidrBlock that can be resolved (from an IPAM pool or unresolvable); the VPC cannot be written",
            );
        }
        // CloudFormation's defaults: DNS hostnames off, DNS support on.
        let dns_hostnames = c.boolean(id, r, "EnableDnsHostnames").unwrap_or(false);
        let dns_support = c.boolean(id, r, "EnableDnsSupport").unwrap_or(true);
        c.vpc_of.insert(id.to_string(), c.draft.vpcs.len());
        c.draft.vpcs.push(Vpc {
            src,
            region: Some(c.eval.region.clone()),
            cidrs: cidr.into_iter().collect(),
            dns_hostnames: Some(dns_hostnames),
            dns_support: Some(dns_support),
            ..Vpc::default()
        });
    }
    for (id, r) in c.of_type("AWS::EC2::VPCCidrBlock") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        if let Some(cidr) = c.text(id, r, "CidrBlock") {
            c.draft.vpcs[vi].cidrs.push(cidr);
        } else if c.boolean(id, r, "AmazonProvidedIpv6CidrBlock") == Some(true) {
            match Conv::metadata(r, "Ipv6CidrBlock").and_then(|v| v.as_str().map(str::to_string)) {
                Some(block) => c.draft.vpcs[vi].cidrs.push(block),
                None => c.warn(id, "an Amazon-provided IPv6 block is assigned at deployment; the VPC is imported without it"),
            }
        } else {
            c.warn(
                id,
                "CIDR block from an IPAM pool cannot be resolved; left out",
            );
        }
    }
    for (id, r) in c.of_type("AWS::EC2::VPCGatewayAttachment") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        if let Some(g) = c.reference(id, r, "InternetGatewayId") {
            match c
                .of_type("AWS::EC2::InternetGateway")
                .into_iter()
                .find(|(x, _)| *x == g)
            {
                Some((gid, gr)) => {
                    let src = c.source(gid, "AWS::EC2::InternetGateway", gr);
                    c.in_vpc.insert(gid.to_string(), vi);
                    c.draft.vpcs[vi].internet_gateways.push(src);
                }
                None => c.warn(
                    id,
                    format!("internet gateway `{g}` is not in the template; not imported"),
                ),
            }
        }
        if let Some(g) = c.reference(id, r, "VpnGatewayId") {
            match c
                .of_type("AWS::EC2::VPNGateway")
                .into_iter()
                .find(|(x, _)| *x == g)
            {
                Some((gid, gr)) => {
                    let src = c.source(gid, "AWS::EC2::VPNGateway", gr);
                    let asn = c
                        .int(gid, gr, "AmazonSideAsn")
                        .and_then(|a| u32::try_from(a).ok());
                    c.in_vpc.insert(gid.to_string(), vi);
                    c.draft.vpcs[vi].vpn_gateways.push((src, asn));
                }
                None => c.warn(
                    id,
                    format!("VPN gateway `{g}` is not in the template; not imported"),
                ),
            }
        }
    }
    for kind in ["AWS::EC2::InternetGateway", "AWS::EC2::VPNGateway"] {
        for (id, _) in c.of_type(kind) {
            if !c.in_vpc.contains_key(id) {
                c.warn(id, "attached to no VPC of the template; not imported");
            }
        }
    }
}

pub(super) fn subnets_and_routes(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::EC2::Subnet") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::EC2::Subnet", r);
        let az = c.text(id, r, "AvailabilityZone");
        if az.is_none() {
            c.warn(
                id,
                "no AvailabilityZone (an AvailabilityZoneId cannot be mapped to a name offline)",
            );
        }
        let subnet = Subnet {
            src,
            az,
            cidr: c.text(id, r, "CidrBlock"),
            ipv6_cidr: c.text(id, r, "Ipv6CidrBlock"),
            public_ip_on_launch: c.boolean(id, r, "MapPublicIpOnLaunch").unwrap_or(false),
            ..Subnet::default()
        };
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].subnets.push(subnet);
    }
    for (id, r) in c.of_type("AWS::EC2::RouteTable") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::EC2::RouteTable", r);
        let main = Conv::metadata(r, "Main")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].route_tables.push(RouteTable {
            src,
            main,
            routes: Vec::new(),
        });
    }
    for (id, r) in c.of_type("AWS::EC2::SubnetRouteTableAssociation") {
        let (Some(subnet), Some(table)) = (
            c.reference(id, r, "SubnetId"),
            c.reference(id, r, "RouteTableId"),
        ) else {
            continue;
        };
        associate(c, id, &subnet, &table, |s, t| s.route_table = Some(t));
    }
    for (id, r) in c.of_type("AWS::EC2::Route") {
        let Some(table) = c.reference(id, r, "RouteTableId") else {
            continue;
        };
        let Some(&vi) = c.in_vpc.get(&table) else {
            c.warn(
                id,
                format!("route table `{table}` is not in the template; not imported"),
            );
            continue;
        };
        let Some(destination) = c
            .text(id, r, "DestinationCidrBlock")
            .or_else(|| c.text(id, r, "DestinationIpv6CidrBlock"))
            .or_else(|| c.text(id, r, "DestinationPrefixListId"))
        else {
            c.warn(id, "no destination; not imported");
            continue;
        };
        let mut target = RouteTarget::Blackhole;
        let mut found = false;
        for key in [
            "GatewayId",
            "NatGatewayId",
            "InstanceId",
            "VpcPeeringConnectionId",
            "TransitGatewayId",
            "NetworkInterfaceId",
        ] {
            if let Some(t) = c.reference(id, r, key) {
                target = RouteTarget::Id(t);
                found = true;
                break;
            }
        }
        for (key, kind) in [
            (
                "EgressOnlyInternetGatewayId",
                "egress-only internet gateway",
            ),
            ("CarrierGatewayId", "carrier gateway"),
            ("LocalGatewayId", "local gateway"),
            ("VpcEndpointId", "Gateway Load Balancer endpoint"),
            ("CoreNetworkArn", "Cloud WAN core network"),
        ] {
            if let Some(t) = c.reference(id, r, key).filter(|_| !found) {
                target = RouteTarget::Unsupported(kind.to_string(), t);
                found = true;
            }
        }
        if !found {
            c.warn(id, "no target that can be resolved; not imported");
            continue;
        }
        if let Some(rt) = c.draft.vpcs[vi]
            .route_tables
            .iter_mut()
            .find(|t| t.src.id == table)
        {
            rt.routes.push(Route {
                destination,
                target,
            });
        }
    }
    for (id, r) in c.of_type("AWS::EC2::NatGateway") {
        let Some(subnet) = c.reference(id, r, "SubnetId") else {
            c.warn(id, "no SubnetId; not imported");
            continue;
        };
        let Some(&vi) = c.in_vpc.get(&subnet) else {
            c.warn(
                id,
                format!("subnet `{subnet}` is not in the template; not imported"),
            );
            continue;
        };
        let src = c.source(id, "AWS::EC2::NatGateway", r);
        let private = c.text(id, r, "ConnectivityType").as_deref() == Some("private");
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].nat_gateways.push(NatGateway {
            src,
            subnet: Some(subnet),
            private,
        });
    }
}

/// A subnet association (route table or NACL): both ends in one VPC of the template.
fn associate(c: &mut Conv, id: &str, subnet: &str, target: &str, set: fn(&mut Subnet, String)) {
    match (c.in_vpc.get(subnet).copied(), c.in_vpc.get(target).copied()) {
        (Some(a), Some(b)) if a == b => {
            if let Some(s) = c.draft.vpcs[a]
                .subnets
                .iter_mut()
                .find(|s| s.src.id == subnet)
            {
                set(s, target.to_string());
            }
        }
        (Some(_), Some(_)) => c.warn(
            id,
            format!("associates `{subnet}` with `{target}` of another VPC; left out"),
        ),
        (None, _) => c.warn(
            id,
            format!("subnet `{subnet}` is not in the template; left out"),
        ),
        (_, None) => c.warn(id, format!("`{target}` is not in the template; left out")),
    }
}

pub(super) fn filters(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::EC2::NetworkAcl") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::EC2::NetworkAcl", r);
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].nacls.push(Nacl {
            src,
            default: false,
            entries: Vec::new(),
        });
    }
    for (id, r) in c.of_type("AWS::EC2::NetworkAclEntry") {
        let Some(acl) = c.reference(id, r, "NetworkAclId") else {
            continue;
        };
        let Some(&vi) = c.in_vpc.get(&acl) else {
            c.warn(
                id,
                format!("network ACL `{acl}` is not in the template; not imported"),
            );
            continue;
        };
        let Some(number) = c.int(id, r, "RuleNumber") else {
            c.warn(id, "no RuleNumber; not imported");
            continue;
        };
        let Some(cidr) = c
            .text(id, r, "CidrBlock")
            .or_else(|| c.text(id, r, "Ipv6CidrBlock"))
        else {
            c.warn(id, "no CidrBlock; not imported");
            continue;
        };
        let ports = c.prop(id, r, "PortRange").map(|p| {
            (
                p.get("From").and_then(value_int).unwrap_or(0),
                p.get("To").and_then(value_int).unwrap_or(65535),
            )
        });
        let icmp = c
            .prop(id, r, "Icmp")
            .map(|p| (p.get("Type").and_then(value_int).unwrap_or(-1), -1));
        let entry = NaclEntry {
            egress: c.boolean(id, r, "Egress").unwrap_or(false),
            number,
            allow: c.text(id, r, "RuleAction").as_deref() == Some("allow"),
            protocol: protocol(c.text(id, r, "Protocol")),
            ports: ports.or(icmp),
            cidr,
        };
        if let Some(n) = c.draft.vpcs[vi].nacls.iter_mut().find(|n| n.src.id == acl) {
            n.entries.push(entry);
        }
    }
    for (id, r) in c.of_type("AWS::EC2::SubnetNetworkAclAssociation") {
        let (Some(subnet), Some(acl)) = (
            c.reference(id, r, "SubnetId"),
            c.reference(id, r, "NetworkAclId"),
        ) else {
            continue;
        };
        associate(c, id, &subnet, &acl, |s, a| s.nacl = Some(a));
    }
    for (id, r) in c.of_type("AWS::EC2::SecurityGroup") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::EC2::SecurityGroup", r);
        let ingress = sg_rules(c, id, r, "SecurityGroupIngress", false);
        let egress_given = r
            .get("Properties")
            .and_then(|p| p.get("SecurityGroupEgress"))
            .is_some();
        let egress = sg_rules(c, id, r, "SecurityGroupEgress", true);
        // An exported group without a description has its name as description (AWS
        // requires one): that says nothing more, so it is not kept.
        let description = c
            .text(id, r, "GroupDescription")
            .filter(|d| Some(d) != src.name.as_ref());
        let sg = SecurityGroup {
            src,
            default: false,
            description,
            ingress,
            egress,
            egress_given,
        };
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].security_groups.push(sg);
    }
    for (kind, egress) in [
        ("AWS::EC2::SecurityGroupIngress", false),
        ("AWS::EC2::SecurityGroupEgress", true),
    ] {
        for (id, r) in c.of_type(kind) {
            let Some(group) = c
                .reference(id, r, "GroupId")
                .or_else(|| c.reference(id, r, "GroupName"))
            else {
                c.warn(id, "no GroupId; not imported");
                continue;
            };
            let Some(&vi) = c.in_vpc.get(&group) else {
                c.warn(
                    id,
                    format!("security group `{group}` is not in the template; not imported"),
                );
                continue;
            };
            let props = match r
                .get("Properties")
                .map(|p| c.eval.eval(p, &format!("Resources.{id}.Properties")))
            {
                Some(Ok(p)) => p,
                Some(Err(u)) => {
                    c.warn(
                        &u.path,
                        format!("cannot be resolved: {}; rule not imported", u.reason),
                    );
                    continue;
                }
                None => continue,
            };
            let rules = rule_list(c, id, &[props], egress);
            if let Some(g) = c.draft.vpcs[vi]
                .security_groups
                .iter_mut()
                .find(|g| g.src.id == group)
            {
                if egress {
                    g.egress.extend(rules);
                } else {
                    g.ingress.extend(rules);
                }
            }
        }
    }
}

fn sg_rules(c: &mut Conv, id: &str, r: &Value, key: &str, egress: bool) -> Vec<SgRule> {
    match c.prop(id, r, key) {
        Some(Value::Array(items)) => rule_list(c, id, &items, egress),
        _ => Vec::new(),
    }
}

fn rule_list(c: &mut Conv, id: &str, items: &[Value], egress: bool) -> Vec<SgRule> {
    let mut out = Vec::new();
    let field = |v: &Value, k: &str| -> Option<String> {
        match v.get(k)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            other => resource_ref(other).map(str::to_string),
        }
    };
    for item in items {
        // The placeholder an exported template uses to remove AWS's default egress rule.
        if field(item, "Description").as_deref() == Some(crate::export::cloudformation::NO_EGRESS) {
            continue;
        }
        let ports = match (
            item.get("FromPort").and_then(value_int),
            item.get("ToPort").and_then(value_int),
        ) {
            (Some(f), Some(t)) => Some((f, t)),
            (Some(f), None) => Some((f, f)),
            _ => None,
        };
        let (group_key, prefix_key) = if egress {
            ("DestinationSecurityGroupId", "DestinationPrefixListId")
        } else {
            ("SourceSecurityGroupId", "SourcePrefixListId")
        };
        let peer = if let Some(cidr) = field(item, "CidrIp").or_else(|| field(item, "CidrIpv6")) {
            Peer::Cidr(cidr)
        } else if let Some(g) =
            field(item, group_key).or_else(|| field(item, "SourceSecurityGroupName"))
        {
            Peer::Group(g)
        } else if let Some(pl) = field(item, prefix_key) {
            Peer::PrefixList(pl)
        } else {
            c.warn(
                id,
                "a rule with no peer (CidrIp, group or prefix list); left out",
            );
            continue;
        };
        out.push(SgRule {
            protocol: protocol(field(item, "IpProtocol")),
            ports,
            peer,
            description: field(item, "Description"),
        });
    }
    out
}

pub(super) fn endpoints_and_workloads(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::EC2::VPCEndpoint") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::EC2::VPCEndpoint", r);
        let Some(service) = c.text(id, r, "ServiceName") else {
            c.warn(id, "no ServiceName that can be resolved; not imported");
            continue;
        };
        let kind = c
            .text(id, r, "VpcEndpointType")
            .unwrap_or_else(|| "Gateway".to_string());
        if kind != "Gateway" && kind != "Interface" {
            c.warn(
                id,
                format!("endpoint type `{kind}` is not modelled; not imported"),
            );
            continue;
        }
        let e = Endpoint {
            src,
            service,
            gateway: kind == "Gateway",
            route_tables: c.references(id, r, "RouteTableIds"),
            subnets: c.references(id, r, "SubnetIds"),
            security_groups: c.references(id, r, "SecurityGroupIds"),
            private_dns: c.boolean(id, r, "PrivateDnsEnabled").unwrap_or(false),
        };
        c.draft.vpcs[vi].endpoints.push(e);
    }
    for (id, r) in c.of_type("AWS::EC2::Instance") {
        let mut subnets: Vec<String> = c.reference(id, r, "SubnetId").into_iter().collect();
        let mut groups = c.references(id, r, "SecurityGroupIds");
        let mut private_ip = c.text(id, r, "PrivateIpAddress");
        let mut public_ip = None;
        if let Some(Value::Array(nis)) = c.prop(id, r, "NetworkInterfaces") {
            for ni in &nis {
                if let Some(s) = ni.get("SubnetId").and_then(as_id) {
                    subnets.push(s);
                }
                if let Some(Value::Array(gs)) = ni.get("GroupSet") {
                    groups.extend(gs.iter().filter_map(as_id));
                }
                private_ip = private_ip.or_else(|| {
                    ni.get("PrivateIpAddress")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                });
                if let Some(p) = ni.get("AssociatePublicIpAddress") {
                    public_ip = Some(p == &Value::Bool(true) || p == "true");
                }
            }
        }
        groups.dedup();
        workload(
            c,
            id,
            r,
            "instance",
            "AWS::EC2::Instance",
            subnets,
            groups,
            private_ip,
            public_ip,
        );
    }
    for (id, r) in c.of_type("AWS::Lambda::Function") {
        let Some(config) = c.prop(id, r, "VpcConfig") else {
            continue; // not attached to a VPC: no network presence vnet models
        };
        let list = |k: &str| -> Vec<String> {
            config
                .get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(as_id).collect())
                .unwrap_or_default()
        };
        let (subnets, groups) = (list("SubnetIds"), list("SecurityGroupIds"));
        workload(
            c,
            id,
            r,
            "function",
            "AWS::Lambda::Function",
            subnets,
            groups,
            None,
            None,
        );
    }
    for kind in ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"] {
        for (id, r) in c.of_type(kind) {
            if kind == "AWS::RDS::DBInstance"
                && r.pointer("/Properties/DBClusterIdentifier").is_some()
            {
                continue; // an instance of a cluster: the cluster stands for it
            }
            let Some(group) = c.reference(id, r, "DBSubnetGroupName") else {
                c.warn(
                    id,
                    "no DBSubnetGroupName (the default VPC is not in the template); not imported",
                );
                continue;
            };
            let subnets = match c
                .of_type("AWS::RDS::DBSubnetGroup")
                .into_iter()
                .find(|(g, _)| *g == group)
            {
                Some((gid, gr)) => c.references(gid, gr, "SubnetIds"),
                None => Vec::new(),
            };
            let mut groups = c.references(id, r, "VPCSecurityGroups");
            groups.extend(c.references(id, r, "VpcSecurityGroupIds"));
            let engine = c.text(id, r, "Engine");
            let port = c.int(id, r, "Port").and_then(|p| u16::try_from(p).ok());
            workload(c, id, r, "database", kind, subnets, groups, None, None);
            if let Some(w) = c
                .draft
                .vpcs
                .iter_mut()
                .flat_map(|v| v.workloads.iter_mut())
                .find(|w| w.src.id == id)
            {
                w.engine = engine;
                w.port = port;
            }
        }
    }
}

fn as_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => resource_ref(other).map(str::to_string),
    }
}

#[allow(clippy::too_many_arguments)]
fn workload(
    c: &mut Conv,
    id: &str,
    r: &Value,
    kind: &'static str,
    resource_type: &str,
    subnets: Vec<String>,
    groups: Vec<String>,
    private_ip: Option<String>,
    public_ip: Option<bool>,
) {
    let Some(&vi) = subnets.iter().find_map(|s| c.in_vpc.get(s)) else {
        c.warn(id, "none of its subnets is in the template; not imported");
        return;
    };
    let src = c.source(id, resource_type, r);
    c.draft.vpcs[vi].workloads.push(Workload {
        src,
        kind,
        subnets,
        security_groups: groups,
        private_ip,
        public_ip,
        ..Workload::default()
    });
}

pub(super) fn connections(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::EC2::VPCPeeringConnection") {
        let src = c.source(id, "AWS::EC2::VPCPeeringConnection", r);
        let requester = c.reference(id, r, "VpcId");
        let accepter = c.reference(id, r, "PeerVpcId");
        c.draft.peerings.push(Peering {
            src,
            requester,
            accepter,
        });
    }
    let tgws = c.of_type("AWS::EC2::TransitGateway");
    for (id, r) in &tgws {
        let src = c.source(id, "AWS::EC2::TransitGateway", r);
        let asn = c
            .int(id, r, "AmazonSideAsn")
            .and_then(|a| u32::try_from(a).ok());
        c.draft.transit_gateways.push(TransitGateway {
            src,
            region: Some(c.eval.region.clone()),
            asn,
            ..TransitGateway::default()
        });
    }
    let tgw_index = |c: &Conv, t: &str| c.draft.transit_gateways.iter().position(|x| x.src.id == t);
    for kind in [
        "AWS::EC2::TransitGatewayAttachment",
        "AWS::EC2::TransitGatewayVpcAttachment",
    ] {
        for (id, r) in c.of_type(kind) {
            let Some(t) = c.reference(id, r, "TransitGatewayId") else {
                continue;
            };
            let Some(ti) = tgw_index(c, &t) else {
                c.warn(
                    id,
                    format!("transit gateway `{t}` is not in the template; not imported"),
                );
                continue;
            };
            let src = c.source(id, kind, r);
            let vpc = c.reference(id, r, "VpcId");
            let subnets = c.references(id, r, "SubnetIds");
            c.draft.transit_gateways[ti]
                .attachments
                .push(Attachment { src, vpc, subnets });
        }
    }
    let tables: Vec<(String, Option<String>)> = c
        .of_type("AWS::EC2::TransitGatewayRouteTable")
        .into_iter()
        .map(|(id, r)| (id.to_string(), r))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(id, r)| {
            let t = c.reference(&id, r, "TransitGatewayId");
            (id, t)
        })
        .collect();
    for (id, r) in c.of_type("AWS::EC2::TransitGatewayRoute") {
        let Some(table) = c.reference(id, r, "TransitGatewayRouteTableId") else {
            continue;
        };
        let Some(ti) = tables
            .iter()
            .find(|(t, _)| *t == table)
            .and_then(|(_, g)| g.as_deref())
            .and_then(|g| tgw_index(c, g))
        else {
            c.warn(id, format!("route table `{table}` is not a transit gateway route table of the template; not imported"));
            continue;
        };
        let Some(dest) = c.text(id, r, "DestinationCidrBlock") else {
            continue;
        };
        let target = if c.boolean(id, r, "Blackhole") == Some(true) {
            None
        } else {
            c.reference(id, r, "TransitGatewayAttachmentId")
        };
        c.draft.transit_gateways[ti].routes.push((dest, target));
    }
    // On-premises networks: one per customer gateway (an exported template's gateways say
    // which network they belong to), with the static routes of its VPN connections as blocks.
    let mut site_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (id, r) in c.of_type("AWS::EC2::CustomerGateway") {
        let site_name = Conv::metadata(r, "Site").and_then(|v| v.as_str().map(str::to_string));
        let key = site_name.clone().unwrap_or_else(|| id.to_string());
        let site = match site_of.get(&key) {
            Some(k) => *k,
            None => {
                let mut src = c.source(id, "AWS::EC2::CustomerGateway", r);
                if let Some(n) = &site_name {
                    src.name = Some(n.clone());
                }
                let asn = match Conv::metadata(r, "Asn") {
                    Some(a) => value_int(&a).and_then(|a| u32::try_from(a).ok()),
                    None => c.int(id, r, "BgpAsn").and_then(|a| u32::try_from(a).ok()),
                };
                let cidrs = Conv::metadata(r, "Cidrs")
                    .and_then(|v| v.as_array().cloned())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                c.draft.sites.push(Site {
                    src,
                    asn,
                    cidrs,
                    connections: Vec::new(),
                });
                site_of.insert(key, c.draft.sites.len() - 1);
                c.draft.sites.len() - 1
            }
        };
        let ip = c.text(id, r, "IpAddress");
        for (vid, vr) in c.of_type("AWS::EC2::VPNConnection") {
            if c.reference(vid, vr, "CustomerGatewayId").as_deref() != Some(id) {
                continue;
            }
            let gateway = c
                .reference(vid, vr, "VpnGatewayId")
                .or_else(|| c.reference(vid, vr, "TransitGatewayId"));
            let src = c.source(vid, "AWS::EC2::VPNConnection", vr);
            let mut cidrs = Vec::new();
            for (rid, rr) in c.of_type("AWS::EC2::VPNConnectionRoute") {
                if c.reference(rid, rr, "VpnConnectionId").as_deref() == Some(vid) {
                    cidrs.extend(c.text(rid, rr, "DestinationCidrBlock"));
                }
            }
            let s = &mut c.draft.sites[site];
            for cidr in cidrs {
                if !s.cidrs.contains(&cidr) {
                    s.cidrs.push(cidr);
                }
            }
            s.connections.push(Connection {
                src,
                gateway,
                customer_gateway: ip.clone(),
            });
        }
    }
}
