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
//! `NO_RETURN_ROUTE`); on a large network it names five of the routes, blocks (in address
//! order) and flows and counts the rest. A return route over another peering toward a VPC
//! that does not hold the block is left to `peering-not-transitive`, a route to a private NAT
//! gateway (deliberate translation) is accepted, and a transit gateway's own route table is
//! checked by the flow engine (`TGW_RTB_CANNOT_ROUTE`, in `expect-violated` and
//! `uses-unreachable`).
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
//! implicit main route table it adds a `main true` route table with the route. Blocks of one
//! way back that make up a larger one (spokes handed out from one pool, with the table's own
//! VPC between them) are written as that block, `route 10.0.0.0/14 -> core`, unless a less
//! specific route of the table inside it would win over some of them: the addresses go where
//! one route per block would send them, in fewer routes (a route table holds 50 by default).

use std::collections::BTreeSet;
use std::rc::Rc;

use ipnet::IpNet;
use rustc_hash::FxHashMap as HashMap;

use super::peering_not_transitive::{broken_flows_among, other_side};
use super::public_subnet_without_internet_route::free_name;
use crate::lint::wording::{
    join_and, join_and_at_most, join_and_at_most_of, join_and_of_total, NAMED,
};
use crate::check::{name_of, overlaps};
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::packet_set::AddrSet;
use crate::flow::path::describe_route;
use crate::flow::addressing::AddressPlan;
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
struct Missing<'n> {
    /// The one-way routes, in the source VPC's tables (sorted and deduplicated when
    /// reported, like `sources` and `lines`: they mostly come in order).
    outgoing: Vec<Origin>,
    /// The source blocks without a way back, with their subnets, in the order found (sorted
    /// when reported: a table of a large hub and spoke network lacks the way back to
    /// thousands, and keeping them ordered as they came cost more than the rest of the rule).
    sources: Vec<(IpNet, SubnetId)>,
    /// What the replies match instead: routes of the table, or no route (`None`).
    instead: BTreeSet<Option<Origin>>,
    /// Routes to add: destination and target name (the first found for a destination).
    lines: Vec<(IpNet, &'n str)>,
    /// How the traffic comes (`peering a_b`).
    via: BTreeSet<String>,
}

/// A one-way route: where source blocks go out, and how they must come back.
struct OneWay<'n> {
    route: Origin,
    back: RouteTarget,
    via: String,
    target: &'n str,
    /// The source VPC.
    vpc: VpcId,
    /// The source blocks that the route sends out, with their subnets.
    blocks: Vec<(SubnetId, IpNet)>,
    /// All of `blocks`.
    all_blocks: AddrSet,
}

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut ix = Indexes::new(net);
    // Each route table of the other side is looked at once, for all the one-way routes that
    // reach it (in the order found): looked at once per route, a hub and spoke network made
    // the rule quadratic in its spokes, and each look gathered the route's sources again.
    let mut ways: Vec<OneWay> = Vec::new();
    let mut reaching: Vec<Vec<usize>> = vec![Vec::new(); net.route_tables.len()];
    for (t, table) in net.route_tables.iter().enumerate() {
        let sources = std::mem::take(&mut ix.by_table[t]);
        if sources.is_empty() {
            continue;
        }
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
            let blocks: Vec<(SubnetId, IpNet)> = sources
                .iter()
                .filter_map(|&s| block_of(&net.subnets[s.index()], &dest).map(|b| (s, b)))
                .collect();
            let reached = ix.destinations(net, &ctx.engine.plan, table.vpc, route, &dest);
            let mut tables = reached
                .iter()
                .filter(|(b, _)| *b != table.vpc)
                .flat_map(|(_, tables)| tables)
                .peekable();
            if tables.peek().is_none() {
                continue;
            }
            for &tb in tables {
                if let Some(list) = reaching.get_mut(tb.index()) {
                    list.push(ways.len());
                }
            }
            ways.push(OneWay {
                route: route.origin,
                back: route.target,
                via: format!("{via} `{target}`"),
                target,
                vpc: table.vpc,
                all_blocks: AddrSet::cidrs(blocks.iter().map(|(_, b)| b)),
                blocks,
            });
        }
    }
    let mut found: Vec<(RouteTableId, Missing)> = Vec::new();
    for (tb, list) in reaching.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let tb = Id::new(tb);
        let partition = ix.partition(net, tb);
        let mut m = Missing::default();
        for way in list.iter().map(|&w| &ways[w]) {
            // The common case, answered once for every source block: the table routes all
            // of them back the same way.
            let back = ix.routed_back(net, tb, way.back);
            if way.all_blocks.is_subset(back) {
                continue;
            }
            table_return(net, tb, &partition, back, way, &mut m);
        }
        if !m.sources.is_empty() {
            found.push((tb, m));
        }
    }
    let mut texts = LineTexts::default();
    found
        .into_iter()
        .map(|(table, m)| report(ctx, table, m, &mut texts))
        .collect()
}

/// A VPC a route reaches, with the route tables of its subnets there that must route back.
type Reached = (VpcId, Vec<RouteTableId>);

/// A route to a transit gateway, as its gateway and destination: in a network where many VPCs
/// route one block to the gateway, their routes share one entry.
type TgwKey = (TransitGatewayId, IpNet);

/// What the rule asks many times, computed once: without these, a hub-and-spoke network
/// (every spoke routing `10.0.0.0/8` to one transit gateway) made the rule cubic in the
/// number of VPCs.
struct Indexes<'n> {
    /// The subnets holding something, by route table.
    by_table: Vec<Vec<SubnetId>>,
    /// The subnets holding something, by VPC.
    by_vpc: Vec<Vec<SubnetId>>,
    /// A transit gateway route's destinations: each attached VPC reached, with the route
    /// tables of its subnets (holding something) inside the part of the route it receives,
    /// but for the tables that route back every source block of every table with that route
    /// ([`Self::tgw_sources`]): those lack nothing, whichever table the route is in. A VPC
    /// left without tables is left out.
    tgw_destinations: HashMap<TgwKey, Rc<Vec<Reached>>>,
    /// The source blocks of all the tables with a route to a transit gateway, by route. A
    /// hub and spoke network has one such route in every spoke; looking at every other
    /// spoke's tables for each of them was quadratic in the spokes. Taken when the route's
    /// destinations are first asked for (they are kept).
    tgw_sources: HashMap<TgwKey, TgwSources>,
    /// The addresses a route table sends to a target (by longest prefix match).
    routed_back: HashMap<(RouteTableId, RouteTarget), AddrSet>,
    /// Which route of a table carries which addresses ([`lookup`] of every address): a table
    /// without the way back is asked about every source block of the network.
    partitions: HashMap<RouteTableId, Rc<Partition<'n>>>,
}

/// The source blocks of the tables with one route to a transit gateway.
#[derive(Default)]
struct TgwSources {
    /// All of them.
    all: AddrSet,
    /// Each source VPC's.
    by_vpc: HashMap<VpcId, AddrSet>,
    /// Whether no two blocks overlap (VPCs with overlapping blocks on one transit gateway are
    /// possible, if broken).
    disjoint: bool,
}

impl TgwSources {
    fn new(mut blocks: Vec<(IpNet, VpcId)>) -> Self {
        blocks.sort_unstable();
        let disjoint = blocks.windows(2).all(|w| !overlaps(&w[0].0, &w[1].0));
        let mut by_vpc: HashMap<VpcId, Vec<IpNet>> = HashMap::default();
        for &(block, vpc) in &blocks {
            by_vpc.entry(vpc).or_default().push(block);
        }
        TgwSources {
            all: AddrSet::cidrs(blocks.iter().map(|(b, _)| b)),
            by_vpc: by_vpc
                .into_iter()
                .map(|(vpc, blocks)| (vpc, AddrSet::cidrs(blocks.iter())))
                .collect(),
            disjoint,
        }
    }

    /// Whether a table of VPC `b` that sends `back` to the gateway routes back every block
    /// but `b`'s own, which the rule does not ask `b` about (its tables route them locally,
    /// so with them every table of every spoke seemed to lack something). When blocks
    /// overlap, all of them: a table is then looked at block by block.
    fn routed_back_towards(&self, b: VpcId, back: &AddrSet) -> bool {
        match self.by_vpc.get(&b) {
            Some(own) if self.disjoint => self.all.is_subset(&back.union(own)),
            _ => self.all.is_subset(back),
        }
    }
}

/// A route table's routes with the addresses each carries, most specific first; `None` for
/// the addresses no route matches.
type Partition<'n> = Vec<(Option<&'n Route>, AddrSet)>;

impl<'n> Indexes<'n> {
    fn new(net: &'n Network) -> Self {
        let holds = holding_subnets(net);
        let mut by_table = vec![Vec::new(); net.route_tables.len()];
        let mut by_vpc = vec![Vec::new(); net.vpcs.len()];
        for (s, sub) in net.subnets.iter().enumerate() {
            if !holds[s] {
                continue;
            }
            if let Some(list) = by_table.get_mut(sub.route_table.index()) {
                list.push(Id::new(s));
            }
            if let Some(list) = by_vpc.get_mut(sub.vpc.index()) {
                list.push(Id::new(s));
            }
        }
        let mut tgw_blocks: HashMap<TgwKey, Vec<(IpNet, VpcId)>> = HashMap::default();
        for (t, table) in net.route_tables.iter().enumerate() {
            for route in &table.routes {
                let (RouteTarget::TransitGateway(tg), Destination::Cidr(dest)) =
                    (route.target, &route.destination)
                else {
                    continue;
                };
                let blocks = by_table[t]
                    .iter()
                    .filter_map(|s| block_of(&net.subnets[s.index()], dest))
                    .map(|b| (b, table.vpc));
                tgw_blocks.entry((tg, *dest)).or_default().extend(blocks);
            }
        }
        let tgw_sources = tgw_blocks
            .into_iter()
            .map(|(key, blocks)| (key, TgwSources::new(blocks)))
            .collect();
        Indexes {
            by_table,
            by_vpc,
            tgw_destinations: HashMap::default(),
            tgw_sources,
            routed_back: HashMap::default(),
            partitions: HashMap::default(),
        }
    }

    /// [`destinations`], each with the distinct route tables of the subnets reached, in the
    /// order of the subnets (the caller leaves out its own VPC).
    fn destinations(
        &mut self,
        net: &'n Network,
        plan: &AddressPlan,
        a: VpcId,
        route: &Route,
        dest: &IpNet,
    ) -> Rc<Vec<Reached>> {
        let reached_tables = |by_vpc: &[Vec<SubnetId>], b: VpcId, part: &AddrSet| {
            let mut tables: Vec<RouteTableId> = Vec::new();
            for &s in by_vpc.get(b.index()).map(Vec::as_slice).unwrap_or_default() {
                let sub = &net.subnets[s.index()];
                if addressing::subnet_addrs(sub).intersects(part)
                    && !tables.contains(&sub.route_table)
                {
                    tables.push(sub.route_table);
                }
            }
            tables
        };
        match route.target {
            RouteTarget::TransitGateway(tg) => {
                let key = (tg, *dest);
                if let Some(reached) = self.tgw_destinations.get(&key) {
                    return reached.clone();
                }
                let sources = self.tgw_sources.remove(&key).unwrap_or_default();
                let mut reached = Vec::new();
                for (b, part) in destinations(net, plan, None, route, dest) {
                    let mut tables = reached_tables(&self.by_vpc, b, &part);
                    tables.retain(|&tb| {
                        !sources.routed_back_towards(b, self.routed_back(net, tb, route.target))
                    });
                    // Only the VPCs with a table that lacks something: every VPC with the
                    // route reads this list, and a list of every attached VPC made that
                    // quadratic in the VPCs (5% of the rule on `expects 2000`).
                    if !tables.is_empty() {
                        reached.push((b, tables));
                    }
                }
                self.tgw_destinations
                    .entry(key)
                    .or_insert(Rc::new(reached))
                    .clone()
            }
            _ => Rc::new(
                destinations(net, plan, Some(a), route, dest)
                    .into_iter()
                    .map(|(b, part)| (b, reached_tables(&self.by_vpc, b, &part)))
                    .collect(),
            ),
        }
    }

    fn routed_back(&mut self, net: &'n Network, tb: RouteTableId, back: RouteTarget) -> &AddrSet {
        if !self.routed_back.contains_key(&(tb, back)) {
            let set = self
                .partition(net, tb)
                .iter()
                .filter(|(r, _)| r.is_some_and(|r| r.target == back))
                .fold(AddrSet::empty(), |acc, (_, part)| acc.union(part));
            self.routed_back.insert((tb, back), set);
        }
        &self.routed_back[&(tb, back)]
    }

    fn partition(&mut self, net: &'n Network, tb: RouteTableId) -> Rc<Partition<'n>> {
        self.partitions
            .entry(tb)
            .or_insert_with(|| Rc::new(lookup(&net.route_tables[tb.index()], &AddrSet::all())))
            .clone()
    }
}

/// The VPCs (other than the route's own) that a route over a peering or to a transit gateway
/// delivers to, with the part of its destination in each. A peering route whose destination
/// is not in the peered VPC is `peering-not-transitive`'s.
/// With `a` unknown (`None`), a transit gateway route's destinations include every attached
/// VPC (the caller removes its own), and a peering route has none.
fn destinations(
    net: &Network,
    plan: &AddressPlan,
    a: Option<VpcId>,
    route: &Route,
    dest: &IpNet,
) -> Vec<(VpcId, AddrSet)> {
    match route.target {
        RouteTarget::Peering(p) => a
            .and_then(|a| other_side(&net.peerings[p.index()], a))
            .filter(|b| {
                net.vpcs[b.index()]
                    .cidrs
                    .iter()
                    .any(|c| overlaps(&c.cidr, dest))
            })
            .map(|b| vec![(b, AddrSet::cidr(dest))])
            .unwrap_or_default(),
        RouteTarget::TransitGateway(tg) => {
            lookup_tgw(
                &net.transit_gateways[tg.index()],
                plan.tgw_routes(tg),
                &AddrSet::cidr(dest),
            )
                .into_iter()
                .filter_map(|(r, part)| match r.map(|r| r.target) {
                    Some(TgwTarget::Attachment(x)) => net.attachments[x.index()]
                        .vpc
                        .filter(|&b| Some(b) != a)
                        .map(|b| (b, part)),
                    _ => None,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The destination subnet's route table must send the source blocks (those of `way` it does
/// not route `back`) back the same way. What is recorded once for the route is recorded once,
/// not for each block: a table of a large hub and spoke network lacks the way back to
/// thousands.
fn table_return<'n>(
    net: &'n Network,
    tb: RouteTableId,
    partition: &Partition,
    back: &AddrSet,
    way: &OneWay<'n>,
    m: &mut Missing<'n>,
) {
    let other = &net.route_tables[tb.index()];
    let found_before = m.sources.len();
    let destinations = FixDestinations::new(other, &net.vpcs[way.vpc.index()]);
    // What the routes that carry some of a block (what `lookup` of the block gives) do with
    // its replies: the routes (or no route) they match instead of the way back, none when they
    // all go back, `None` when they are another rule's or translated on purpose.
    let carriers = |routes: &mut dyn Iterator<Item = Option<&Route>>| {
        let mut carried_by: smallvec::SmallVec<[Option<Origin>; 2]> = smallvec::SmallVec::new();
        for r in routes {
            match r {
                Some(r) if r.target == way.back => {}
                // Over another peering, toward a VPC that does not hold the block: `peering-not-transitive`.
                Some(r) if beyond_peering(net, other.vpc, r) => return None,
                // A private NAT gateway for that range: the traffic is translated on purpose (to
                // reach a network with overlapping addresses) and comes back to the NAT gateway.
                Some(r) if matches!(r.target, RouteTarget::NatGateway(n) if !net.nat_gateways[n.index()].public) => {
                    return None
                }
                Some(r) => carried_by.push(Some(r.origin)),
                None => carried_by.push(None),
            }
        }
        Some(carried_by)
    };
    // A source block without the way back, and the route to add for it.
    let add = |m: &mut Missing<'n>, &(src, block): &(SubnetId, IpNet)| {
        m.sources.push((block, src));
        // The blocks of one route's table are in one VPC: mostly one line for all of them.
        let line = destinations.of(&block);
        if let Some(d) = line.filter(|d| m.lines.last().map(|l| &l.0) != Some(d)) {
            m.lines.push((d, way.target));
        }
    };
    // Mostly one route of the table carries all of the way's blocks (the default route, on a
    // hub and spoke network): then it is asked about once, not for each block, and as it is
    // not the way back (the caller has seen that not all of them go back), none of them goes
    // back.
    let mut carrying_all = (partition.iter()).filter(|(_, part)| part.intersects(&way.all_blocks));
    if let (Some(&(r, _)), None) = (carrying_all.next(), carrying_all.next()) {
        let Some(carried_by) = carriers(&mut std::iter::once(r)).filter(|c| !c.is_empty()) else {
            return;
        };
        m.instead.extend(carried_by);
        way.blocks.iter().for_each(|block| add(m, block));
    } else {
        let missing = way
            .blocks
            .iter()
            .filter(|(_, block)| !AddrSet::cidr(block).is_subset(back));
        for block in missing {
            let mut carrying = (partition.iter())
                .filter(|(_, part)| part.intersects_cidr(&block.1))
                .map(|&(r, _)| r);
            let Some(carried_by) = carriers(&mut carrying).filter(|c| !c.is_empty()) else {
                continue;
            };
            add(m, block);
            m.instead.extend(carried_by);
        }
    }
    if m.sources.len() == found_before {
        return;
    }
    m.outgoing.push(way.route);
    if !m.via.contains(&way.via) {
        m.via.insert(way.via.clone());
    }
}

/// The text of each route to add (`route 10.1.0.0/16 -> core`), made once for the findings
/// that add it: on a hub and spoke network each table without the way back adds one route
/// to every spoke's block.
#[derive(Default)]
struct LineTexts<'n>(HashMap<(IpNet, &'n str), Rc<str>>);

impl<'n> LineTexts<'n> {
    fn of(&mut self, d: IpNet, target: &'n str) -> Rc<str> {
        self.0
            .entry((d, target))
            .or_insert_with(|| format!("route {d} -> {target}").into())
            .clone()
    }
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

fn report<'n>(
    ctx: &LintContext<'n>,
    t: RouteTableId,
    mut m: Missing<'n>,
    texts: &mut LineTexts<'n>,
) -> Diag {
    let net = ctx.net;
    let table = &net.route_tables[t.index()];
    let list = |set: &BTreeSet<String>| {
        join_and_at_most(&set.iter().cloned().collect::<Vec<_>>(), NAMED)
    };
    // In address order, and only the blocks named are described: a table of a large hub and
    // spoke network lacks the way back to thousands. A stable sort, which finds the runs they
    // mostly come in (each route's blocks, and the VPCs handed out in order): unstable, it was
    // a third of the rule's instructions on 500 spokes.
    m.sources.sort();
    m.sources.dedup();
    m.outgoing.sort_unstable();
    m.outgoing.dedup();
    // A stable sort: the first target found for a destination stays first, and is kept.
    m.lines.sort_by_key(|&(d, _)| d);
    m.lines.dedup_by_key(|&mut (d, _)| d);
    let to_add = aggregated(net, table, std::mem::take(&mut m.lines));
    let sources = join_and_at_most_of(
        m.sources
            .iter()
            .map(|(block, s)| format!("{block} (subnet `{}`)", net.subnets[s.index()].name)),
        NAMED,
    );
    let routes: BTreeSet<String> = m
        .instead
        .iter()
        .flatten()
        .filter_map(|o| table.routes.iter().find(|r| r.origin == *o))
        .map(|r| format!("`{}`", describe_route(net, r)))
        .collect();
    let routes: Vec<String> = routes.into_iter().collect();
    let instead = match routes.len() {
        0 => "no route matches the replies".to_string(),
        _ if m.instead.contains(&None) => {
            format!("the replies match {} or no route at all", join_and(&routes))
        }
        _ => format!("the replies match {} instead", join_and(&routes)),
    };
    let mut message = format!(
        "route table `{}` has no route back over {} to {}: {instead}, so the requests arrive but every connection hangs",
        table.name,
        list(&m.via),
        sources
    );
    let mut diag = finding(
        &RULE,
        name_of(table.origin),
        table.name.clone(),
        String::new(),
    )
    .label("no route back to the requests' source");
    for o in m.outgoing.iter().take(NAMED) {
        diag = diag.secondary(
            *o,
            "traffic goes out this way, and its replies cannot come back",
        );
    }
    if m.outgoing.len() > NAMED {
        diag = diag.note(format!(
            "{} more routes send traffic this way whose replies cannot come back",
            m.outgoing.len() - NAMED
        ));
    }
    // Intended flows whose replies pass this table and are lost.
    let component = format!("route_table {}", table.name);
    let lost = |e: Explanation| {
        matches!(
            e,
            Explanation::NoReturnRoute | Explanation::TgwRtbCannotRoute
        )
    };
    let candidates = ctx.flows_with_reply_via(&component);
    let (mut diag, broken, count) = broken_flows_among(ctx, diag, candidates, NAMED, |t| {
        t.reply.iter().any(|h| h.component == component)
            && t.drops
                .iter()
                .any(|d| d.leg == Leg::Reply && lost(d.explanation))
    });
    if count > 0 {
        message.push_str(&format!(" (it breaks {})", join_and_of_total(&broken, count)));
    }
    diag.message = message;
    let lines: Vec<Rc<str>> = to_add.iter().map(|&(d, t)| texts.of(d, t)).collect();
    if lines.is_empty() {
        return diag.note("add a route back to the source blocks over the same connection");
    }
    let quoted: Vec<String> = lines.iter().take(NAMED).map(|l| format!("`{l}`")).collect();
    let routes = if lines.len() > NAMED {
        format!("{} routes ({})", lines.len(), join_and_of_total(&quoted, lines.len()))
    } else {
        quoted.join(" and ")
    };
    if !table.implicit {
        let title = format!("add {routes} to route table `{}`", table.name);
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
        .chain(lines.iter().map(|l| l.to_string()))
        .collect();
    let block = format!("route_table {name} {{\n  {}\n}}", body.join("\n  "));
    let title = format!(
        "give VPC {} a main route table `{name}` with {routes}",
        vpc.name
    );
    diag.with_fix(Fix::one(title, vpc.origin, EditKind::InsertInBlock, block))
}

/// The routes to add, sorted by destination, with the blocks of one target that make up a
/// larger block written as that block (`10.0.0.0/14` for three spokes from one pool and the
/// table's own VPC): VPCs' blocks are mostly handed out in runs from one pool, and a table
/// without the way back to 400 spokes then needs a few routes, not 400 (a route table holds 50
/// routes by default, 1,000 at most). Every address goes where it went with one route per
/// block: the table's own VPC's blocks may be covered, as its local routes are more specific,
/// and a larger block is halved until the table has no route inside it that is less specific
/// than a part (that route would win over the part's addresses).
fn aggregated<'n>(
    net: &Network,
    table: &RouteTable,
    lines: Vec<(IpNet, &'n str)>,
) -> Vec<(IpNet, &'n str)> {
    if lines.len() < 2 {
        return lines;
    }
    let own = (net.vpcs[table.vpc.index()].cidrs.iter()).map(|c| c.cidr);
    let mut targets: Vec<&'n str> = lines.iter().map(|&(_, t)| t).collect();
    targets.sort_unstable();
    targets.dedup();
    let mut out = Vec::with_capacity(lines.len());
    for target in targets {
        // In address order: the parts inside a block are a run of them, found by halving.
        let mut parts: Vec<IpNet> = (lines.iter())
            .filter(|&&(_, t)| t == target)
            .map(|&(d, _)| d)
            .collect();
        // A stable sort, which sees that they are in order already (`lines` is sorted).
        parts.sort_by_key(|p| p.network());
        let inside = |block: &IpNet| {
            let from = parts.partition_point(|p| p.network() < block.network());
            let to = parts.partition_point(|p| p.network() <= block.broadcast());
            &parts[from..to.max(from)]
        };
        // What else sends addresses somewhere: the table's routes and the other targets' lines.
        let others: Vec<IpNet> = (table.routes.iter())
            .filter_map(|r| match r.destination {
                Destination::Cidr(d) => Some(d),
                Destination::PrefixList(_) => None,
            })
            .chain(lines.iter().filter(|&&(_, t)| t != target).map(|&(d, _)| d))
            .collect();
        let with_own: Vec<IpNet> = parts.iter().copied().chain(own.clone()).collect();
        let mut blocks = IpNet::aggregate(&with_own);
        while let Some(block) = blocks.pop() {
            let Some(&first) = inside(&block).first() else {
                continue; // the table's own block, which it routes locally
            };
            // A route inside the block, less specific than a part inside it.
            let wins_over_a_part = |e: &IpNet| {
                block.contains(e) && inside(e).iter().any(|p| e.prefix_len() < p.prefix_len())
            };
            match block.subnets(block.prefix_len() + 1) {
                Ok(halves) if block != first && others.iter().any(wins_over_a_part) => {
                    blocks.extend(halves)
                }
                _ => out.push((block, target)),
            }
        }
    }
    out.sort_by_key(|&(d, _)| d);
    out
}

/// The route to add for a source block of a VPC: the VPC's block that holds it, or the
/// block itself when the table already has a route with that destination. The VPC's blocks
/// are looked up in the table once, not for each source block (thousands, on a table without
/// the way back to every spoke of a large hub and spoke network).
struct FixDestinations<'a> {
    table: &'a RouteTable,
    /// The VPC's blocks, each with whether the table has a route with that destination.
    vpc_blocks: smallvec::SmallVec<[(IpNet, bool); 2]>,
}

impl<'a> FixDestinations<'a> {
    fn new(table: &'a RouteTable, vpc: &Vpc) -> Self {
        let vpc_blocks = (vpc.cidrs.iter())
            .map(|c| (c.cidr, taken(table, &c.cidr)))
            .collect();
        FixDestinations { table, vpc_blocks }
    }

    fn of(&self, block: &IpNet) -> Option<IpNet> {
        match self.vpc_blocks.iter().find(|(c, _)| c.contains(block)) {
            Some(&(vpc_block, false)) => Some(vpc_block),
            _ => Some(*block).filter(|b| !taken(self.table, b)),
        }
    }
}

/// Whether the table has a route to `d`.
fn taken(table: &RouteTable, d: &IpNet) -> bool {
    table
        .routes
        .iter()
        .any(|r| r.destination == Destination::Cidr(*d))
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
    let mut holds = vec![false; net.subnets.len()];
    let interface_endpoints = net
        .endpoints
        .iter()
        .filter(|e| e.kind == EndpointType::Interface)
        .flat_map(|e| &e.subnets);
    let placed = (net.workloads.iter().flat_map(|w| &w.subnets))
        .chain(net.load_balancers.iter().flat_map(|l| &l.subnets))
        .chain(interface_endpoints)
        .chain(net.resource_gateways.iter().flat_map(|g| &g.subnets));
    for s in placed {
        if let Some(h) = holds.get_mut(s.index()) {
            *h = true;
        }
    }
    holds
}
