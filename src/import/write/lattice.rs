//! VPC Lattice blocks: resource gateways and resource configurations inside their VPC, then
//! the top-level lattice services and service networks.

use super::items::subnet_list;
use super::text::{list, quote, Text};
use super::{filters, Kind, Writer};
use crate::import::draft::{ResourceAddress, Vpc};

pub(super) fn vpc_items(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    for g in &vpc.resource_gateways {
        let Some(name) = w.named.get(&g.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let id = g.src.id.as_str();
        let subnets = subnet_list(w, id, index, &g.subnets, false);
        let groups = filters::group_list(w, id, index, &g.security_groups);
        out.blank();
        out.comment(&g.src.trace);
        out.open(&format!("resource_gateway {name}"));
        out.line(&format!("subnets {}", list(&subnets)));
        if !groups.is_empty() {
            out.line(&format!("security_groups {}", list(&groups)));
        }
        out.close();
    }
    for r in &vpc.resource_configurations {
        let Some(name) = w.named.get(&r.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let id = r.src.id.as_str();
        let mut lines = Vec::new();
        if let Some(g) = &r.gateway {
            match w.reference(g, &[Kind::ResourceGateway], Some(index)) {
                Ok(g) if !g.contains('.') => lines.push(format!("gateway {g}")),
                Ok(g) => w.warn(
                    id,
                    format!("resource gateway `{g}` is in another VPC; left out"),
                ),
                Err(why) => w.warn(id, format!("resource gateway {why}; left out")),
            }
        }
        match &r.address {
            Some(ResourceAddress::Ip(ip)) if ip.parse::<std::net::IpAddr>().is_ok() => {
                lines.push(format!("address {ip}"))
            }
            Some(ResourceAddress::Ip(ip)) => {
                w.warn(id, format!("address `{ip}` is not an IP address; left out"))
            }
            Some(ResourceAddress::Dns(d)) => lines.push(format!("address {}", quote(d))),
            Some(ResourceAddress::Workload(x)) => {
                match w.reference(x, &[Kind::Workload], Some(index)) {
                    Ok(x) => lines.push(format!("address {x}")),
                    Err(why) => w.warn(id, format!("address {why}; left out")),
                }
            }
            None => {}
        }
        if let Some(port) = r.port {
            lines.push(format!("port {port}"));
        }
        if !r.share_with.is_empty() {
            let accounts: Vec<String> = r.share_with.iter().map(|a| quote(a)).collect();
            lines.push(format!("share_with {}", list(&accounts)));
        }
        out.blank();
        out.comment(&r.src.trace);
        out.open(&format!("resource_configuration {name}"));
        for l in lines {
            out.line(&l);
        }
        out.close();
    }
}

pub(super) fn top(w: &mut Writer, out: &mut Text) {
    let draft = w.draft;
    for s in &draft.lattice_services {
        let Some(name) = w.named.get(&s.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let mut lines = vec![format!("auth {}", s.auth)];
        for (protocol, port, tg) in &s.listeners {
            match w.reference(tg, &[Kind::TargetGroup], None) {
                Ok(tg) => lines.push(format!("listener {protocol} {port} -> {tg}")),
                Err(why) => w.warn(
                    &s.src.id,
                    format!("listener {port}: target group {why}; left out"),
                ),
            }
        }
        out.blank();
        out.comment(&s.src.trace);
        out.open(&format!("lattice_service {name}"));
        for l in lines {
            out.line(&l);
        }
        out.close();
    }
    for n in &draft.service_networks {
        let Some(name) = w.named.get(&n.src.id).map(|x| x.name.clone()) else {
            continue;
        };
        let names = |w: &mut Writer, ids: &[String], kind: Kind, what: &str| -> Vec<String> {
            let mut out = Vec::new();
            for x in ids {
                match w.reference(x, &[kind], None) {
                    Ok(r) => out.push(r),
                    Err(why) => w.warn(&n.src.id, format!("{what} {why}; left out")),
                }
            }
            out
        };
        let vpcs = names(w, &n.vpcs, Kind::Vpc, "VPC");
        let services = names(w, &n.services, Kind::LatticeService, "service");
        out.blank();
        out.comment(&n.src.trace);
        out.open(&format!("service_network {name}"));
        out.line(&format!("auth {}", n.auth));
        if !vpcs.is_empty() {
            out.line(&format!("vpcs {}", list(&vpcs)));
        }
        if !services.is_empty() {
            out.line(&format!("services {}", list(&services)));
        }
        out.close();
    }
}

/// Whether `name` (a service, or `VPC.NAME` of a resource configuration) is a Lattice item
/// the output declares, which a workload may `use`.
pub(super) fn usable(w: &Writer, name: &str) -> bool {
    w.named.values().any(|n| match (n.kind, n.vpc) {
        (Kind::LatticeService, None) => n.name == name,
        (Kind::ResourceConfiguration, Some(v)) => format!("{}.{}", w.named_vpc(v), n.name) == name,
        _ => false,
    })
}
