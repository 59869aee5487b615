//! `uses-unreachable` (reachability, error, on by default).
//!
//! **What it does.** Finds workloads that `uses` something that no working path reaches. Each
//! use is checked with the flow engine as tcp 443: an AWS service through the way the workload's subnet would
//! take (a gateway endpoint on its route table, an interface endpoint in its VPC, an interface
//! endpoint in a VPC it routes to over a peering or a transit gateway, else the service's public
//! endpoint by the default route), the internet, and an endpoint service through the interface
//! endpoint that consumes it. A workload is reported when, from some subnet of it, no request
//! completes: no route (no endpoint and no NAT or internet gateway route), a security group or
//! NACL that drops it, a missing return route. The message gives the first hop that drops, with
//! its rule and explanation code, as `vnetc reach` would. Replies dropped by a NACL are
//! `nacl-missing-return`'s, a NAT gateway without a route to the internet is
//! `nat-gateway-without-internet-route`'s (both name the flows they break); Lattice services and
//! resource configurations are not analysed yet.
//!
//! **Why it matters.** `uses` is what the workload needs to run: its SDK calls to S3, Systems
//! Manager or a partner's API. Two traps are common. A gateway endpoint does not give S3 or
//! DynamoDB private addresses: the workload still sends to the service's public addresses,
//! so a security group egress rule or a NACL limited to the VPC's CIDR drops the traffic
//! (allow the managed prefix list, `egress tcp 443 to s3`, or 0.0.0.0/0 in NACLs). And an
//! interface endpoint is a set of network interfaces with security groups of their own, which
//! must admit tcp 443 from the workload. AWS accepts both without a word; the calls time out.
//!
//! **Example.**
//! ```vnet
//! security_group app_sg { egress tcp 443 to 10.0.0.0/16 }   # the VPC only
//! instance app { subnet app_a  security_groups [app_sg]  uses [s3] }
//! endpoint s3_gw { service s3  type gateway  route_tables [app_rt] }
//! ```
//!
//! **Fix.** The finding names the rule or route that drops the requests and the change that
//! lets them through. When a security group drops them (the workload's egress, or an interface
//! endpoint's ingress), `vnetc lint --fix` adds the rule: `egress tcp 443 to s3` on the
//! workload's group, or `ingress tcp 443 from app_sg` on the endpoint's group.

use std::collections::{BTreeSet, HashSet};

use crate::lint::wording::join_and;
use crate::aws;
use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use ipnet::IpNet;

use crate::flow::access::Access;
use crate::flow::addressing::AddressPlan;
use crate::flow::intent::{consumer_endpoint, Reason};
use crate::flow::packet_set::AddrSet;
use crate::flow::routing::lookup;
use crate::flow::security_group::short_name;
use crate::flow::trace::{Drop, Leg};
use crate::flow::{Explanation, Outcome, Query, Trace};
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "uses-unreachable",
    group: Group::Reachability,
    severity: Severity::Error,
    default: true,
    run,
    source: include_str!("uses_unreachable.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut offered: BTreeSet<(SecurityGroupId, String)> = BTreeSet::new();
    let blocks = Blocks::new(net);
    let mut out = Vec::new();
    for (i, w) in net.workloads.iter().enumerate() {
        for used in &w.uses {
            let (destination, what) = match used {
                Use::Internet => (FlowEndpoint::Internet, "the internet".to_string()),
                Use::Service(s) => (FlowEndpoint::Service(s.clone()), s.to_string()),
                Use::EndpointService(es) => {
                    let name = &net.endpoint_services[es.index()].name;
                    match consumer_endpoint(net, w, *es) {
                        Some(e) => (
                            FlowEndpoint::Endpoint(e),
                            format!("endpoint service `{name}`"),
                        ),
                        None => {
                            out.push(no_endpoint(net, w, name));
                            continue;
                        }
                    }
                }
                Use::LatticeService(_) | Use::ResourceConfiguration(_) => continue,
            };
            let query = Query {
                source: FlowEndpoint::Workload(Id::new(i)),
                destination,
                protocol: Protocol::Tcp,
                ports: PortRange::single(443),
            };
            let Some(reach) = ctx.reach(&query) else {
                continue;
            };
            if reach.outcome_for_some == Outcome::Completed {
                continue;
            }
            // Left to more specific rules: replies a NACL drops (`nacl-missing-return`), a
            // NAT gateway without a route to the internet (`nat-gateway-without-internet-route`).
            let specific = |d: &Drop| {
                (d.leg == Leg::Reply && d.explanation == Explanation::SubnetAclRestriction)
                    || d.explanation == Explanation::NatGatewayNoInternetRoute
            };
            // Each failing placement (a subnet of the workload) with the first drop that explains it.
            let in_trace = |t: &Trace, s: &SubnetId| t.subnets.contains(&Some(*s));
            let failing: Vec<(Option<SubnetId>, &Drop)> = reach
                .traces
                .iter()
                .filter(|t| t.outcome != Outcome::Completed)
                .filter_map(|t| {
                    Some((
                        w.subnets.iter().copied().find(|s| in_trace(t, s)),
                        t.drops.iter().find(|d| !specific(d))?,
                    ))
                })
                .collect();
            let Some(&(first, drop)) = failing.first() else {
                continue;
            };
            let same =
                |d: &Drop| d.component == drop.component && d.explanation == drop.explanation;
            // A subnet fails once per destination address (an interface endpoint has one in
            // each of its subnets): each is named once.
            let mut subnets: Vec<SubnetId> = Vec::new();
            for s in failing.iter().filter(|(_, d)| same(d)).filter_map(|(s, _)| *s) {
                if !subnets.contains(&s) {
                    subnets.push(s);
                }
            }
            let mut others: Vec<String> = failing
                .iter()
                .filter(|(_, d)| !same(d))
                .map(|(s, d)| {
                    format!(
                        "from subnet `{}`, the {} dropped at {}: {} [{}]",
                        s.map_or("?", |s| short_name(&net.subnets[s.index()].name)),
                        if d.leg == Leg::Reply {
                            "replies are"
                        } else {
                            "requests are"
                        },
                        d.component,
                        d.message,
                        d.explanation
                    )
                })
                .collect();
            let mut seen = BTreeSet::new();
            others.retain(|note| seen.insert(note.clone()));
            let access = match (used, first) {
                (Use::Service(s), Some(sub)) => ctx.engine.services.access(net, sub, s),
                _ => Access::Public,
            };
            let diag = report(
                ctx,
                w,
                &what,
                &query,
                access,
                &subnets,
                drop,
                &blocks,
                &mut offered,
            );
            out.push(others.into_iter().fold(diag, |d, n| d.note(n)));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn report(
    ctx: &LintContext,
    w: &Workload,
    what: &str,
    query: &Query,
    access: Access,
    subnets: &[SubnetId],
    drop: &Drop,
    blocks: &Blocks,
    offered: &mut BTreeSet<(SecurityGroupId, String)>,
) -> Diag {
    let net = ctx.net;
    let endpoint = match (&query.destination, access) {
        (FlowEndpoint::Endpoint(e), _) => Some(*e),
        (_, Access::InterfaceEndpoint(e) | Access::GatewayEndpoint(e)) => Some(e),
        _ => None,
    };
    let way = match (access, endpoint) {
        (Access::GatewayEndpoint(e), _) => format!(
            " (through gateway endpoint `{}`, to {what}'s public addresses)",
            net.endpoints[e.index()].name
        ),
        (_, Some(e)) => format!(
            " (through interface endpoint `{}`)",
            net.endpoints[e.index()].name
        ),
        _ => String::new(),
    };
    let from = match subnets {
        [_, _, ..] => {
            let names: Vec<String> = subnets
                .iter()
                .map(|s| format!("`{}`", short_name(&net.subnets[s.index()].name)))
                .collect();
            format!(" from subnets {}", join_and(&names))
        }
        [s] if w.subnets.len() > 1 => format!(
            " from subnet `{}`",
            short_name(&net.subnets[s.index()].name)
        ),
        _ => String::new(),
    };
    let fate = match drop.leg {
        Leg::Request => "are dropped",
        Leg::Reply => "arrive, but the replies are dropped",
    };
    let mut message = format!(
        "`{}` uses {what}, but its tcp 443 requests{from}{way} {fate} at {}: {} [{}]",
        w.name, drop.component, drop.message, drop.explanation
    );
    if matches!(query.destination, FlowEndpoint::Service(_)) && endpoint.is_none() {
        message.push_str(&format!(". No endpoint for {what} serves the workload's subnets, so its only way is {what}'s public endpoint, through a NAT or internet gateway"));
    }
    let mut diag = finding(&RULE, name_of(w.origin), w.name.clone(), message)
        .label(format!("cannot reach {what}"));
    if let Some(o) = drop.origin {
        let (at, label) = drop_label(blocks, o, &drop.component.to_string());
        diag = diag.secondary(at, label);
    }
    if let Some(e) = endpoint {
        diag = diag.secondary(
            name_of(net.endpoints[e.index()].origin),
            format!("the way to {what}"),
        );
    }
    let filtered = matches!(
        drop.explanation,
        Explanation::EniSgRulesMismatch | Explanation::SubnetAclRestriction
    );
    if matches!(access, Access::GatewayEndpoint(_)) && drop.leg == Leg::Request && filtered {
        diag = diag.note(format!(
            "a gateway endpoint does not give {what} private addresses: the workload still sends to {what}'s public addresses, so its security group egress must allow them (the `{what}` prefix list, or 0.0.0.0/0) and its NACL must allow tcp 443 out and the replies in (0.0.0.0/0)"
        ));
    }
    if drop.explanation == Explanation::EniSgRulesMismatch && drop.component.ends_with(" ingress") {
        diag = diag.note("an interface endpoint's security groups must admit tcp 443 from the workloads that use it");
    }
    for flow in ctx.flows_of_query(query).map(|i| ctx.intended.flow(i)) {
        for reason in flow.reasons {
            if let Reason::Expect { origin } = reason {
                diag = diag.secondary(*origin, "explains why this `expect` line fails");
            }
        }
    }
    // Toward public addresses, a security group rule helps only where a route leads there.
    let public = match &query.destination {
        FlowEndpoint::Service(x) => AddrSet::cidr(&IpNet::V4(AddressPlan::service_net(x))),
        _ => ctx.engine.plan.internet().clone(),
    };
    let routed = |s: &SubnetId| {
        let table = &net.route_tables[net.subnets[s.index()].route_table.index()];
        lookup(table, &public)
            .iter()
            .all(|(r, _)| r.is_some_and(|r| r.target != RouteTarget::Blackhole))
    };
    let useful = endpoint.is_some() || subnets.iter().all(routed);
    match sg_fix(net, w, &query.destination, endpoint, drop).filter(|_| useful) {
        Some((group, lines)) if lines.iter().all(|l| offered.insert((group, l.clone()))) => {
            let g = &net.security_groups[group.index()];
            let title = format!(
                "add `{}` to security group {}",
                lines.join("` and `"),
                short_name(&g.name)
            );
            diag.with_fix(Fix::one(
                title,
                g.origin,
                EditKind::InsertInBlock,
                lines.join("\n"),
            ))
        }
        _ if !drop.fix.is_empty() => diag.note(format!("fix: {}", drop.fix)),
        _ => diag,
    }
}

/// The blocks a drop can be decided at, by origin: found once per run (a drop is labelled at
/// its block's name when it is one of these).
struct Blocks {
    /// Security groups, NACLs, route tables, NAT gateways, peerings, transit gateways and
    /// attachments.
    named: HashSet<Origin>,
    /// The implicit main route tables (their origin is their VPC's).
    implicit_main: HashSet<Origin>,
}

impl Blocks {
    fn new(net: &Network) -> Self {
        let filters = (net.security_groups.iter().map(|x| x.origin))
            .chain(net.nacls.iter().map(|x| x.origin))
            .chain(net.route_tables.iter().map(|x| x.origin));
        let gateways = (net.nat_gateways.iter().map(|x| x.origin))
            .chain(net.peerings.iter().map(|x| x.origin))
            .chain(net.transit_gateways.iter().map(|x| x.origin))
            .chain(net.attachments.iter().map(|x| x.origin));
        Blocks {
            named: filters.chain(gateways).collect(),
            implicit_main: (net.route_tables.iter())
                .filter(|t| t.implicit)
                .map(|t| t.origin)
                .collect(),
        }
    }
}

/// Where to label a drop: a block (a security group, a NACL's implicit deny, a route table, a
/// gateway) at its name; a deciding rule or route at itself. The implicit main route table's origin is
/// its VPC's.
fn drop_label(blocks: &Blocks, o: Origin, component: &str) -> (Origin, String) {
    let main = blocks.implicit_main.contains(&o);
    let block = main || blocks.named.contains(&o);
    let what = if main {
        format!("{component} (the VPC's implicit main route table: local routes only)")
    } else {
        component.to_string()
    };
    (
        if block { name_of(o) } else { o },
        format!("{what} drops it"),
    )
}

/// The security group rule(s) that let the requests through, when a security group drops them:
/// the workload's egress, or the interface endpoint's ingress.
fn sg_fix(
    net: &Network,
    w: &Workload,
    dst: &FlowEndpoint,
    endpoint: Option<EndpointId>,
    drop: &Drop,
) -> Option<(SecurityGroupId, Vec<String>)> {
    if drop.explanation != Explanation::EniSgRulesMismatch || drop.leg != Leg::Request {
        return None;
    }
    let sgs = &net.security_groups;
    let written =
        |groups: &[SecurityGroupId]| groups.iter().copied().find(|g| !sgs[g.index()].default);
    let endpoint = endpoint
        .map(|e| &net.endpoints[e.index()])
        .filter(|e| e.kind == EndpointType::Interface);
    // A group of the same VPC names the other side by its group, else by its subnets' blocks.
    let peers = |groups: &[SecurityGroupId], vpc: VpcId, subnets: &[SubnetId]| match written(groups)
    {
        Some(g) if vpc == w.vpc => vec![short_name(&sgs[g.index()].name).to_string()],
        _ => subnets
            .iter()
            .filter_map(|s| net.subnets[s.index()].cidr.as_ref())
            .map(|c| c.cidr.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    };
    let (group, rule, peers) = match (drop.component.ends_with(" egress"), endpoint, dst) {
        (true, Some(e), _) => (
            written(&w.security_groups)?,
            "egress tcp 443 to",
            peers(&e.security_groups, e.vpc, &e.subnets),
        ),
        (true, None, FlowEndpoint::Service(s))
            if aws::PREFIX_LIST_SERVICES.contains(&s.as_str()) =>
        {
            (
                written(&w.security_groups)?,
                "egress tcp 443 to",
                vec![s.to_string()],
            )
        }
        (true, None, _) => (
            written(&w.security_groups)?,
            "egress tcp 443 to",
            vec!["0.0.0.0/0".to_string()],
        ),
        (false, Some(e), _) => (
            written(&e.security_groups)?,
            "ingress tcp 443 from",
            peers(&w.security_groups, e.vpc, &w.subnets),
        ),
        (false, None, _) => return None,
    };
    Some((group, peers.iter().map(|p| format!("{rule} {p}")).collect()))
}

/// A workload uses an endpoint service that no interface endpoint brings to it.
fn no_endpoint(net: &Network, w: &Workload, service: &str) -> Diag {
    let vpc = &net.vpcs[w.vpc.index()].name;
    let subnets: Vec<&str> = w
        .subnets
        .iter()
        .map(|s| short_name(&net.subnets[s.index()].name))
        .collect();
    let message = format!(
        "`{}` uses endpoint service `{service}`, but no interface endpoint for it is in VPC `{vpc}` or in a VPC its subnets route to over a peering or a transit gateway: there is no way to reach it",
        w.name
    );
    let note = format!(
        "add `endpoint NAME {{ service {service}  type interface  subnets [{}]  security_groups [SG] }}` to VPC `{vpc}`, with a security group that admits tcp 443 from the workload",
        subnets.join(", ")
    );
    finding(&RULE, name_of(w.origin), w.name.clone(), message)
        .label(format!("cannot reach {service}"))
        .note(note)
}
