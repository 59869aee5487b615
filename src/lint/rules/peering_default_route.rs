//! `peering-default-route` (security, warning, on by default).
//!
//! **What it does.** Finds routes to `0.0.0.0/0` or `::/0` whose target is a VPC peering
//! connection. Such a route table sends every destination without a more specific route to
//! the peered VPC.
//!
//! **Why it matters.** A peering carries only packets addressed to the peer VPC's own CIDR
//! blocks: it is not transitive, and it lends none of the peer's gateways (no internet gateway,
//! NAT gateway, VPN or gateway endpoint: no edge-to-edge routing). Everything else that falls
//! to the default route is dropped, so the route provides no internet access and no
//! centralized egress or inspection through the other VPC, and it hides missing routes. It
//! also hands the peer's owner (often another account) a say in your routing: any CIDR block
//! the peer VPC adds later becomes reachable from your subnets without a change on your side.
//!
//! **Example.**
//! ```vnet
//! route_table private {
//!   route 0.0.0.0/0 -> to_shared     # a peering: only shared's own blocks get through
//! }
//! ```
//!
//! **Fix.** Route the peer VPC's CIDR blocks to the peering instead (`route 10.30.0.0/16 ->
//! to_shared`), and give the VPC its own way out (an internet or NAT gateway, or a transit
//! gateway to an egress VPC). `vnetc lint --fix` replaces the default route with routes to the
//! peer's blocks of the same family (or removes it when the table already routes them), when
//! that breaks no intended flow.

use ipnet::IpNet;

use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::packet_set::AddrSet;
use crate::flow::routing;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "peering-default-route",
    group: Group::Security,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("peering_default_route.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    for (t, table) in net.route_tables.iter().enumerate() {
        if table.implicit {
            continue;
        }
        for route in &table.routes {
            let (Destination::Cidr(dest), RouteTarget::Peering(p)) =
                (&route.destination, route.target)
            else {
                continue;
            };
            if dest.prefix_len() == 0 {
                out.push(report(ctx, Id::new(t), route, dest, p));
            }
        }
    }
    out
}

fn report(
    ctx: &LintContext,
    table_id: RouteTableId,
    route: &Route,
    dest: &IpNet,
    p: PeeringId,
) -> Diag {
    let net = ctx.net;
    let table = &net.route_tables[table_id.index()];
    let peering = &net.peerings[p.index()];
    let peer = [peering.requester, peering.accepter]
        .into_iter()
        .flatten()
        .find(|v| *v != table.vpc)
        .map(|v| &net.vpcs[v.index()]);
    let v6 = matches!(dest, IpNet::V6(_));
    let blocks: Vec<IpNet> = peer
        .map(|v| {
            v.cidrs
                .iter()
                .map(|c| c.cidr)
                .filter(|c| matches!(c, IpNet::V6(_)) == v6)
                .collect()
        })
        .unwrap_or_default();
    let blocks_text: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
    let carried = match peer {
        Some(v) if blocks.is_empty() => format!(
            "the peer VPC's own blocks, and VPC `{}` has no {} block, so everything this route carries is dropped",
            v.name,
            if v6 { "IPv6" } else { "IPv4" }
        ),
        Some(v) => format!("VPC `{}`'s own blocks ({}), so everything else is dropped", v.name, blocks_text.join(", ")),
        None => "the peer VPC's own blocks, so everything else is dropped".to_string(),
    };
    let message = format!(
        "route table `{}` sends every destination without a more specific route ({dest}) to peering `{}`: a peering carries only packets addressed to {carried}, and the VPC gets no internet access or centralized egress through it (peering is not transitive and lends no gateway)",
        table.name, peering.name,
    );
    let diag = finding(&RULE, route.origin, table.name.clone(), message)
        .label("a default route over a peering")
        .note("it also lets the peer's owner widen your routing: any block the peer VPC adds later is reached from these subnets without a change here");
    // The peer's blocks that this route carries now (no more specific route takes them)
    // replace it; blocks routed elsewhere stay so.
    let missing: Vec<IpNet> = blocks
        .iter()
        .copied()
        .filter(|b| {
            let parts = routing::lookup(table, &AddrSet::cidr(b));
            parts
                .iter()
                .all(|(r, _)| r.is_some_and(|r| r.origin == route.origin))
        })
        .collect();
    let broken = ctx.broken_by(route.origin, |changed| {
        let routes = &mut std::sync::Arc::make_mut(&mut changed.route_tables[table_id.index()]).routes;
        routes.retain(|r| r.origin != route.origin);
        routes.extend(missing.iter().map(|b| Route {
            destination: Destination::Cidr(*b),
            target: route.target,
            origin: route.origin,
        }));
    });
    if !broken.is_empty() {
        return diag.note(format!(
            "no fix is offered: removing it would break {}",
            broken.join(", ")
        ));
    }
    let lines: Vec<String> = missing
        .iter()
        .map(|b| format!("route {b} -> {}", peering.name))
        .collect();
    let fix = if lines.is_empty() {
        Fix::one(
            format!(
                "remove `route {dest} -> {}` from route table {}",
                peering.name, table.name
            ),
            route.origin,
            EditKind::DeleteLines,
            "",
        )
    } else {
        Fix::one(
            format!(
                "replace `route {dest} -> {}` with `{}`",
                peering.name,
                lines.join("` and `")
            ),
            route.origin,
            EditKind::Replace,
            lines.join("\n"),
        )
    };
    diag.with_fix(fix)
}
