//! `peering-not-transitive` (reachability, error, on by default).
//!
//! **What it does.** Finds routes that send traffic over a peering connection toward a network
//! beyond the peered VPC, which could only work by transit. VPC A is peered with B, B is peered
//! with C (or attached to a transit gateway, or connected to an on-premises network), and a
//! route table of A sends C's addresses to the A-B peering. Only routes whose destination
//! overlaps none of B's CIDR blocks are reported. The message names the intended flows that the
//! route breaks (the engine drops them with `NON_TRANSITIVE_PEERING` or
//! `NO_EDGE_TO_EDGE_ROUTING`).
//!
//! **Why it matters.** A VPC peering connection is one-to-one and not transitive: AWS delivers
//! packets that arrive over a peering only to addresses of the peered VPC itself, never onward
//! over another peering, a transit gateway, a VPN or Direct Connect (no edge-to-edge routing).
//! Such a route deploys without complaint and drops everything it carries.
//!
//! **Example.**
//! ```vnet
//! peering a_b { requester a  accepter b }
//! peering b_c { requester b  accepter c }
//! route_table a_rt { route 10.3.0.0/16 -> a_b }   # 10.3.0.0/16 is VPC c
//! ```
//!
//! **Fix.** Connect A and C directly: their own peering (with routes on both sides) or a
//! transit gateway both are attached to. When such a connection exists, `vnetc lint --fix`
//! retargets the route to it.

use crate::lint::wording::{join_and, join_and_of_total, NAMED};
use crate::check::{name_of, overlaps};
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::endpoint::describe;
use crate::flow::intent::Reason;
use crate::flow::{Explanation, Trace};
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;
use crate::flow::addressing::AddressPlan;

pub const RULE: Rule = Rule {
    id: "peering-not-transitive",
    group: Group::Reachability,
    severity: Severity::Error,
    default: true,
    run,
    source: include_str!("peering_not_transitive.rs"),
};

/// A network beyond the peered VPC, and how that VPC reaches it.
struct Beyond {
    name: String,
    via: String,
    /// The route target that would reach it directly from the route's VPC.
    direct: Option<String>,
}

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let links = Links::of(net);
    let mut out = Vec::new();
    for table in &net.route_tables {
        for route in &table.routes {
            let (RouteTarget::Peering(p), Destination::Cidr(dest)) =
                (route.target, &route.destination)
            else {
                continue;
            };
            let Some(b) = other_side(&net.peerings[p.index()], table.vpc) else {
                continue;
            };
            if net.vpcs[b.index()]
                .cidrs
                .iter()
                .any(|c| overlaps(&c.cidr, dest))
            {
                continue;
            }
            let beyond = beyond(net, &ctx.engine.plan, &links, table.vpc, b, p, dest);
            if beyond.is_empty() {
                continue;
            }
            out.push(report(ctx, table, route, p, b, dest, &beyond));
        }
    }
    out
}

fn report(
    ctx: &LintContext,
    table: &RouteTable,
    route: &Route,
    p: PeeringId,
    b: VpcId,
    dest: &ipnet::IpNet,
    beyond: &[Beyond],
) -> Diag {
    let net = ctx.net;
    let peering = &net.peerings[p.index()];
    let b_name = &net.vpcs[b.index()].name;
    let targets: Vec<String> = beyond
        .iter()
        .map(|x| format!("{} (through {})", x.name, x.via))
        .collect();
    let mut message = format!(
        "route table `{}` sends {dest} over peering `{}` to VPC `{b_name}`, but {dest} is {}, beyond VPC `{b_name}`: a peering carries traffic only to the peered VPC itself (it is not transitive and lends none of its gateways), so AWS drops every packet of this route",
        table.name,
        peering.name,
        join_and(&targets)
    );
    let diag = finding(&RULE, route.origin, table.name.clone(), String::new())
        .label(format!("{dest} is not in VPC {b_name}"))
        .secondary(
            name_of(peering.origin),
            format!("connects only to VPC {b_name}"),
        );
    let code = |e: Explanation| {
        matches!(
            e,
            Explanation::NonTransitivePeering | Explanation::NoEdgeToEdgeRouting
        )
    };
    let through = ctx.flows_at_origin(route.origin);
    let (mut diag, broken, count) = broken_flows_among(ctx, diag, through, NAMED, |t| {
        t.request.iter().any(|h| h.origin == Some(route.origin))
            && t.drops.iter().any(|d| code(d.explanation))
    });
    if count > 0 {
        message.push_str(&format!(" (it breaks {})", join_and_of_total(&broken, count)));
    }
    diag.message = message;
    match beyond {
        [one] if one.direct.is_some() => {
            let target = one.direct.clone().unwrap_or_default();
            let line = format!("route {dest} -> {target}");
            diag.with_fix(Fix::one(format!("send {dest} to {target}, which reaches {} directly", one.name), route.origin, EditKind::Replace, line))
        }
        _ => diag.note(format!(
            "connect VPC `{}` to {} directly ({}), then route {dest} to that connection",
            net.vpcs[table.vpc.index()].name,
            join_and(&beyond.iter().map(|x| x.name.clone()).collect::<Vec<_>>()),
            if beyond.iter().any(|x| x.name.starts_with("on-premises")) {
                "a VPN or Direct Connect connection to its own virtual private gateway, or a transit gateway it is attached to"
            } else {
                "a peering, with routes on both sides, or a transit gateway both are attached to"
            }
        )),
    }
}

/// The intended flows with a trace that `hit` picks, as `src -> dst proto ports`, among
/// `candidates` (indices into `intended`, in order): the flows an index says can match, as a
/// scan of every flow per finding was quadratic in the network's size. The finding gains a
/// label on each `expect` line among their reasons, which it explains (so that
/// `expect-violated` does not report it again). Only the first `named` flows are worded;
/// the count is of them all.
pub(super) fn broken_flows_among(
    ctx: &LintContext,
    mut diag: Diag,
    candidates: impl Iterator<Item = usize>,
    named: usize,
    hit: impl Fn(&Trace) -> bool,
) -> (Diag, Vec<String>, usize) {
    let net = ctx.net;
    let (mut broken, mut count) = (Vec::new(), 0);
    for i in candidates {
        let Some(flow) = ctx.intended.get(i) else { continue };
        if !ctx.answer(i).is_some_and(|r| r.traces.iter().any(&hit))
        {
            continue;
        }
        count += 1;
        for reason in flow.reasons {
            if let Reason::Expect { origin } = reason {
                diag = diag.secondary(*origin, "explains why this `expect` line fails");
            }
        }
        if broken.len() == named {
            continue;
        }
        let ports = if flow.protocol.has_ports() {
            format!(" {}", flow.ports)
        } else {
            String::new()
        };
        broken.push(format!(
            "`{} -> {} {}{ports}`",
            describe(net, flow.source),
            describe(net, flow.destination),
            flow.protocol
        ));
    }
    (diag, broken, count)
}

/// The other VPC of a peering, seen from `vpc`.
pub(super) fn other_side(peering: &Peering, vpc: VpcId) -> Option<VpcId> {
    match (peering.requester, peering.accepter) {
        (Some(a), Some(b)) if a == vpc => Some(b),
        (Some(a), Some(b)) if b == vpc => Some(a),
        _ => None,
    }
}

/// The network's connections that the address plan does not index, found once for the
/// rule: asked per route, a scan of every peering and attachment was quadratic in the size of
/// the network. (A VPC's transit gateways, the peering between two VPCs and a site's
/// connections are the plan's.)
struct Links {
    /// Each VPC's peerings, in order.
    peerings: Vec<Vec<PeeringId>>,
    /// The VPCs of each transit gateway's attachments, in the attachments' order.
    attached_vpcs: Vec<Vec<VpcId>>,
}

impl Links {
    fn of(net: &Network) -> Self {
        let mut links = Links {
            peerings: vec![Vec::new(); net.vpcs.len()],
            attached_vpcs: vec![Vec::new(); net.transit_gateways.len()],
        };
        for (i, q) in net.peerings.iter().enumerate() {
            let (Some(x), Some(y)) = (q.requester, q.accepter) else {
                continue;
            };
            for (from, to) in [(x, y), (y, x)] {
                if from == to && links.peerings[from.index()].last() == Some(&Id::new(i)) {
                    continue; // a VPC peered with itself: once
                }
                links.peerings[from.index()].push(Id::new(i));
            }
        }
        for at in &net.attachments {
            let Some(v) = at.vpc else { continue };
            links.attached_vpcs[at.transit_gateway.index()].push(v);
        }
        links
    }
}

/// The networks overlapping `dest` that VPC `b` reaches through another connection than the
/// peering `p` with VPC `a`.
fn beyond(
    net: &Network,
    plan: &AddressPlan,
    links: &Links,
    a: VpcId,
    b: VpcId,
    p: PeeringId,
    dest: &ipnet::IpNet,
) -> Vec<Beyond> {
    let mut out = Vec::new();
    let hits = |cidrs: &[CidrBlock]| cidrs.iter().any(|c| overlaps(&c.cidr, dest));
    let peering_between =
        |x: VpcId, y: VpcId| (plan.peering_between(x, y)).map(|q| &net.peerings[q.index()]);
    let attached = |t: TransitGatewayId, v: VpcId| plan.attachment(t, v).is_some();
    for &q in &links.peerings[b.index()] {
        let Some(c) = other_side(&net.peerings[q.index()], b) else { continue };
        if q == p || c == a || !hits(&net.vpcs[c.index()].cidrs) {
            continue;
        }
        out.push(Beyond {
            name: format!("VPC `{}`", net.vpcs[c.index()].name),
            via: format!("peering `{}`", net.peerings[q.index()].name),
            direct: peering_between(a, c).map(|x| x.name.clone()),
        });
    }
    for &t in plan.transit_gateways_of(b) {
        let tgw = &net.transit_gateways[t.index()];
        for &c in &links.attached_vpcs[t.index()] {
            if c == a || c == b || !hits(&net.vpcs[c.index()].cidrs) {
                continue;
            }
            out.push(Beyond {
                name: format!("VPC `{}`", net.vpcs[c.index()].name),
                via: format!("transit gateway `{}`", tgw.name),
                direct: peering_between(a, c)
                    .map(|x| x.name.clone())
                    .or_else(|| attached(t, a).then(|| tgw.name.clone())),
            });
        }
    }
    for site in net
        .on_premises
        .iter()
        .enumerate()
        .filter(|(_, o)| hits(&o.cidrs))
    {
        let (o, site): (OnPremisesId, _) = (Id::new(site.0), site.1);
        for conn in plan.connections_of(o).iter().map(|c| &net.connections[c.index()]) {
            let (via, direct) = match conn.gateway {
                Some(ConnectionGateway::VpnGateway(v)) if net.vpn_gateways[v.index()].vpc == b => (
                    format!(
                        "its virtual private gateway `{}`",
                        net.vpn_gateways[v.index()].name
                    ),
                    None,
                ),
                Some(ConnectionGateway::TransitGateway(t)) if attached(t, b) => {
                    let tgw = &net.transit_gateways[t.index()];
                    (
                        format!("transit gateway `{}`", tgw.name),
                        attached(t, a).then(|| tgw.name.clone()),
                    )
                }
                _ => continue,
            };
            out.push(Beyond {
                name: format!("on-premises network `{}`", site.name),
                via,
                direct,
            });
        }
    }
    out.sort_by(|x, y| (&x.name, &x.via).cmp(&(&y.name, &y.via)));
    out.dedup_by(|x, y| x.name == y.name);
    out
}
