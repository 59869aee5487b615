//! Load balancers with their listeners, target groups and PrivateLink endpoint services.

use std::collections::HashSet;

use super::items::subnet_list;
use super::text::{list, quote, Text};
use super::{filters, Kind, Writer};
use crate::import::draft::Vpc;

/// The endpoint service an endpoint's service name points to: an id of the input, or the
/// last part of `com.amazonaws.vpce.REGION.ID`.
pub(super) fn endpoint_service_of(w: &Writer, service: &str) -> Option<String> {
    let candidate = service.rsplit('.').next().unwrap_or(service);
    let is_service = |id: &str| {
        w.draft
            .vpcs
            .iter()
            .any(|v| v.endpoint_services.iter().any(|s| s.src.id == id))
    };
    [service, candidate]
        .into_iter()
        .find(|id| is_service(id))
        .map(str::to_string)
}

pub(super) fn endpoint_services(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    for s in &vpc.endpoint_services {
        let Some(name) = w.named.get(&s.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let lb = s.load_balancer.as_deref().and_then(|lb| {
            let network = vpc
                .load_balancers
                .iter()
                .any(|x| x.src.id == lb && x.network);
            let r = w.reference(lb, &[Kind::LoadBalancer], Some(index)).ok()?;
            (network && !r.contains('.')).then_some(r)
        });
        let Some(lb) = lb else {
            w.drop_item(
                &s.src.id,
                "endpoint service without a network load balancer of its VPC; not imported"
                    .to_string(),
            );
            continue;
        };
        out.blank();
        out.comment(&s.src.trace);
        out.open(&format!("endpoint_service {name}"));
        out.line(&format!("load_balancer {lb}"));
        out.line(&format!("acceptance_required {}", s.acceptance_required));
        let principals: Vec<String> = s.allowed_principals.iter().map(|p| quote(p)).collect();
        if !principals.is_empty() {
            out.line(&format!("allowed_principals {}", list(&principals)));
        }
        out.close();
    }
}

pub(super) fn load_balancers(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    for tg in &vpc.target_groups {
        let Some(name) = w.named.get(&tg.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let mut lines = Vec::new();
        if let Some(p) = &tg.protocol {
            lines.push(format!("protocol {}", p.to_ascii_lowercase()));
        }
        if let Some(p) = tg.port {
            lines.push(format!("port {p}"));
        }
        let mut targets = Vec::new();
        for t in &tg.targets {
            if t.parse::<std::net::IpAddr>().is_ok() {
                targets.push(t.clone());
                continue;
            }
            match w.reference(t, &[Kind::Workload], Some(index)) {
                Ok(r) if !r.contains('.') => targets.push(r),
                Ok(_) => w.warn(
                    &tg.src.id,
                    format!("target `{t}` is in another VPC; left out"),
                ),
                Err(why) => w.warn(&tg.src.id, format!("target {why}; left out")),
            }
        }
        if !targets.is_empty() {
            lines.push(format!("targets {}", list(&targets)));
        }
        out.blank();
        out.comment(&tg.src.trace);
        if lines.is_empty() {
            out.line(&format!("target_group {name} {{}}"));
        } else {
            out.open(&format!("target_group {name}"));
            for l in lines {
                out.line(&l);
            }
            out.close();
        }
    }
    for lb in &vpc.load_balancers {
        let Some(name) = w.named.get(&lb.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let id = lb.src.id.as_str();
        let subnets = subnet_list(w, id, index, &lb.subnets, true);
        let zones: HashSet<String> = lb
            .subnets
            .iter()
            .filter_map(|s| w.subnets.get(s).map(|x| x.1.clone()))
            .collect();
        if !lb.network && zones.len() < 2 {
            w.warn(
                id,
                "an application load balancer needs subnets in two zones; written without subnets",
            );
        }
        let mut lines = vec![format!(
            "type {}",
            if lb.network { "network" } else { "application" }
        )];
        if lb.internal {
            lines.push("internal true".to_string());
        }
        if lb.network || zones.len() >= 2 {
            lines.push(format!("subnets {}", list(&subnets)));
        }
        let groups = filters::group_list(w, id, index, &lb.security_groups);
        if !groups.is_empty() {
            lines.push(format!("security_groups {}", list(&groups)));
        }
        for (protocol, port, tg) in &lb.listeners {
            let protocol = protocol.to_ascii_lowercase();
            let allowed: &[&str] = if lb.network {
                &["tcp", "tls", "udp", "tcp_udp"]
            } else {
                &["http", "https"]
            };
            if !allowed.contains(&protocol.as_str()) {
                w.warn(id, format!("listener {protocol} {port}: not a protocol of this load balancer type; left out"));
                continue;
            }
            match w.reference(tg, &[Kind::TargetGroup], Some(index)) {
                Ok(r) if !r.contains('.') => {
                    lines.push(format!("listener {protocol} {port} -> {r}"))
                }
                Ok(_) => w.warn(
                    id,
                    format!("listener {port}: its target group is in another VPC; left out"),
                ),
                Err(why) => w.warn(id, format!("listener {port}: target group {why}; left out")),
            }
        }
        out.blank();
        out.comment(&lb.src.trace);
        out.open(&format!("load_balancer {name}"));
        for l in lines {
            out.line(&l);
        }
        out.close();
    }
}
