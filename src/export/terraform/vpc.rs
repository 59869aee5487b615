//! VPCs, CIDR blocks, gateways, subnets, route tables and routes, NAT gateways, network
//! ACLs; peerings, transit gateways and VPN connections.

use ipnet::IpNet;
use serde_json::{json, Value};

use super::{attr, tags, Config};
use crate::export::{ipv6_subnet_index, short};
use crate::ir::{
    Action, ConnectionGateway, ConnectionType, Destination, Protocol, RouteTarget, TgwTarget,
};

pub(super) fn vpcs(c: &mut Config) {
    let network = c.network;
    for vpc in &network.vpcs {
        let id = c.id(&vpc.name);
        let mut v4 = vpc.cidrs.iter().filter(|b| matches!(b.cidr, IpNet::V4(_)));
        let primary = v4.next().map(|b| b.cidr.to_string()).unwrap_or_default();
        let mut body = json!({
            "cidr_block": primary,
            "enable_dns_hostnames": vpc.dns_hostnames,
            "enable_dns_support": vpc.dns_support,
            "tags": tags(&vpc.name),
        });
        if vpc.cidrs.iter().any(|b| matches!(b.cidr, IpNet::V6(_))) {
            body["assign_generated_ipv6_cidr_block"] = json!(true);
        }
        c.add("aws_vpc", &id, body);
        for b in v4 {
            let cid = c.id(&format!("{}.cidr.{}", vpc.name, b.cidr));
            c.add(
                "aws_vpc_ipv4_cidr_block_association",
                &cid,
                json!({ "vpc_id": attr("aws_vpc", &id, "id"), "cidr_block": b.cidr.to_string() }),
            );
        }
    }
    for g in &network.internet_gateways {
        let id = c.id(&g.name);
        let vpc = c.id(&network.vpcs[g.vpc.index()].name);
        c.add(
            "aws_internet_gateway",
            &id,
            json!({ "vpc_id": attr("aws_vpc", &vpc, "id"), "tags": tags(short(&g.name)) }),
        );
    }
    for g in &network.vpn_gateways {
        let id = c.id(&g.name);
        let vpc = c.id(&network.vpcs[g.vpc.index()].name);
        let mut body =
            json!({ "vpc_id": attr("aws_vpc", &vpc, "id"), "tags": tags(short(&g.name)) });
        if let Some(asn) = g.asn {
            body["amazon_side_asn"] = json!(asn.to_string());
        }
        c.add("aws_vpn_gateway", &id, body);
    }
    for s in &network.subnets {
        let id = c.id(&s.name);
        let vpc = &network.vpcs[s.vpc.index()];
        let vpc_id = c.id(&vpc.name);
        let mut body = json!({
            "vpc_id": attr("aws_vpc", &vpc_id, "id"),
            "availability_zone": s.az,
            "tags": tags(short(&s.name)),
        });
        if let Some(b) = &s.cidr {
            body["cidr_block"] = json!(b.cidr.to_string());
            let primary = vpc.cidrs.iter().find(|x| matches!(x.cidr, IpNet::V4(_)));
            if let Some(block) = vpc.cidrs.iter().find(|x| x.cidr.contains(&b.cidr)) {
                if primary.is_some_and(|p| p.cidr != block.cidr) {
                    let cid = c.id(&format!("{}.cidr.{}", vpc.name, block.cidr));
                    body["depends_on"] =
                        json!([format!("aws_vpc_ipv4_cidr_block_association.{cid}")]);
                }
            }
        }
        if s.public_ip_on_launch {
            body["map_public_ip_on_launch"] = json!(true);
        }
        if let Some(v6) = &s.ipv6_cidr {
            let block = vpc.cidrs.iter().find(|x| matches!(x.cidr, IpNet::V6(_)));
            if let Some(index) = block.and_then(|b| ipv6_subnet_index(&b.cidr, &v6.cidr)) {
                body["ipv6_cidr_block"] = json!(format!(
                    "${{cidrsubnet(aws_vpc.{vpc_id}.ipv6_cidr_block, 8, {index})}}"
                ));
            }
        }
        c.add("aws_subnet", &id, body);
    }
    for rt in network.route_tables.iter().filter(|r| !r.implicit) {
        let id = c.id(&rt.name);
        let vpc = c.id(&network.vpcs[rt.vpc.index()].name);
        c.add(
            "aws_route_table",
            &id,
            json!({ "vpc_id": attr("aws_vpc", &vpc, "id"), "tags": tags(short(&rt.name)) }),
        );
        if rt.main {
            let mid = c.id(&format!("{}.main", rt.name));
            c.add("aws_main_route_table_association", &mid, json!({ "vpc_id": attr("aws_vpc", &vpc, "id"), "route_table_id": attr("aws_route_table", &id, "id") }));
        }
    }
    for s in &network.subnets {
        let sid = c.id(&s.name);
        let rt = &network.route_tables[s.route_table.index()];
        if !rt.implicit && !rt.main {
            let rid = c.id(&rt.name);
            let aid = c.id(&format!("{}.route_table", s.name));
            c.add("aws_route_table_association", &aid, json!({ "subnet_id": attr("aws_subnet", &sid, "id"), "route_table_id": attr("aws_route_table", &rid, "id") }));
        }
    }
    for nat in &network.nat_gateways {
        let id = c.id(&nat.name);
        let Some(subnet) = nat.subnet else { continue };
        let sid = c.id(&network.subnets[subnet.index()].name);
        let mut body =
            json!({ "subnet_id": attr("aws_subnet", &sid, "id"), "tags": tags(short(&nat.name)) });
        if nat.public {
            let eip = c.id(&format!("{}.eip", nat.name));
            c.add("aws_eip", &eip, json!({ "domain": "vpc" }));
            body["allocation_id"] = json!(attr("aws_eip", &eip, "id"));
        } else {
            body["connectivity_type"] = json!("private");
        }
        c.add("aws_nat_gateway", &id, body);
    }
    nacls(c);
}

fn nacls(c: &mut Config) {
    let network = c.network;
    for n in network.nacls.iter().filter(|n| !n.default) {
        let id = c.id(&n.name);
        let vpc = c.id(&network.vpcs[n.vpc.index()].name);
        c.add(
            "aws_network_acl",
            &id,
            json!({ "vpc_id": attr("aws_vpc", &vpc, "id"), "tags": tags(short(&n.name)) }),
        );
        for (egress, rules) in [(false, &n.inbound), (true, &n.outbound)] {
            for r in rules {
                let rid = c.id(&format!(
                    "{}.{}.{}",
                    n.name,
                    if egress { "out" } else { "in" },
                    r.number
                ));
                let mut body = json!({
                    "network_acl_id": attr("aws_network_acl", &id, "id"),
                    "rule_number": r.number,
                    "egress": egress,
                    "protocol": match r.protocol { Protocol::All => "-1".to_string(), p => p.to_string() },
                    "rule_action": if r.action == Action::Allow { "allow" } else { "deny" },
                });
                cidr_field(&mut body, &r.cidr, "cidr_block", "ipv6_cidr_block");
                match r.protocol {
                    Protocol::Tcp | Protocol::Udp => {
                        body["from_port"] = json!(r.ports.from);
                        body["to_port"] = json!(r.ports.to);
                    }
                    Protocol::Icmp => {
                        body["icmp_type"] = json!(-1);
                        body["icmp_code"] = json!(-1);
                    }
                    Protocol::All => {}
                }
                c.add("aws_network_acl_rule", &rid, body);
            }
        }
    }
    for s in &network.subnets {
        let nacl = &network.nacls[s.nacl.index()];
        if nacl.default {
            continue;
        }
        let (sid, nid) = (c.id(&s.name), c.id(&nacl.name));
        let aid = c.id(&format!("{}.nacl", s.name));
        c.add("aws_network_acl_association", &aid, json!({ "subnet_id": attr("aws_subnet", &sid, "id"), "network_acl_id": attr("aws_network_acl", &nid, "id") }));
    }
}

pub(super) fn cidr_field(body: &mut Value, cidr: &IpNet, v4: &str, v6: &str) {
    let key = if matches!(cidr, IpNet::V4(_)) { v4 } else { v6 };
    body[key] = json!(cidr.to_string());
}

pub(super) fn routes(c: &mut Config) {
    let network = c.network;
    for rt in network.route_tables.iter().filter(|r| !r.implicit) {
        let rt_id = c.id(&rt.name);
        let mut n = 0;
        for route in &rt.routes {
            let Destination::Cidr(dest) = &route.destination else {
                continue;
            };
            let mut body = json!({ "route_table_id": attr("aws_route_table", &rt_id, "id") });
            cidr_field(
                &mut body,
                dest,
                "destination_cidr_block",
                "destination_ipv6_cidr_block",
            );
            match route.target {
                RouteTarget::Local | RouteTarget::GatewayEndpoint(_) => continue,
                RouteTarget::Blackhole => {
                    c.notes.push(format!(
                        "{}: route {dest} -> blackhole: Terraform cannot create a blackhole route",
                        rt.name
                    ));
                    continue;
                }
                RouteTarget::InternetGateway(g) => {
                    body["gateway_id"] = json!(attr(
                        "aws_internet_gateway",
                        &c.id(&network.internet_gateways[g.index()].name),
                        "id"
                    ))
                }
                RouteTarget::VpnGateway(g) => {
                    body["gateway_id"] = json!(attr(
                        "aws_vpn_gateway",
                        &c.id(&network.vpn_gateways[g.index()].name),
                        "id"
                    ))
                }
                RouteTarget::NatGateway(g) => {
                    body["nat_gateway_id"] = json!(attr(
                        "aws_nat_gateway",
                        &c.id(&network.nat_gateways[g.index()].name),
                        "id"
                    ))
                }
                RouteTarget::Peering(p) => {
                    body["vpc_peering_connection_id"] = json!(attr(
                        "aws_vpc_peering_connection",
                        &c.id(&network.peerings[p.index()].name),
                        "id"
                    ))
                }
                RouteTarget::Instance(w) => {
                    body["network_interface_id"] = json!(attr(
                        "aws_instance",
                        &c.id(&network.workloads[w.index()].name),
                        "primary_network_interface_id"
                    ))
                }
                RouteTarget::TransitGateway(t) => {
                    body["transit_gateway_id"] = json!(attr(
                        "aws_ec2_transit_gateway",
                        &c.id(&network.transit_gateways[t.index()].name),
                        "id"
                    ));
                    if let Some(a) = network
                        .attachments
                        .iter()
                        .find(|a| a.transit_gateway == t && a.vpc == Some(rt.vpc))
                    {
                        body["depends_on"] = json!([format!(
                            "aws_ec2_transit_gateway_vpc_attachment.{}",
                            c.id(&a.name)
                        )]);
                    }
                }
            }
            n += 1;
            let id = c.id(&format!("{}.route.{n}", rt.name));
            c.add("aws_route", &id, body);
        }
    }
}

pub(super) fn connections(c: &mut Config) {
    let network = c.network;
    for p in &network.peerings {
        let (Some(a), Some(b)) = (p.requester, p.accepter) else {
            continue;
        };
        let id = c.id(&p.name);
        let (va, vb) = (&network.vpcs[a.index()], &network.vpcs[b.index()]);
        let mut body = json!({
            "vpc_id": attr("aws_vpc", &c.id(&va.name), "id"),
            "peer_vpc_id": attr("aws_vpc", &c.id(&vb.name), "id"),
            "tags": tags(&p.name),
        });
        if va.region == vb.region {
            body["auto_accept"] = json!(true);
        } else {
            body["peer_region"] = json!(vb.region);
        }
        c.add("aws_vpc_peering_connection", &id, body);
    }
    for (ti, tgw) in network.transit_gateways.iter().enumerate() {
        let id = c.id(&tgw.name);
        let mut body = json!({ "tags": tags(&tgw.name) });
        if let Some(asn) = tgw.asn {
            body["amazon_side_asn"] = json!(asn);
        }
        c.add("aws_ec2_transit_gateway", &id, body);
        for a in network
            .attachments
            .iter()
            .filter(|a| a.transit_gateway.index() == ti)
        {
            let Some(vpc) = a.vpc else { continue };
            let aid = c.id(&a.name);
            let subnets: Vec<String> = a
                .subnets
                .iter()
                .map(|s| attr("aws_subnet", &c.id(&network.subnets[s.index()].name), "id"))
                .collect();
            let vpc_id = c.id(&network.vpcs[vpc.index()].name);
            c.add(
                "aws_ec2_transit_gateway_vpc_attachment",
                &aid,
                json!({
                    "transit_gateway_id": attr("aws_ec2_transit_gateway", &id, "id"),
                    "vpc_id": attr("aws_vpc", &vpc_id, "id"),
                    "subnet_ids": subnets,
                    "tags": tags(short(&a.name)),
                }),
            );
        }
        for (n, r) in tgw.routes.iter().filter(|r| !r.propagated).enumerate() {
            let mut body = json!({
                "transit_gateway_route_table_id": attr("aws_ec2_transit_gateway", &id, "association_default_route_table_id"),
                "destination_cidr_block": r.destination.to_string(),
            });
            match r.target {
                TgwTarget::Attachment(a) => {
                    body["transit_gateway_attachment_id"] = json!(attr(
                        "aws_ec2_transit_gateway_vpc_attachment",
                        &c.id(&network.attachments[a.index()].name),
                        "id"
                    ))
                }
                TgwTarget::Blackhole => body["blackhole"] = json!(true),
                TgwTarget::Connection(k) => {
                    let conn = &network.connections[k.index()];
                    if conn.kind != ConnectionType::Vpn || conn.customer_gateway.is_none() {
                        c.notes.push(format!(
                            "{}: route {} -> {}: only VPN connections are exported",
                            tgw.name, r.destination, conn.name
                        ));
                        continue;
                    }
                    body["transit_gateway_attachment_id"] = json!(attr(
                        "aws_vpn_connection",
                        &c.id(&conn.name),
                        "transit_gateway_attachment_id"
                    ));
                }
            }
            let rid = c.id(&format!("{}.route.{}", tgw.name, n + 1));
            c.add("aws_ec2_transit_gateway_route", &rid, body);
        }
    }
    for conn in &network.connections {
        let site = &network.on_premises[conn.on_premises.index()];
        if conn.kind == ConnectionType::DirectConnect {
            c.notes.push(format!(
                "{}: Direct Connect is a physical line; not exported",
                conn.name
            ));
            continue;
        }
        let (Some(ip), Some(gateway)) = (conn.customer_gateway, conn.gateway) else {
            c.notes.push(format!(
                "{}: a VPN connection needs `customer_gateway` and `gateway`; not exported",
                conn.name
            ));
            continue;
        };
        let cgw = c.id(&format!("{}.customer_gateway", conn.name));
        c.add(
            "aws_customer_gateway",
            &cgw,
            json!({
                "type": "ipsec.1",
                "ip_address": ip.to_string(),
                "bgp_asn": conn.asn.or(site.asn).unwrap_or(65000).to_string(),
                "tags": tags(&site.name),
            }),
        );
        let id = c.id(&conn.name);
        let mut body = json!({ "type": "ipsec.1", "customer_gateway_id": attr("aws_customer_gateway", &cgw, "id"), "tags": tags(short(&conn.name)) });
        match gateway {
            ConnectionGateway::VpnGateway(g) => {
                body["vpn_gateway_id"] = json!(attr(
                    "aws_vpn_gateway",
                    &c.id(&network.vpn_gateways[g.index()].name),
                    "id"
                ));
                body["static_routes_only"] = json!(true);
            }
            ConnectionGateway::TransitGateway(g) => {
                body["transit_gateway_id"] = json!(attr(
                    "aws_ec2_transit_gateway",
                    &c.id(&network.transit_gateways[g.index()].name),
                    "id"
                ))
            }
        }
        c.add("aws_vpn_connection", &id, body);
        if matches!(gateway, ConnectionGateway::VpnGateway(_)) {
            for (n, cidr) in site.cidrs.iter().enumerate() {
                let rid = c.id(&format!("{}.route.{}", conn.name, n + 1));
                c.add("aws_vpn_connection_route", &rid, json!({ "vpn_connection_id": attr("aws_vpn_connection", &id, "id"), "destination_cidr_block": cidr.cidr.to_string() }));
            }
        }
    }
}
