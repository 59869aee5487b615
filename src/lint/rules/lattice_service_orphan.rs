//! `lattice-service-orphan` (hygiene, warning, on by default).
//!
//! **What it does.** Finds VPC Lattice services that no `service_network` lists in its
//! `services`. The message names the workloads that `uses` the service, and the service
//! networks their VPCs are associated with, if any.
//!
//! **Why it matters.** Clients reach a Lattice service only through a service network that
//! both the service and the client's VPC are associated with. A service in no service network
//! is reachable from no VPC: its listeners and target groups serve nobody, and every
//! workload that `uses` it fails to connect.
//!
//! **Example.**
//! ```vnet
//! lattice_service orders_api { listener https 443 -> orders.orders_tg }
//! service_network storefront { vpcs [inventory, orders]  services [inventory_api] }
//! # orders_api is missing from storefront's services
//! ```
//!
//! **Fix.** Add the service to the `services` of a service network associated with its
//! clients' VPCs (a VPC is associated with one service network). When its clients' VPCs are
//! in no service network, `vnetc lint --fix` adds one after the service:
//! `service_network orders_api_network { vpcs [...]  services [orders_api] }`; otherwise the
//! fix is to edit the existing network's list, which the message names and `--fix` leaves to
//! you.

use std::collections::BTreeSet;

use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::ir::{FlowEndpoint, Id, LatticeServiceId, Network, Use, VpcId};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "lattice-service-orphan",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("lattice_service_orphan.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    for (i, service) in net.lattice_services.iter().enumerate() {
        let id: LatticeServiceId = Id::new(i);
        if net
            .service_networks
            .iter()
            .any(|n| n.services.contains(&id))
        {
            continue;
        }
        let users: Vec<String> = net
            .workloads
            .iter()
            .filter(|w| w.uses.contains(&Use::LatticeService(id)))
            .map(|w| format!("`{}`", w.name))
            .collect();
        let users: Vec<&str> = users.iter().map(String::as_str).collect();
        let vpcs: BTreeSet<VpcId> = net
            .workloads
            .iter()
            .filter(|w| w.uses.contains(&Use::LatticeService(id)))
            .map(|w| w.vpc)
            .collect();
        let expected = net.expects.iter().any(|e| {
            e.source == FlowEndpoint::LatticeService(id)
                || e.destination == FlowEndpoint::LatticeService(id)
        });
        let consequence = if users.is_empty() {
            "no VPC can reach it".to_string()
        } else {
            format!(
                "no VPC can reach it, so {} cannot connect to it",
                and_list(&users)
            )
        };
        let mut diag = finding(
            &RULE,
            name_of(service.origin),
            service.name.clone(),
            format!(
                "Lattice service `{}` is in no service network: {consequence}",
                service.name
            ),
        )
        .label("in no service network");
        for l in &service.listeners {
            diag = diag.secondary(l.origin, "serves no client");
        }
        // Service networks the clients' VPCs are already associated with.
        let networks: Vec<String> = net
            .service_networks
            .iter()
            .filter(|n| n.vpcs.iter().any(|v| vpcs.contains(v)))
            .map(|n| format!("`{}`", n.name))
            .collect();
        let networks: Vec<&str> = networks.iter().map(String::as_str).collect();
        if !networks.is_empty() {
            diag = diag.note(format!(
                "add `{}` to the `services` of service network {} (associated with its clients' VPCs)",
                service.name,
                and_list(&networks)
            ));
        } else if !vpcs.is_empty() {
            let vpc_names: Vec<&str> = vpcs
                .iter()
                .map(|v| net.vpcs[v.index()].name.as_str())
                .collect();
            let name = free_name(net, &format!("{}_network", service.name));
            let block = format!(
                "service_network {name} {{\n  vpcs [{}]\n  services [{}]\n}}",
                vpc_names.join(", "),
                service.name
            );
            diag = diag
                .note(format!(
                    "the VPC{} of its clients ({}) {} in no service network: create one that associates {} with the service",
                    if vpc_names.len() == 1 { "" } else { "s" },
                    vpc_names
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if vpc_names.len() == 1 { "is" } else { "are" },
                    if vpc_names.len() == 1 { "it" } else { "them" },
                ))
                .with_fix(Fix::one(
                    format!(
                        "add service network {name} associating {} with VPC{} {}",
                        service.name,
                        if vpc_names.len() == 1 { "" } else { "s" },
                        vpc_names.join(", ")
                    ),
                    service.origin,
                    EditKind::InsertAfterBlock,
                    block,
                ));
        } else if !expected {
            diag = diag.note("nothing uses it (no workload `uses` it, no `expect` names it): add it to a service network, or remove it");
        } else {
            diag = diag.note(
                "add it to the `services` of a service network associated with its clients' VPCs",
            );
        }
        out.push(diag);
    }
    out
}

/// A top-level name nothing has yet: `base`, else `base_2`, `base_3` ...
fn free_name(net: &Network, base: &str) -> String {
    let taken = |n: &str| {
        net.vpcs.iter().any(|v| v.name == n)
            || net.peerings.iter().any(|p| p.name == n)
            || net.transit_gateways.iter().any(|t| t.name == n)
            || net.on_premises.iter().any(|o| o.name == n)
            || net.service_networks.iter().any(|s| s.name == n)
            || net.lattice_services.iter().any(|s| s.name == n)
    };
    (1..)
        .map(|k| {
            if k == 1 {
                base.to_string()
            } else {
                format!("{base}_{k}")
            }
        })
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.to_string(),
        None => String::new(),
    }
}
