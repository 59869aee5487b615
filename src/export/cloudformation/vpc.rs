//! VPCs and their plumbing: CIDR blocks, gateways, subnets, route tables and routes, NAT
//! gateways, network ACLs; then peerings, transit gateways and VPN connections.

use ipnet::IpNet;
use serde_json::{json, Value};

use super::{get_att, name_tag, reference, Template};
use crate::export::{ipv6_subnet_index, protocol_number, short};
use crate::ir::{Action, ConnectionGateway, ConnectionType, Protocol, RouteTarget, TgwTarget};

pub(super) fn vpcs(t: &mut Template) {
    let network = t.network;
    for vpc in &network.vpcs {
        let id = t.id(&vpc.name);
        let mut v4 = vpc.cidrs.iter().filter(|c| matches!(c.cidr, IpNet::V4(_)));
        let primary = v4.next().map(|c| c.cidr.to_string()).unwrap_or_default();
        t.add(
            &id,
            "AWS::EC2::VPC",
            json!({
                "CidrBlock": primary,
                "EnableDnsHostnames": vpc.dns_hostnames,
                "EnableDnsSupport": vpc.dns_support,
                "Tags": name_tag(&vpc.name),
            }),
        );
        for c in v4 {
            let cid = t.id(&format!("{}.cidr.{}", vpc.name, c.cidr));
            t.add(
                &cid,
                "AWS::EC2::VPCCidrBlock",
                json!({ "VpcId": reference(&id), "CidrBlock": c.cidr.to_string() }),
            );
        }
        if let Some(v6) = vpc.cidrs.iter().find(|c| matches!(c.cidr, IpNet::V6(_))) {
            let cid = t.id(&format!("{}.ipv6", vpc.name));
            t.add(
                &cid,
                "AWS::EC2::VPCCidrBlock",
                json!({ "VpcId": reference(&id), "AmazonProvidedIpv6CidrBlock": true }),
            );
            t.set(
                &cid,
                "Metadata",
                json!({ "vnet": { "Ipv6CidrBlock": v6.cidr.to_string() } }),
            );
        }
    }
    for g in &network.internet_gateways {
        let id = t.id(&g.name);
        let vpc = t.id(&network.vpcs[g.vpc.index()].name);
        t.add(
            &id,
            "AWS::EC2::InternetGateway",
            json!({ "Tags": name_tag(short(&g.name)) }),
        );
        let att = t.id(&format!("{}.attachment", g.name));
        t.add(
            &att,
            "AWS::EC2::VPCGatewayAttachment",
            json!({ "VpcId": reference(&vpc), "InternetGatewayId": reference(&id) }),
        );
    }
    for g in &network.vpn_gateways {
        let id = t.id(&g.name);
        let vpc = t.id(&network.vpcs[g.vpc.index()].name);
        let mut p = json!({ "Type": "ipsec.1", "Tags": name_tag(short(&g.name)) });
        if let Some(asn) = g.asn {
            p["AmazonSideAsn"] = json!(asn);
        }
        t.add(&id, "AWS::EC2::VPNGateway", p);
        let att = t.id(&format!("{}.attachment", g.name));
        t.add(
            &att,
            "AWS::EC2::VPCGatewayAttachment",
            json!({ "VpcId": reference(&vpc), "VpnGatewayId": reference(&id) }),
        );
    }
    subnets(t);
    for rt in network.route_tables.iter().filter(|r| !r.implicit) {
        let id = t.id(&rt.name);
        let vpc = t.id(&network.vpcs[rt.vpc.index()].name);
        t.add(
            &id,
            "AWS::EC2::RouteTable",
            json!({ "VpcId": reference(&vpc), "Tags": name_tag(short(&rt.name)) }),
        );
        if rt.main {
            // CloudFormation cannot make a table the main one: subnets are associated with
            // it explicitly, and the metadata lets `vnetc import` say `main true` again.
            t.set(&id, "Metadata", json!({ "vnet": { "Main": true } }));
        }
    }
    for nat in &network.nat_gateways {
        let id = t.id(&nat.name);
        let Some(subnet) = nat.subnet else { continue };
        let subnet = t.id(&network.subnets[subnet.index()].name);
        let mut p = json!({ "SubnetId": reference(&subnet), "Tags": name_tag(short(&nat.name)) });
        if nat.public {
            let eip = t.id(&format!("{}.eip", nat.name));
            t.add(&eip, "AWS::EC2::EIP", json!({ "Domain": "vpc" }));
            if let Some(att) = igw_attachment(t, nat.vpc.index()) {
                t.set(&eip, "DependsOn", json!(att));
            }
            p["AllocationId"] = get_att(&eip, "AllocationId");
        } else {
            p["ConnectivityType"] = json!("private");
        }
        t.add(&id, "AWS::EC2::NatGateway", p);
    }
    nacls(t);
}

/// The logical id of the VPC's internet gateway attachment, if it has a gateway.
fn igw_attachment(t: &mut Template, vpc: usize) -> Option<String> {
    let g = t
        .network
        .internet_gateways
        .iter()
        .find(|g| g.vpc.index() == vpc)?;
    Some(t.id(&format!("{}.attachment", g.name)))
}

fn subnets(t: &mut Template) {
    let network = t.network;
    for s in &network.subnets {
        let id = t.id(&s.name);
        let vpc = &network.vpcs[s.vpc.index()];
        let vpc_id = t.id(&vpc.name);
        let mut p = json!({
            "VpcId": reference(&vpc_id),
            "AvailabilityZone": s.az,
            "Tags": name_tag(short(&s.name)),
        });
        let mut depends = Vec::new();
        if let Some(c) = &s.cidr {
            p["CidrBlock"] = json!(c.cidr.to_string());
            let primary = vpc.cidrs.iter().find(|b| matches!(b.cidr, IpNet::V4(_)));
            if let Some(block) = vpc.cidrs.iter().find(|b| b.cidr.contains(&c.cidr)) {
                if primary.is_some_and(|p| p.cidr != block.cidr) {
                    depends.push(t.id(&format!("{}.cidr.{}", vpc.name, block.cidr)));
                }
            }
        }
        if public_ip(s) {
            p["MapPublicIpOnLaunch"] = json!(true);
        }
        if let Some(v6) = &s.ipv6_cidr {
            let block = vpc.cidrs.iter().find(|b| matches!(b.cidr, IpNet::V6(_)));
            if let Some(index) = block.and_then(|b| ipv6_subnet_index(&b.cidr, &v6.cidr)) {
                p["Ipv6CidrBlock"] = json!({ "Fn::Select": [index.to_string(), { "Fn::Cidr": [
                    { "Fn::Select": ["0", get_att(&vpc_id, "Ipv6CidrBlocks")] }, "256", "64"
                ] }] });
                depends.push(t.id(&format!("{}.ipv6", vpc.name)));
            }
        }
        t.add(&id, "AWS::EC2::Subnet", p);
        if !depends.is_empty() {
            t.set(&id, "DependsOn", json!(depends));
        }
        let rt = &network.route_tables[s.route_table.index()];
        if !rt.implicit {
            let rt_id = t.id(&rt.name);
            let assoc = t.id(&format!("{}.route_table", s.name));
            t.add(
                &assoc,
                "AWS::EC2::SubnetRouteTableAssociation",
                json!({ "SubnetId": reference(&id), "RouteTableId": reference(&rt_id) }),
            );
        }
        let nacl = &network.nacls[s.nacl.index()];
        if !nacl.default {
            let nacl_id = t.id(&nacl.name);
            let assoc = t.id(&format!("{}.nacl", s.name));
            t.add(
                &assoc,
                "AWS::EC2::SubnetNetworkAclAssociation",
                json!({ "SubnetId": reference(&id), "NetworkAclId": reference(&nacl_id) }),
            );
        }
    }
}

fn public_ip(s: &crate::ir::Subnet) -> bool {
    s.public_ip_on_launch
}

fn nacls(t: &mut Template) {
    let network = t.network;
    for n in network.nacls.iter().filter(|n| !n.default) {
        let id = t.id(&n.name);
        let vpc = t.id(&network.vpcs[n.vpc.index()].name);
        t.add(
            &id,
            "AWS::EC2::NetworkAcl",
            json!({ "VpcId": reference(&vpc), "Tags": name_tag(short(&n.name)) }),
        );
        for (egress, rules) in [(false, &n.inbound), (true, &n.outbound)] {
            for r in rules {
                let dir = if egress { "out" } else { "in" };
                let rid = t.id(&format!("{}.{dir}.{}", n.name, r.number));
                let mut p = json!({
                    "NetworkAclId": reference(&id),
                    "RuleNumber": r.number,
                    "Protocol": protocol_number(r.protocol).parse::<i64>().unwrap_or(-1),
                    "RuleAction": if r.action == Action::Allow { "allow" } else { "deny" },
                    "Egress": egress,
                });
                cidr_field(&mut p, &r.cidr, "CidrBlock", "Ipv6CidrBlock");
                match r.protocol {
                    Protocol::Tcp | Protocol::Udp => {
                        p["PortRange"] = json!({ "From": r.ports.from, "To": r.ports.to })
                    }
                    Protocol::Icmp => p["Icmp"] = json!({ "Code": -1, "Type": -1 }),
                    Protocol::All => {}
                }
                t.add(&rid, "AWS::EC2::NetworkAclEntry", p);
            }
        }
    }
}

/// Sets `v4` or `v6` to the CIDR, by its IP version.
pub(super) fn cidr_field(p: &mut Value, cidr: &IpNet, v4: &str, v6: &str) {
    let key = if matches!(cidr, IpNet::V4(_)) { v4 } else { v6 };
    p[key] = json!(cidr.to_string());
}

/// Routes, once every target exists (instances, peerings, transit gateway attachments).
pub(super) fn routes(t: &mut Template) {
    let network = t.network;
    for rt in network.route_tables.iter().filter(|r| !r.implicit) {
        let rt_id = t.id(&rt.name);
        let mut n = 0;
        for route in &rt.routes {
            let crate::ir::Destination::Cidr(dest) = &route.destination else {
                continue; // gateway endpoint routes come with the endpoint
            };
            let mut p = json!({ "RouteTableId": reference(&rt_id) });
            cidr_field(
                &mut p,
                dest,
                "DestinationCidrBlock",
                "DestinationIpv6CidrBlock",
            );
            let mut depends = None;
            match route.target {
                RouteTarget::Local | RouteTarget::GatewayEndpoint(_) => continue,
                RouteTarget::Blackhole => {
                    t.notes.push(format!("{}: route {dest} -> blackhole: CloudFormation cannot create a blackhole route", rt.name));
                    continue;
                }
                RouteTarget::InternetGateway(g) => {
                    let g = &network.internet_gateways[g.index()];
                    p["GatewayId"] = reference(&t.id(&g.name));
                    depends = Some(t.id(&format!("{}.attachment", g.name)));
                }
                RouteTarget::VpnGateway(g) => {
                    let g = &network.vpn_gateways[g.index()];
                    p["GatewayId"] = reference(&t.id(&g.name));
                    depends = Some(t.id(&format!("{}.attachment", g.name)));
                }
                RouteTarget::NatGateway(g) => {
                    p["NatGatewayId"] = reference(&t.id(&network.nat_gateways[g.index()].name))
                }
                RouteTarget::Peering(x) => {
                    p["VpcPeeringConnectionId"] =
                        reference(&t.id(&network.peerings[x.index()].name))
                }
                RouteTarget::Instance(x) => {
                    p["InstanceId"] = reference(&t.id(&network.workloads[x.index()].name))
                }
                RouteTarget::TransitGateway(x) => {
                    p["TransitGatewayId"] =
                        reference(&t.id(&network.transit_gateways[x.index()].name));
                    depends = network
                        .attachments
                        .iter()
                        .find(|a| a.transit_gateway == x && a.vpc == Some(rt.vpc))
                        .map(|a| a.name.clone())
                        .map(|a| t.id(&a));
                }
            }
            n += 1;
            let id = t.id(&format!("{}.route.{n}", rt.name));
            t.add(&id, "AWS::EC2::Route", p);
            if let Some(d) = depends {
                t.set(&id, "DependsOn", json!(d));
            }
        }
    }
}

/// Peerings, transit gateways (attachments, static routes) and on-premises VPN connections.
pub(super) fn connections(t: &mut Template) {
    let network = t.network;
    for p in &network.peerings {
        let (Some(a), Some(b)) = (p.requester, p.accepter) else {
            continue;
        };
        let id = t.id(&p.name);
        let (va, vb) = (&network.vpcs[a.index()], &network.vpcs[b.index()]);
        let mut props = json!({
            "VpcId": reference(&t.id(&va.name)),
            "PeerVpcId": reference(&t.id(&vb.name)),
            "Tags": name_tag(&p.name),
        });
        if va.region != vb.region {
            props["PeerRegion"] = json!(vb.region);
        }
        t.add(&id, "AWS::EC2::VPCPeeringConnection", props);
    }
    for (ti, tgw) in network.transit_gateways.iter().enumerate() {
        let id = t.id(&tgw.name);
        // vnet's one route table per transit gateway is an explicit table (CloudFormation
        // gives no id for the default one): every attachment is associated with it and
        // propagates to it, as with AWS's default table.
        let mut p = json!({
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
            "Tags": name_tag(&tgw.name),
        });
        if let Some(asn) = tgw.asn {
            p["AmazonSideAsn"] = json!(asn);
        }
        t.add(&id, "AWS::EC2::TransitGateway", p);
        let table = t.id(&format!("{}.route_table", tgw.name));
        t.add(
            &table,
            "AWS::EC2::TransitGatewayRouteTable",
            json!({ "TransitGatewayId": reference(&id) }),
        );
        for a in network
            .attachments
            .iter()
            .filter(|a| a.transit_gateway.index() == ti)
        {
            let Some(vpc) = a.vpc else { continue };
            let aid = t.id(&a.name);
            let subnets: Vec<Value> = a
                .subnets
                .iter()
                .map(|s| reference(&t.id(&network.subnets[s.index()].name)))
                .collect();
            let vpc_id = t.id(&network.vpcs[vpc.index()].name);
            t.add(
                &aid,
                "AWS::EC2::TransitGatewayAttachment",
                json!({
                    "TransitGatewayId": reference(&id),
                    "VpcId": reference(&vpc_id),
                    "SubnetIds": subnets,
                    "Tags": name_tag(short(&a.name)),
                }),
            );
            let assoc = t.id(&format!("{}.association", a.name));
            t.add(&assoc, "AWS::EC2::TransitGatewayRouteTableAssociation", json!({ "TransitGatewayAttachmentId": reference(&aid), "TransitGatewayRouteTableId": reference(&table) }));
            let propagation = t.id(&format!("{}.propagation", a.name));
            t.add(&propagation, "AWS::EC2::TransitGatewayRouteTablePropagation", json!({ "TransitGatewayAttachmentId": reference(&aid), "TransitGatewayRouteTableId": reference(&table) }));
        }
        for (n, r) in tgw.routes.iter().filter(|r| !r.propagated).enumerate() {
            let mut p = json!({
                "TransitGatewayRouteTableId": reference(&table),
                "DestinationCidrBlock": r.destination.to_string(),
            });
            match r.target {
                TgwTarget::Attachment(a) => {
                    p["TransitGatewayAttachmentId"] =
                        reference(&t.id(&network.attachments[a.index()].name))
                }
                TgwTarget::Blackhole => p["Blackhole"] = json!(true),
                TgwTarget::Connection(c) => {
                    t.notes.push(format!("{}: route {} -> {}: CloudFormation gives no VPN attachment id to route to; the VPN's routes propagate instead", tgw.name, r.destination, network.connections[c.index()].name));
                    continue;
                }
            }
            let rid = t.id(&format!("{}.route.{}", tgw.name, n + 1));
            t.add(&rid, "AWS::EC2::TransitGatewayRoute", p);
        }
    }
    for c in &network.connections {
        let site = &network.on_premises[c.on_premises.index()];
        if c.kind == ConnectionType::DirectConnect {
            t.notes.push(format!(
                "{}: Direct Connect is a physical line; not exported",
                c.name
            ));
            continue;
        }
        let (Some(ip), Some(gateway)) = (c.customer_gateway, c.gateway) else {
            t.notes.push(format!(
                "{}: a VPN connection needs `customer_gateway` and `gateway`; not exported",
                c.name
            ));
            continue;
        };
        let cgw = t.id(&format!("{}.customer_gateway", c.name));
        t.add(
            &cgw,
            "AWS::EC2::CustomerGateway",
            json!({
                "Type": "ipsec.1",
                "IpAddress": ip.to_string(),
                "BgpAsn": c.asn.or(site.asn).unwrap_or(65000),
                "Tags": name_tag(&site.name),
            }),
        );
        // The on-premises network itself has no CloudFormation resource: its name, blocks
        // and ASN ride on each of its customer gateways.
        let cidrs: Vec<String> = site.cidrs.iter().map(|b| b.cidr.to_string()).collect();
        let mut meta = json!({ "Site": site.name, "Cidrs": cidrs });
        if let Some(asn) = site.asn {
            meta["Asn"] = json!(asn);
        }
        t.set(&cgw, "Metadata", json!({ "vnet": meta }));
        let id = t.id(&c.name);
        let mut p = json!({ "Type": "ipsec.1", "CustomerGatewayId": reference(&cgw), "StaticRoutesOnly": matches!(gateway, ConnectionGateway::VpnGateway(_)), "Tags": name_tag(short(&c.name)) });
        match gateway {
            ConnectionGateway::VpnGateway(g) => {
                p["VpnGatewayId"] = reference(&t.id(&network.vpn_gateways[g.index()].name))
            }
            ConnectionGateway::TransitGateway(g) => {
                p["TransitGatewayId"] = reference(&t.id(&network.transit_gateways[g.index()].name))
            }
        }
        t.add(&id, "AWS::EC2::VPNConnection", p);
        if matches!(gateway, ConnectionGateway::VpnGateway(_)) {
            for (n, cidr) in site.cidrs.iter().enumerate() {
                let rid = t.id(&format!("{}.route.{}", c.name, n + 1));
                t.add(&rid, "AWS::EC2::VPNConnectionRoute", json!({ "VpnConnectionId": reference(&id), "DestinationCidrBlock": cidr.cidr.to_string() }));
            }
        }
    }
}
