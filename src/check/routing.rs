//! Route tables and gateways: duplicate destinations, one internet gateway per VPC.

use std::collections::{HashMap, HashSet};

use crate::check::{indices_by, name_of};
use crate::diagnostics::{codes, Diag};
use crate::ir::{Destination, Network, RouteTable, RouteTarget, TransitGatewayId, VpcId};

pub(super) fn check(net: &Network, diags: &mut Vec<Diag>) {
    connections_of_other_vpcs(net, diags);
    one_main_table_per_vpc(net, diags);
    for table in &net.route_tables {
        let mut seen: HashMap<&Destination, &crate::ir::Route> = HashMap::new();
        for route in &table.routes {
            // Local routes may not be overridden by a written route to the same block.
            if let Some(first) = seen.get(&route.destination) {
                if matches!(route.target, RouteTarget::GatewayEndpoint(_)) {
                    continue; // two gateway endpoints: reported by the endpoint checks
                }
                let dest = match &route.destination {
                    Destination::Cidr(c) => c.to_string(),
                    Destination::PrefixList(s) => format!("the {s} prefix list"),
                };
                let diag = if first.target == RouteTarget::Local {
                    Diag::error(
                        codes::DUPLICATE_ROUTE,
                        route.origin,
                        format!(
                            "route table `{}` routes `{dest}`, a CIDR block of its VPC: the `local` route to it cannot be replaced",
                            table.name
                        ),
                    )
                    .label("replaces the `local` route")
                    .secondary(first.origin, format!("VPC block `{dest}`: routed `local`"))
                    .note("the `local` route of a VPC block is implicit; to send part of that traffic through an appliance, route a more specific block (a subnet's)")
                } else {
                    Diag::error(
                        codes::DUPLICATE_ROUTE,
                        route.origin,
                        format!(
                            "route table `{}` has two routes to `{dest}`: to `{}` and to `{}`",
                            table.name,
                            target_name(net, &first.target),
                            target_name(net, &route.target)
                        ),
                    )
                    .label("second route to this destination")
                    .secondary(first.origin, "first route to it")
                    .note("a route table holds one route per destination; remove one")
                };
                diags.push(diag);
            } else {
                seen.insert(&route.destination, route);
            }
        }
    }
    // Grouped by VPC in one pass: a filter per VPC is quadratic in a network of many VPCs.
    let igws_of = indices_by(net.vpcs.len(), net.internet_gateways.iter().map(|g| g.vpc));
    for (vpc, igws) in net.vpcs.iter().zip(&igws_of) {
        let gateway = |i: &usize| &net.internet_gateways[*i];
        if let [first, rest @ ..] = igws.as_slice() {
            let first = gateway(first);
            for extra in rest.iter().map(gateway) {
                diags.push(
                    Diag::error(
                        codes::MULTIPLE_INTERNET_GATEWAYS,
                        name_of(extra.origin),
                        format!(
                            "VPC `{}` has more than one internet gateway: `{}` and `{}`",
                            vpc.name, first.name, extra.name
                        ),
                    )
                    .label("second internet gateway")
                    .secondary(name_of(first.origin), "first internet gateway")
                    .note("a VPC can have only one internet gateway attached"),
                );
            }
        }
    }
}

/// A route may target a peering only of its own VPC, and a transit gateway only where that
/// VPC has an attachment: AWS refuses any other (there is no edge-to-edge routing).
fn connections_of_other_vpcs(net: &Network, diags: &mut Vec<Diag>) {
    // Found once: a scan of every attachment per route was quadratic in the network's size.
    let attached: HashSet<(TransitGatewayId, VpcId)> = (net.attachments.iter())
        .filter_map(|a| Some((a.transit_gateway, a.vpc?)))
        .collect();
    for table in &net.route_tables {
        let vpc = &net.vpcs[table.vpc.index()];
        for route in &table.routes {
            let problem = match route.target {
                RouteTarget::Peering(p) => {
                    let peering = &net.peerings[p.index()];
                    let sides = [peering.requester, peering.accepter];
                    if sides.contains(&Some(table.vpc)) || sides.contains(&None) {
                        continue;
                    }
                    let names: Vec<String> = sides
                        .iter()
                        .flatten()
                        .map(|v| format!("`{}`", net.vpcs[v.index()].name))
                        .collect();
                    (
                        format!(
                            "route target `{}` is a peering of VPCs {}, not of this route table's VPC `{}`",
                            peering.name,
                            names.join(" and "),
                            vpc.name
                        ),
                        name_of(peering.origin),
                        format!("peering `{}` is declared here", peering.name),
                        "a route table can target only a peering connection of its own VPC; peering is not transitive".to_string(),
                    )
                }
                RouteTarget::TransitGateway(t) => {
                    if attached.contains(&(t, table.vpc)) {
                        continue;
                    }
                    let tgw = &net.transit_gateways[t.index()];
                    (
                        format!(
                            "route target `{}` is a transit gateway with no attachment in this route table's VPC `{}`",
                            tgw.name, vpc.name
                        ),
                        name_of(tgw.origin),
                        format!("transit gateway `{}` is declared here", tgw.name),
                        format!(
                            "add an `attachment` with `vpc {}` to transit gateway `{}`",
                            vpc.name, tgw.name
                        ),
                    )
                }
                _ => continue,
            };
            let (message, declared, declared_label, note) = problem;
            diags.push(
                Diag::error(codes::ROUTE_TARGET_OTHER_VPC, route.origin, message)
                    .label(format!("not connected to VPC `{}`", vpc.name))
                    .secondary(declared, declared_label)
                    .note(note),
            );
        }
    }
}

/// A route's target as written (`nat_a`, `blackhole`), for messages.
fn target_name(net: &Network, target: &RouteTarget) -> String {
    let qualified = match *target {
        RouteTarget::Local => return "local".to_string(),
        RouteTarget::Blackhole => return "blackhole".to_string(),
        RouteTarget::InternetGateway(id) => net.internet_gateways.get(id.index()).map(|x| &x.name),
        RouteTarget::NatGateway(id) => net.nat_gateways.get(id.index()).map(|x| &x.name),
        RouteTarget::Peering(id) => net.peerings.get(id.index()).map(|x| &x.name),
        RouteTarget::TransitGateway(id) => net.transit_gateways.get(id.index()).map(|x| &x.name),
        RouteTarget::VpnGateway(id) => net.vpn_gateways.get(id.index()).map(|x| &x.name),
        RouteTarget::Instance(id) => net.workloads.get(id.index()).map(|x| &x.name),
        RouteTarget::GatewayEndpoint(id) => net.endpoints.get(id.index()).map(|x| &x.name),
    };
    qualified.cloned().unwrap_or_default()
}

/// A VPC has exactly one main route table: at most one table may say `main true`.
fn one_main_table_per_vpc(net: &Network, diags: &mut Vec<Diag>) {
    let mut mains_of: Vec<Vec<&RouteTable>> = vec![Vec::new(); net.vpcs.len()];
    for t in net.route_tables.iter().filter(|t| t.main && !t.implicit) {
        if let Some(list) = mains_of.get_mut(t.vpc.index()) {
            list.push(t);
        }
    }
    for (vpc, mains) in net.vpcs.iter().zip(&mains_of) {
        if let [first, rest @ ..] = mains.as_slice() {
            for extra in rest {
                diags.push(
                    Diag::error(
                        codes::MULTIPLE_MAIN_ROUTE_TABLES,
                        crate::check::name_of(extra.origin),
                        format!(
                            "VPC `{}` has two main route tables: `{}` and `{}`",
                            vpc.name, first.name, extra.name
                        ),
                    )
                    .label("second `main true`")
                    .secondary(crate::check::name_of(first.origin), "first main route table")
                    .note("a VPC has exactly one main route table; subnets without `route_table` use it. Remove `main true` from one"),
                );
            }
        }
    }
}
