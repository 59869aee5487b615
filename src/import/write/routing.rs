//! Subnets with their associations, and route tables with their routes.

use std::collections::HashSet;

use ipnet::IpNet;

use super::text::Text;
use super::{Kind, Writer};
use crate::import::draft::{RouteTarget, Vpc};

pub(super) fn subnets(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    let main: HashSet<&str> = vpc
        .route_tables
        .iter()
        .filter(|r| r.main)
        .map(|r| r.src.id.as_str())
        .collect();
    let default_nacl = vpc
        .nacls
        .iter()
        .find(|n| n.default)
        .map(|n| n.src.id.clone());
    for s in &vpc.subnets {
        let Some(name) = w.named.get(&s.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let Some((cidr, az)) = w.subnets.get(&s.src.id).cloned() else {
            continue;
        };
        out.blank();
        out.comment(&s.src.trace);
        out.open(&format!("subnet {name}"));
        out.line(&format!("az {az}"));
        out.line(&format!("cidr {cidr}"));
        if let Some(v6) = &s.ipv6_cidr {
            match v6.parse::<IpNet>() {
                Ok(net @ IpNet::V6(_))
                    if w.vpc_cidrs[index]
                        .iter()
                        .any(|c| matches!(c, IpNet::V6(_)) && c.contains(&net)) =>
                {
                    out.line(&format!("cidr {net}"))
                }
                _ => w.warn(
                    &s.src.id,
                    format!("IPv6 block `{v6}` is not inside the VPC's IPv6 block; left out"),
                ),
            }
        }
        if let Some(rt) = s.route_table.as_deref().filter(|rt| !main.contains(rt)) {
            match w.reference(rt, &[Kind::RouteTable], Some(index)) {
                Ok(r) if !r.contains('.') => out.line(&format!("route_table {r}")),
                Ok(r) => w.warn(
                    &s.src.id,
                    format!(
                        "route table `{r}` is in another VPC; the subnet uses its VPC's main table"
                    ),
                ),
                Err(why) => w.warn(
                    &s.src.id,
                    format!("route table association: {why}; the subnet uses its VPC's main table"),
                ),
            }
        }
        if let Some(acl) = s.nacl.clone().or_else(|| default_nacl.clone()) {
            if !w.implicit.contains(&acl) {
                match w.reference(&acl, &[Kind::Nacl], Some(index)) {
                    Ok(r) if !r.contains('.') => out.line(&format!("nacl {r}")),
                    Ok(r) => w.warn(
                        &s.src.id,
                        format!(
                            "network ACL `{r}` is in another VPC; the subnet uses the default NACL"
                        ),
                    ),
                    Err(why) => w.warn(
                        &s.src.id,
                        format!("network ACL association: {why}; the subnet uses the default NACL"),
                    ),
                }
            }
        }
        if s.public_ip_on_launch {
            out.line("public_ip_on_launch true");
        }
        out.close();
    }
}

pub(super) fn route_tables(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    let mut main_seen = false;
    let vpc_cidrs = w.vpc_cidrs[index].clone();
    for rt in &vpc.route_tables {
        let Some(name) = w.named.get(&rt.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let id = rt.src.id.as_str();
        let mut lines = Vec::new();
        if rt.main && !main_seen {
            lines.push("main true".to_string());
            main_seen = true;
        } else if rt.main {
            w.warn(
                id,
                "a second main route table in one VPC; written as a plain table",
            );
        }
        let mut destinations: HashSet<IpNet> = HashSet::new();
        for r in &rt.routes {
            let dest_text = r.destination.as_str();
            if dest_text.starts_with("pl-") {
                let via_endpoint = match &r.target {
                    RouteTarget::Id(t) => vpc.endpoints.iter().any(|e| {
                        &e.src.id == t
                            && e.route_tables.iter().any(|x| x == id)
                            && w.named.contains_key(t)
                    }),
                    _ => false,
                };
                if !via_endpoint {
                    w.warn(id, format!("route to prefix list `{dest_text}`: vnet routes to prefix lists only through the gateway endpoints associated with the table; left out"));
                }
                continue;
            }
            if matches!(r.target, RouteTarget::Local) {
                continue;
            }
            let Ok(dest) = dest_text.parse::<IpNet>() else {
                w.warn(
                    id,
                    format!("route destination `{dest_text}` is malformed; left out"),
                );
                continue;
            };
            if vpc_cidrs.contains(&dest) {
                w.warn(id, format!("route {dest} replaces the VPC's local route, which vnet keeps implicit; left out"));
                continue;
            }
            if !destinations.insert(dest) {
                w.warn(id, format!("a second route to {dest}; left out"));
                continue;
            }
            let target = match &r.target {
                RouteTarget::Local => continue,
                RouteTarget::Blackhole => "blackhole".to_string(),
                RouteTarget::Unsupported(kind, target) => {
                    w.warn(id, format!("route {dest} -> {target}: a {kind} is not a route target vnet models; left out"));
                    continue;
                }
                RouteTarget::Id(target) => match route_target(w, index, target) {
                    Ok(t) => t,
                    Err(why) => {
                        w.warn(id, format!("route {dest} -> {target}: {why}; left out"));
                        continue;
                    }
                },
            };
            lines.push(format!("route {dest} -> {target}"));
        }
        out.blank();
        out.comment(&rt.src.trace);
        if lines.is_empty() {
            out.line(&format!("route_table {name} {{}}"));
        } else {
            out.open(&format!("route_table {name}"));
            for l in lines {
                out.line(&l);
            }
            out.close();
        }
    }
}

fn route_target(w: &Writer, index: usize, target: &str) -> Result<String, String> {
    let name = w.reference(
        target,
        &[
            Kind::InternetGateway,
            Kind::NatGateway,
            Kind::VpnGateway,
            Kind::Workload,
            Kind::Peering,
            Kind::TransitGateway,
        ],
        Some(index),
    )?;
    if name.contains('.') {
        return Err(format!(
            "`{target}` belongs to another VPC (no edge-to-edge routing)"
        ));
    }
    let target = w.canonical(target);
    let Some(named) = w.named.get(target) else {
        return Ok(name);
    };
    let vpc_id = w.draft.vpcs[index].src.id.as_str();
    match named.kind {
        Kind::Peering => {
            let on_this_vpc = w.draft.peerings.iter().any(|p| {
                p.src.id == target
                    && (p.requester.as_deref() == Some(vpc_id)
                        || p.accepter.as_deref() == Some(vpc_id))
            });
            if !on_this_vpc {
                return Err("the peering does not connect this VPC".to_string());
            }
        }
        Kind::TransitGateway => {
            let attached = w.draft.transit_gateways.iter().any(|t| {
                t.src.id == target
                    && t.attachments.iter().any(|a| {
                        a.vpc.as_deref() == Some(vpc_id) && w.named.contains_key(&a.src.id)
                    })
            });
            if !attached {
                return Err("the VPC has no attachment on that transit gateway".to_string());
            }
        }
        _ => {}
    }
    Ok(name)
}
