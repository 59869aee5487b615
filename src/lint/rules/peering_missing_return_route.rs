//! `peering-missing-return-route` (reachability, error, on by default).
//!
//! **What it does.** Finds routes over a peering connection (or to a transit gateway) whose
//! other side has no route back to the source subnets. For every such route in a route table
//! that serves subnets holding something (workloads, load balancers, interface endpoints,
//! resource gateways), it looks at the route tables of the destination VPC's subnets that the
//! route reaches (and that hold something): they must route the source subnets' blocks back
//! over the same peering (or to the same transit gateway). One finding per route table that
//! lacks the way back, naming the one-way routes, the source blocks, what the replies match
//! instead, and the intended flows whose replies are lost (the engine drops them with
//! `NO_RETURN_ROUTE`). A return route over another peering toward a VPC that does not hold
//! the block is left to `peering-not-transitive`, a route to a private NAT gateway (deliberate
//! translation) is accepted, and a transit gateway's own route table is checked by the flow
//! engine (`TGW_RTB_CANNOT_ROUTE`, in `expect-violated` and `uses-unreachable`).
//!
//! **Why it matters.** A peering connection has no routes of its own: each VPC's route tables
//! must send the other's addresses to it, and AWS does not add the return route. With a route
//! on one side only, requests arrive but the replies go to the destination's default route (a
//! NAT or internet gateway) or nowhere: every TCP connection hangs, which looks like a
//! security group problem and is often debugged as one. The same holds through a transit
//! gateway: the destination subnet's route table must send the replies to the transit gateway.
//!
//! **Example.**
//! ```vnet
//! vpc app  { ... route_table app_rt { route 10.2.0.0/16 -> app_data } }  # to data
//! vpc data { ... route_table data_rt {} }                                # no way back
//! peering app_data { requester app  accepter data }
//! ```
//!
//! **Fix.** Add the return route to the other side's route table: the source VPC's CIDR block
//! (or the source subnet's, when the block is taken) over the same peering or transit gateway,
//! e.g. `route 10.1.0.0/16 -> app_data`. `vnetc lint --fix` adds it; for subnets on an
//! implicit main route table it adds a `main true` route table with the route.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::IpNet;

use super::peering_not_transitive::{broken_flows, other_side};
use super::public_subnet_without_internet_route::{free_name, join_and};
use crate::check::{name_of, overlaps};
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::packet_set::AddrSet;
use crate::flow::path::describe_route;
use crate::flow::routing::{lookup, lookup_tgw};
use crate::flow::trace::Leg;
use crate::flow::{addressing, Explanation};
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "peering-missing-return-route",
    group: Group::Reachability,
    severity: Severity::Error,
    default: true,
    run,
    source: include_str!("peering_missing_return_route.rs"),
};

/// What one table (or transit gateway) of the other side lacks.
#[derive(Default)]
struct Missing {
    /// The one-way routes, in the source VPC's tables.
    outgoing: BTreeSet<Origin>,
    /// The source blocks without a way back, described.
    sources: BTreeSet<String>,
    /// What the replies match instead.
    instead: BTreeSet<String>,
    /// Routes to add: destination -> target name.
    lines: BTreeMap<IpNet, String>,
    /// How the traffic comes (`peering a_b`).
    via: BTreeSet<String>,
}

/// One source block with a one-way route: where it goes out, and how it must come back.
struct OneWay<'a> {
    route: Origin,
    src: String,
    back: RouteTarget,
    via: String,
    target: &'a str,
}

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut found: BTreeMap<RouteTableId, Missing> = BTreeMap::new();
    // Which subnets answer, and the subnets of each route table and VPC, once: a scan of the
    // network per route table or per route made this rule quadratic.
    let holding = holding_subnets(net);
    let mut by_table: Vec<Vec<usize>> = vec![Vec::new(); net.route_tables.len()];
    let mut by_vpc: Vec<Vec<usize>> = vec![Vec::new(); net.vpcs.len()];
    for (s, subnet) in net.subnets.iter().enumerate() {
        if let Some(list) = by_table.get_mut(subnet.route_table.index()) {
            list.push(s);
        }
        if let Some(list) = by_vpc.get_mut(subnet.vpc.index()) {
            list.push(s);
        }
    }
    for (t, table) in net.route_tables.iter().enumerate() {
        let sources: Vec<&Subnet> = by_table[t]
            .iter()
            .filter(|&&s| holding[s])
            .map(|&s| &net.subnets[s])
            .collect();
        for route in &table.routes {
            let Destination::Cidr(dest) = route.destination else {
                continue;
            };
            let (via, target) = match route.target {
                RouteTarget::Peering(p) => ("peering", net.peerings[p.index()].name.as_str()),
                RouteTarget::TransitGateway(tg) => (
                    "transit gateway",
                    net.transit_gateways[tg.index()].name.as_str(),
                ),
                _ => continue,
            };
            for (b, part) in destinations(net, table.vpc, route, &dest) {
                for src in &sources {
                    let Some(block) = block_of(src, &dest) else {
                        continue;
                    };
                    let way = OneWay {
                        route: route.origin,
                        src: format!("{block} (subnet `{}`)", src.name),
                        back: route.target,
                        via: format!("{via} `{target}`"),
                        target,
                    };
                    let in_b = by_vpc.get(b.index()).map_or(&[][..], Vec::as_slice);
                    for s in in_b
                        .iter()
                        .filter(|&&s| holding[s] && reached(net, Id::new(s), b, &part))
                        .map(|&s| Id::<Subnet>::new(s))
                    {
                        table_return(
                            net,
                            net.subnets[s.index()].route_table,
                            table.vpc,
                            &block,
                            &way,
                            &mut found,
                        );
                    }
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(table, m)| report(ctx, table, &m))
        .collect()
}

/// The VPCs (other than the route's own) that a route over a peering or to a transit gateway
/// delivers to, with the part of its destination in each. A peering route whose destination
/// is not in the peered VPC is `peering-not-transitive`'s.
fn destinations(net: &Network, a: VpcId, route: &Route, dest: &IpNet) -> Vec<(VpcId, AddrSet)> {
    match route.target {
        RouteTarget::Peering(p) => other_side(&net.peerings[p.index()], a)
            .filter(|b| {
                net.vpcs[b.index()]
                    .cidrs
                    .iter()
                    .any(|c| overlaps(&c.cidr, dest))
            })
            .map(|b| vec![(b, AddrSet::cidr(dest))])
            .unwrap_or_default(),
        RouteTarget::TransitGateway(tg) => {
            lookup_tgw(&net.transit_gateways[tg.index()], &AddrSet::cidr(dest))
                .into_iter()
                .filter_map(|(r, part)| match r.map(|r| r.target) {
                    Some(TgwTarget::Attachment(x)) => net.attachments[x.index()]
                        .vpc
                        .filter(|&b| b != a)
                        .map(|b| (b, part)),
                    _ => None,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// A subnet of VPC `b` inside `part` (that holds something that answers: see
/// [`holding_subnets`]).
fn reached(net: &Network, s: SubnetId, b: VpcId, part: &AddrSet) -> bool {
    let sub = &net.subnets[s.index()];
    sub.vpc == b && addressing::subnet_addrs(sub).intersects(part)
}

/// The destination subnet's route table must send the source block back the same way.
fn table_return(
    net: &Network,
    tb: RouteTableId,
    a: VpcId,
    block: &IpNet,
    way: &OneWay,
    found: &mut BTreeMap<RouteTableId, Missing>,
) {
    let other = &net.route_tables[tb.index()];
    let mut instead = Vec::new();
    for (r, _) in lookup(other, &AddrSet::cidr(block)) {
        match r {
            Some(r) if r.target == way.back => {}
            // Over another peering, toward a VPC that does not hold the block: `peering-not-transitive`.
            Some(r) if beyond_peering(net, other.vpc, r) => return,
            // A private NAT gateway for that range: the traffic is translated on purpose (to
            // reach a network with overlapping addresses) and comes back to the NAT gateway.
            Some(r) if matches!(r.target, RouteTarget::NatGateway(n) if !net.nat_gateways[n.index()].public) => {
                return
            }
            Some(r) => instead.push(format!("`{}`", describe_route(net, r))),
            None => instead.push("no route".to_string()),
        }
    }
    if instead.is_empty() {
        return;
    }
    let line = fix_destination(other, a, net, block);
    record(found.entry(tb).or_default(), way, instead, line);
}

/// A route over a peering whose destination is not in the peered VPC.
fn beyond_peering(net: &Network, vpc: VpcId, r: &Route) -> bool {
    let (RouteTarget::Peering(q), Destination::Cidr(d)) = (r.target, &r.destination) else {
        return false;
    };
    let peer = other_side(&net.peerings[q.index()], vpc);
    peer.is_some_and(|c| {
        !net.vpcs[c.index()]
            .cidrs
            .iter()
            .any(|x| overlaps(&x.cidr, d))
    })
}

fn record(m: &mut Missing, way: &OneWay, instead: Vec<String>, line: Option<IpNet>) {
    m.outgoing.insert(way.route);
    m.sources.insert(way.src.clone());
    m.instead.extend(instead);
    m.via.insert(way.via.clone());
    if let Some(d) = line {
        m.lines.entry(d).or_insert(way.target.to_string());
    }
}

fn report(ctx: &LintContext, t: RouteTableId, m: &Missing) -> Diag {
    let net = ctx.net;
    let table = &net.route_tables[t.index()];
    let list = |set: &BTreeSet<String>| join_and(&set.iter().cloned().collect::<Vec<_>>());
    let routes: Vec<String> = m
        .instead
        .iter()
        .filter(|i| *i != "no route")
        .cloned()
        .collect();
    let instead = match routes.len() {
        0 => "no route matches the replies".to_string(),
        n if n < m.instead.len() => {
            format!("the replies match {} or no route at all", join_and(&routes))
        }
        _ => format!("the replies match {} instead", join_and(&routes)),
    };
    let mut message = format!(
        "route table `{}` has no route back over {} to {}: {instead}, so the requests arrive but every connection hangs",
        table.name,
        list(&m.via),
        list(&m.sources)
    );
    let mut diag = finding(
        &RULE,
        name_of(table.origin),
        table.name.clone(),
        String::new(),
    )
    .label("no route back to the requests' source");
    for o in &m.outgoing {
        diag = diag.secondary(
            *o,
            "traffic goes out this way, and its replies cannot come back",
        );
    }
    // Intended flows whose replies pass this table and are lost.
    let component = format!("route_table {}", table.name);
    let lost = |e: Explanation| {
        matches!(
            e,
            Explanation::NoReturnRoute | Explanation::TgwRtbCannotRoute
        )
    };
    let (mut diag, broken) = broken_flows(ctx, diag, |t| {
        t.reply.iter().any(|h| h.component == component)
            && t.drops
                .iter()
                .any(|d| d.leg == Leg::Reply && lost(d.explanation))
    });
    if !broken.is_empty() {
        message.push_str(&format!(" (it breaks {})", join_and(&broken)));
    }
    diag.message = message;
    let lines: Vec<String> = m
        .lines
        .iter()
        .map(|(d, t)| format!("route {d} -> {t}"))
        .collect();
    if lines.is_empty() {
        return diag.note("add a route back to the source blocks over the same connection");
    }
    if !table.implicit {
        let title = format!(
            "add `{}` to route table `{}`",
            lines.join("` and `"),
            table.name
        );
        return diag.with_fix(Fix::one(
            title,
            table.origin,
            EditKind::InsertInBlock,
            lines.join("\n"),
        ));
    }
    let vpc = &net.vpcs[table.vpc.index()];
    let name = free_name(net, table.vpc, "main_rt");
    let body: Vec<String> = std::iter::once("main true".to_string())
        .chain(lines.iter().cloned())
        .collect();
    let block = format!("route_table {name} {{\n  {}\n}}", body.join("\n  "));
    let title = format!(
        "give VPC {} a main route table `{name}` with `{}`",
        vpc.name,
        lines.join("` and `")
    );
    diag.with_fix(Fix::one(title, vpc.origin, EditKind::InsertInBlock, block))
}

/// The route to add: the source VPC's block that holds the source subnet, or the subnet's own
/// block when the table already has a route with that destination.
fn fix_destination(table: &RouteTable, a: VpcId, net: &Network, block: &IpNet) -> Option<IpNet> {
    let taken = |d: &IpNet| {
        table
            .routes
            .iter()
            .any(|r| r.destination == Destination::Cidr(*d))
    };
    let vpc_block = net.vpcs[a.index()]
        .cidrs
        .iter()
        .map(|c| c.cidr)
        .find(|c| c.contains(block));
    vpc_block
        .into_iter()
        .chain(std::iter::once(*block))
        .find(|d| !taken(d))
}

/// The subnet's block of the same IP family as `dest`.
fn block_of(subnet: &Subnet, dest: &IpNet) -> Option<IpNet> {
    let blocks = [&subnet.cidr, &subnet.ipv6_cidr].into_iter().flatten();
    blocks
        .map(|c| c.cidr)
        .find(|c| c.addr().is_ipv4() == dest.addr().is_ipv4())
}

/// For each subnet, whether something in it sends or answers traffic: a workload, a load
/// balancer, an interface endpoint or a resource gateway.
fn holding_subnets(net: &Network) -> Vec<bool> {
    let mut holding = vec![false; net.subnets.len()];
    let interfaces = net
        .workloads
        .iter()
        .flat_map(|w| &w.subnets)
        .chain(net.load_balancers.iter().flat_map(|l| &l.subnets))
        .chain(
            net.endpoints
                .iter()
                .filter(|e| e.kind == EndpointType::Interface)
                .flat_map(|e| &e.subnets),
        )
        .chain(net.resource_gateways.iter().flat_map(|g| &g.subnets));
    for s in interfaces {
        if let Some(h) = holding.get_mut(s.index()) {
            *h = true;
        }
    }
    holding
}
