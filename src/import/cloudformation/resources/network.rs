//! VPCs and gateways; subnets, route tables and routes; peerings, transit gateways and VPN
//! connections.

use super::{value_int, Conv};
use crate::import::draft::{
    Attachment, Connection, NatGateway, Peering, Route, RouteTable, RouteTarget, Site, Subnet,
    TransitGateway, Vpc,
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
pub(super) fn associate(
    c: &mut Conv,
    id: &str,
    subnet: &str,
    target: &str,
    set: fn(&mut Subnet, String),
) {
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
