//! A VPC block: its frame (region, CIDR blocks), then subnets, gateways, route tables,
//! endpoints and workloads, each checked the way the compiler will check it.

use std::collections::{HashMap, HashSet};

use ipnet::IpNet;

use super::text::{list, Text};
use super::{filters, Kind, Writer};
use crate::aws;
use crate::import::draft::{RouteTarget, Vpc};

/// The VPC's region and its usable CIDR blocks (empty when it has no valid IPv4 block).
pub(super) fn vpc_frame(w: &mut Writer, vpc: &Vpc) -> (String, Vec<IpNet>) {
    let id = vpc.src.id.as_str();
    let region = match &vpc.region {
        Some(r) if aws::is_region(r) => r.clone(),
        given => {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for s in &vpc.subnets {
                if let Some(r) = s.az.as_deref().and_then(aws::region_of_az) {
                    *counts.entry(r).or_default() += 1;
                }
            }
            let from_azs = counts
                .into_iter()
                .max_by_key(|(r, n)| (*n, std::cmp::Reverse(*r)))
                .map(|(r, _)| r.to_string());
            match (given, from_azs) {
                (_, Some(r)) => r,
                (Some(r), None) => {
                    w.warn(id, format!("unknown region `{r}`; written as us-east-1"));
                    "us-east-1".to_string()
                }
                (None, None) => {
                    w.warn(
                        id,
                        "region unknown (no subnet, no region in the input); written as us-east-1",
                    );
                    "us-east-1".to_string()
                }
            }
        }
    };
    let mut cidrs: Vec<IpNet> = Vec::new();
    for text in &vpc.cidrs {
        let Ok(net) = text.parse::<IpNet>() else {
            w.warn(id, format!("CIDR block `{text}` is malformed; left out"));
            continue;
        };
        if net.trunc() != net {
            w.warn(
                id,
                format!("CIDR block `{text}` has host bits set; left out"),
            );
            continue;
        }
        if let IpNet::V4(v4) = net {
            if !(16..=28).contains(&v4.prefix_len()) {
                w.warn(
                    id,
                    format!("CIDR block `{text}` is not /16 to /28; left out"),
                );
                continue;
            }
        }
        if let Some(other) = cidrs.iter().find(|c| overlaps(c, &net)) {
            w.warn(
                id,
                format!("CIDR block `{text}` overlaps `{other}`; left out"),
            );
            continue;
        }
        cidrs.push(net);
    }
    if !cidrs.iter().any(|c| matches!(c, IpNet::V4(_))) {
        cidrs.clear();
    }
    (region, cidrs)
}

pub(super) fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// Learns which prefix list belongs to which service from gateway-endpoint routes.
pub(super) fn learn_prefix_lists(w: &mut Writer) {
    for (id, service) in &w.draft.prefix_lists {
        w.prefix_lists.insert(id.clone(), service.clone());
    }
    let mut services: HashMap<&str, String> = HashMap::new();
    for vpc in &w.draft.vpcs {
        for e in &vpc.endpoints {
            services.insert(e.src.id.as_str(), short_service(&e.service));
        }
    }
    for vpc in &w.draft.vpcs {
        for rt in &vpc.route_tables {
            for r in &rt.routes {
                if let (true, RouteTarget::Id(target)) =
                    (r.destination.starts_with("pl-"), &r.target)
                {
                    if let Some(service) = services.get(target.as_str()) {
                        w.prefix_lists
                            .insert(r.destination.clone(), service.clone());
                    }
                }
            }
        }
    }
}

/// `com.amazonaws.us-east-1.s3` → `s3`; a short name stays as it is.
pub(crate) fn short_service(service: &str) -> String {
    let Some(rest) = service.strip_prefix("com.amazonaws.") else {
        return service.to_string();
    };
    match rest.split_once('.') {
        Some((region, name)) if aws::is_region(region) => name.to_string(),
        _ => rest.to_string(),
    }
}

/// Writes one VPC block.
pub(super) fn vpc(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    prepare(w, index, vpc);
    let name = w.named_vpc(index);
    out.blank();
    out.comment(&vpc.src.trace);
    out.open(&format!("vpc {name}"));
    out.line(&format!("region {}", w.regions[index]));
    for c in &w.vpc_cidrs[index] {
        out.line(&format!("cidr {c}"));
    }
    if let Some(b) = vpc.dns_hostnames {
        out.line(&format!("dns_hostnames {b}"));
    }
    if let Some(b) = vpc.dns_support {
        out.line(&format!("dns_support {b}"));
    }
    for g in &vpc.internet_gateways {
        if let Some(n) = w.named.get(&g.id) {
            out.blank();
            out.comment(&g.trace);
            out.line(&format!("internet_gateway {}", n.name));
        }
    }
    for (g, asn) in &vpc.vpn_gateways {
        if let Some(n) = w.named.get(&g.id) {
            out.blank();
            out.comment(&g.trace);
            match asn {
                Some(asn) => out.line(&format!("vpn_gateway {} {{ asn {asn} }}", n.name)),
                None => out.line(&format!("vpn_gateway {}", n.name)),
            }
        }
    }
    super::routing::subnets(w, out, index, vpc);
    super::routing::route_tables(w, out, index, vpc);
    for nat in &vpc.nat_gateways {
        let Some(n) = w.named.get(&nat.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let subnet = nat
            .subnet
            .as_deref()
            .and_then(|s| w.reference(s, &[Kind::Subnet], Some(index)).ok())
            .unwrap_or_default();
        out.blank();
        out.comment(&nat.src.trace);
        out.open(&format!("nat_gateway {n}"));
        out.line(&format!("subnet {subnet}"));
        if nat.private {
            out.line("connectivity private");
        }
        out.close();
    }
    filters::nacls(w, out, index, vpc);
    filters::security_groups(w, out, index, vpc);
    endpoints(w, out, index, vpc);
    super::balancing::endpoint_services(w, out, index, vpc);
    super::balancing::load_balancers(w, out, index, vpc);
    workloads(w, out, index, vpc);
    super::lattice::vpc_items(w, out, index, vpc);
    out.close();
}

/// Leaves out what cannot be written, before anything refers to it: subnets outside the VPC
/// or its region, extra internet gateways, NAT gateways without a subnet, endpoints for
/// unknown services, workloads without a subnet; decides which defaults stay implicit.
fn prepare(w: &mut Writer, index: usize, vpc: &Vpc) {
    let region = w.regions[index].clone();
    let cidrs = w.vpc_cidrs[index].clone();
    let mut taken: Vec<IpNet> = Vec::new();
    for s in &vpc.subnets {
        let id = s.src.id.as_str();
        let az = match s.az.as_deref() {
            Some(az) if aws::az_in_region(az, &region) => az.to_string(),
            Some(az) => {
                w.drop_item(id, format!("availability zone `{az}` is not in the VPC's region `{region}`; subnet not imported"));
                continue;
            }
            None => {
                w.drop_item(id, "no availability zone; subnet not imported".to_string());
                continue;
            }
        };
        let cidr = match s.cidr.as_deref().map(|c| (c, c.parse::<IpNet>())) {
            Some((_, Ok(net @ IpNet::V4(v4))))
                if net.trunc() == net && (16..=28).contains(&v4.prefix_len()) =>
            {
                net
            }
            Some((text, _)) => {
                w.drop_item(
                    id,
                    format!("CIDR block `{text}` is not a valid subnet block; subnet not imported"),
                );
                continue;
            }
            None => {
                w.drop_item(id, "no IPv4 CIDR block; subnet not imported".to_string());
                continue;
            }
        };
        if !cidrs.iter().any(|v| v.contains(&cidr)) {
            let blocks: Vec<String> = cidrs.iter().map(|c| c.to_string()).collect();
            w.drop_item(
                id,
                format!(
                    "CIDR block {cidr} is outside its VPC `{}` ({}); subnet not imported",
                    vpc.src.id,
                    blocks.join(", ")
                ),
            );
            continue;
        }
        if let Some(other) = taken.iter().find(|t| overlaps(t, &cidr)) {
            w.drop_item(
                id,
                format!("CIDR block {cidr} overlaps another subnet's {other}; subnet not imported"),
            );
            continue;
        }
        taken.push(cidr);
        w.subnets.insert(id.to_string(), (cidr, az));
    }
    for g in vpc.internet_gateways.iter().skip(1) {
        w.drop_item(
            &g.id,
            "a VPC has at most one internet gateway; this one is not imported".to_string(),
        );
    }
    for nat in &vpc.nat_gateways {
        let ok = nat.subnet.as_deref().is_some_and(|s| {
            w.reference(s, &[Kind::Subnet], Some(index))
                .is_ok_and(|r| !r.contains('.'))
        });
        if !ok {
            let why = match nat.subnet.as_deref() {
                Some(s) => w.missing(s),
                None => "it has no subnet".to_string(),
            };
            w.drop_item(&nat.src.id, format!("NAT gateway not imported: {why}"));
        }
    }
    for e in &vpc.endpoints {
        let service = short_service(&e.service);
        if super::balancing::endpoint_service_of(w, &e.service).is_some() {
            continue;
        }
        if !aws::is_service(&service) {
            w.drop_item(&e.src.id, format!("endpoint service `{}` is not an AWS service vnet knows (PrivateLink services of other accounts are not modelled); endpoint not imported", e.service));
        } else if e.gateway && !aws::GATEWAY_SERVICES.contains(&service.as_str()) {
            w.drop_item(&e.src.id, format!("gateway endpoint for `{service}`: only s3 and dynamodb have gateway endpoints; not imported"));
        }
    }
    for wl in &vpc.workloads {
        if !wl.subnets.iter().any(|s| w.subnets.contains_key(s)) {
            let why = wl
                .subnets
                .first()
                .map(|s| w.missing(s))
                .unwrap_or_else(|| "it has no subnet".to_string());
            w.drop_item(&wl.src.id, format!("not imported: {why}"));
        }
    }
    let dropped: Vec<String> = w
        .named
        .keys()
        .filter(|id| w.dropped.contains_key(*id))
        .cloned()
        .collect();
    for id in dropped {
        w.named.remove(&id);
    }
    filters::decide_implicit(w, index, vpc);
}

fn endpoints(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    let mut gateway_tables: HashSet<(String, String)> = HashSet::new();
    let mut private_dns_services: HashSet<String> = HashSet::new();
    let dns_on = vpc.dns_hostnames != Some(false) && vpc.dns_support != Some(false);
    for e in &vpc.endpoints {
        let Some(name) = w.named.get(&e.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let id = e.src.id.as_str();
        let service = match super::balancing::endpoint_service_of(w, &e.service) {
            Some(svc) => match w.reference(&svc, &[Kind::EndpointService], Some(index)) {
                Ok(name) => name,
                Err(why) => {
                    w.warn(
                        id,
                        format!("endpoint service: {why}; endpoint not imported"),
                    );
                    continue;
                }
            },
            None => short_service(&e.service),
        };
        let mut lines = vec![format!("service {service}")];
        if e.gateway {
            lines.push("type gateway".to_string());
            let mut tables = Vec::new();
            for rt in &e.route_tables {
                match w.reference(rt, &[Kind::RouteTable], Some(index)) {
                    Ok(r) if r.contains('.') => w.warn(
                        id,
                        format!("route table `{rt}` is in another VPC; left out"),
                    ),
                    Ok(r) => {
                        if gateway_tables.insert((r.clone(), service.clone())) {
                            tables.push(r);
                        } else {
                            w.warn(id, format!("route table `{rt}` already has a gateway endpoint for {service}; left out"));
                        }
                    }
                    Err(why) => w.warn(id, format!("route table {why}; left out")),
                }
            }
            lines.push(format!("route_tables {}", list(&tables)));
        } else {
            lines.push("type interface".to_string());
            let subnets = subnet_list(w, id, index, &e.subnets, true);
            lines.push(format!("subnets {}", list(&subnets)));
            let groups = filters::group_list(w, id, index, &e.security_groups);
            if !groups.is_empty() {
                lines.push(format!("security_groups {}", list(&groups)));
            }
            if e.private_dns {
                if !dns_on {
                    w.warn(id, "private DNS needs DNS hostnames and DNS support on the VPC; written as private_dns false");
                } else if !private_dns_services.insert(service.clone()) {
                    w.warn(id, format!("a second endpoint with private DNS for {service} in this VPC; written as private_dns false"));
                } else {
                    lines.push("private_dns true".to_string());
                }
            }
        }
        out.blank();
        out.comment(&e.src.trace);
        out.open(&format!("endpoint {name}"));
        for l in lines {
            out.line(&l);
        }
        out.close();
    }
}

/// Names of the imported subnets among `ids` (in this VPC); with `one_per_az`, the first
/// subnet of each availability zone.
pub(super) fn subnet_list(
    w: &mut Writer,
    owner: &str,
    index: usize,
    ids: &[String],
    one_per_az: bool,
) -> Vec<String> {
    let mut azs = HashSet::new();
    let mut names = Vec::new();
    for s in ids {
        match w.reference(s, &[Kind::Subnet], Some(index)) {
            Ok(r) if r.contains('.') => {
                w.warn(owner, format!("subnet `{s}` is in another VPC; left out"))
            }
            Ok(r) => {
                let az = w.subnets.get(s).map(|x| x.1.clone()).unwrap_or_default();
                if one_per_az && !azs.insert(az.clone()) {
                    w.warn(
                        owner,
                        format!(
                            "a second subnet in {az} (`{s}`); AWS allows one per zone; left out"
                        ),
                    );
                } else {
                    names.push(r);
                }
            }
            Err(why) => w.warn(owner, format!("subnet {why}; left out")),
        }
    }
    names
}

fn workloads(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    for wl in &vpc.workloads {
        let Some(name) = w.named.get(&wl.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let id = wl.src.id.as_str();
        let subnets = subnet_list(w, id, index, &wl.subnets, false);
        let mut lines = Vec::new();
        match subnets.as_slice() {
            [one] => lines.push(format!("subnet {one}")),
            more => lines.push(format!("subnets {}", list(more))),
        }
        let groups = filters::group_list(w, id, index, &wl.security_groups);
        if !groups.is_empty() {
            lines.push(format!("security_groups {}", list(&groups)));
        }
        if let Some(ip) = &wl.private_ip {
            let inside = ip.parse::<std::net::IpAddr>().ok().is_some_and(|addr| {
                wl.subnets
                    .iter()
                    .filter_map(|s| w.subnets.get(s))
                    .any(|(c, _)| c.contains(&addr))
            });
            if inside {
                lines.push(format!("private_ip {ip}"));
            } else {
                w.warn(
                    id,
                    format!("private address {ip} is not inside its subnet; left out"),
                );
            }
        }
        if let Some(p) = wl.public_ip {
            lines.push(format!("public_ip {p}"));
        }
        if let Some(port) = wl.port {
            lines.push(format!("port {port}"));
        }
        let uses: Vec<String> = wl
            .uses
            .iter()
            .filter(|u| {
                let known = u.as_str() == "internet" || aws::is_service(u) || endpoint_service_named(w, u) || super::lattice::usable(w, u);
                if !known {
                    w.warnings.push(crate::import::Warning {
                        subject: wl.src.id.clone(),
                        message: format!("uses `{u}`: not an AWS service or an imported endpoint service; left out"),
                    });
                }
                known
            })
            .cloned()
            .collect();
        if !uses.is_empty() {
            lines.push(format!("uses {}", list(&uses)));
        }
        if let Some(engine) = &wl.engine {
            let plain = engine
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
                && engine.starts_with(|c: char| c.is_ascii_alphabetic());
            lines.push(format!(
                "engine {}",
                if plain {
                    engine.clone()
                } else {
                    super::text::quote(engine)
                }
            ));
        }
        out.blank();
        out.comment(&wl.src.trace);
        out.open(&format!("{} {name}", wl.kind));
        for l in lines {
            out.line(&l);
        }
        out.close();
    }
}

/// Whether `name` (`VPC.NAME`) is an endpoint service the output declares.
fn endpoint_service_named(w: &Writer, name: &str) -> bool {
    w.named.values().any(|n| {
        n.kind == Kind::EndpointService
            && n.vpc
                .is_some_and(|v| format!("{}.{}", w.named_vpc(v), n.name) == name)
    })
}
