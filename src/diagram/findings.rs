//! Lint findings on the picture. A finding is located at an entity's block or at a node
//! inside one (an `expect` line, a NACL rule). It is marked on the innermost entity whose
//! block contains that place, and entities that are not drawn (NACLs, route tables, security
//! groups, `expect` lines ...) pass the mark to the drawn things they apply to. Secondary
//! labels mark the resources they point at too (the NACL that drops a flow), except `expect`
//! lines: those state intent, they are not where a problem is. Nothing here knows a rule:
//! every rule's findings show up the same way.

use std::collections::BTreeSet;

use super::builder::{Builder, Target, Thing};
use super::model::Mark;
use crate::diagnostics::render::{Located, Place};
use crate::diagnostics::Severity;
use crate::ir::*;
use crate::syntax::Span;

/// The caption's line width, in characters, and how many lines a finding may take.
const CAPTION_WIDTH: usize = 100;
const CAPTION_LINES: usize = 2;
/// How many findings the caption lists.
const CAPTION_FINDINGS: usize = 8;

/// Marks every finding on what it concerns and returns the caption lines listing them.
pub fn mark(
    b: &mut Builder,
    findings: &[Located],
    span: &dyn Fn(Origin) -> Span,
) -> Vec<(Option<Severity>, String)> {
    let entities: Vec<(Thing, Origin, Span)> = entities(b.net)
        .into_iter()
        .map(|(t, o)| (t, o, span(o)))
        .collect();
    let mut caption = Vec::new();
    let (mut shown, mut unshown) = (0, 0);
    for diag in findings {
        let mut places: Vec<(Target, Option<String>)> = Vec::new();
        let labels = std::iter::once((diag.primary, None)).chain(
            diag.secondary
                .iter()
                .map(|(place, label)| (*place, Some(label.clone()))),
        );
        for (place, here) in labels {
            let Some(thing) = innermost(&entities, place) else {
                continue;
            };
            if here.is_some() && matches!(thing, Thing::Expect(_)) {
                continue;
            }
            for target in targets(b, thing) {
                if !places.iter().any(|(t, _)| *t == target) {
                    places.push((target, here.clone()));
                }
            }
        }
        if places.is_empty() {
            unshown += 1;
            continue;
        }
        shown += 1;
        for (target, here) in places {
            let mark = Mark {
                number: shown,
                severity: diag.severity,
                rule: diag.code.0.to_string(),
                message: diag.message.clone(),
                here,
            };
            b.mark(target, mark);
        }
        if shown <= CAPTION_FINDINGS {
            let text = format!("⚠ {shown} {}: {}", diag.code.0, diag.message);
            for (i, line) in wrap(&text).into_iter().enumerate() {
                let line = if i == 0 {
                    line
                } else {
                    format!("      {line}")
                };
                caption.push((Some(diag.severity), line));
            }
        }
    }
    if shown > CAPTION_FINDINGS {
        let more = shown - CAPTION_FINDINGS;
        caption.push((None, format!("... and {more} more (`vnetc lint`)")));
    }
    if unshown > 0 {
        let line =
            format!("{unshown} finding(s) about what this view does not show (`vnetc lint`)");
        caption.push((None, line));
    }
    caption
}

/// A message in at most [`CAPTION_LINES`] lines of about [`CAPTION_WIDTH`] characters,
/// cut with `…` beyond: the caption must not make the picture wider than the network.
fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().map(|l| l.chars().count()).unwrap_or(0);
        if line > 0 && line + 1 + word.chars().count() > CAPTION_WIDTH {
            if lines.len() == CAPTION_LINES {
                if let Some(last) = lines.last_mut() {
                    last.push_str(" …");
                }
                return lines;
            }
            lines.push(String::new());
        }
        if let Some(last) = lines.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// The entity whose block is the smallest one containing `place`.
fn innermost(entities: &[(Thing, Origin, Span)], place: Place) -> Option<Thing> {
    let at = place.span;
    entities
        .iter()
        .filter(|(_, o, s)| o.file == place.file && s.start <= at.start && at.end <= s.end)
        .min_by_key(|(t, _, s)| (s.end - s.start, *t))
        .map(|(t, _, _)| *t)
}

/// Every entity written in the source, with its origin (implicit ones, which carry their
/// VPC's origin, are left out so that the VPC is found instead).
fn entities(net: &Network) -> Vec<(Thing, Origin)> {
    let mut out = Vec::new();
    macro_rules! all {
        ($field:ident, $thing:ident) => {
            out.extend(
                net.$field
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (Thing::$thing(i), x.origin)),
            )
        };
        ($field:ident, $thing:ident, $implicit:expr) => {
            out.extend(
                net.$field
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| !$implicit(x))
                    .map(|(i, x)| (Thing::$thing(i), x.origin)),
            )
        };
    }
    all!(vpcs, Vpc);
    all!(subnets, Subnet);
    all!(route_tables, RouteTable, |r: &RouteTable| r.implicit);
    all!(nacls, Nacl, |n: &Nacl| n.default);
    all!(security_groups, SecurityGroup, |g: &SecurityGroup| g
        .default);
    all!(nat_gateways, NatGateway);
    all!(internet_gateways, InternetGateway);
    all!(vpn_gateways, VpnGateway);
    all!(endpoints, Endpoint);
    all!(endpoint_services, EndpointService);
    all!(load_balancers, LoadBalancer);
    all!(target_groups, TargetGroup);
    all!(workloads, Workload);
    all!(resource_gateways, ResourceGateway);
    all!(resource_configurations, ResourceConfiguration);
    all!(peerings, Peering);
    all!(transit_gateways, TransitGateway);
    all!(attachments, Attachment);
    all!(on_premises, OnPremises);
    all!(connections, Connection);
    all!(service_networks, ServiceNetwork);
    all!(lattice_services, LatticeService);
    all!(expects, Expect);
    out
}

/// Where a finding about `thing` is shown: where it is drawn, else on the drawn things it
/// applies to (a NACL on its subnets, a security group on its members, an `expect` line on
/// its two ends), else on its VPC.
fn targets(b: &Builder, thing: Thing) -> Vec<Target> {
    if let Some(drawn) = b.drawn.get(&thing) {
        return drawn.clone();
    }
    let net = b.net;
    let mut things: BTreeSet<Thing> = BTreeSet::new();
    let mut extra = Vec::new();
    match thing {
        Thing::RouteTable(r) => things.extend(subnets_where(net, |s| s.route_table.index() == r)),
        Thing::Nacl(n) => things.extend(subnets_where(net, |s| s.nacl.index() == n)),
        Thing::SecurityGroup(g) => {
            let has = |groups: &[SecurityGroupId]| groups.iter().any(|x| x.index() == g);
            let net = b.net;
            things.extend(
                (0..net.workloads.len())
                    .filter(|&i| has(&net.workloads[i].security_groups))
                    .map(Thing::Workload),
            );
            things.extend(
                (0..net.load_balancers.len())
                    .filter(|&i| has(&net.load_balancers[i].security_groups))
                    .map(Thing::LoadBalancer),
            );
            things.extend(
                (0..net.endpoints.len())
                    .filter(|&i| has(&net.endpoints[i].security_groups))
                    .map(Thing::Endpoint),
            );
            things.extend(
                (0..net.resource_gateways.len())
                    .filter(|&i| has(&net.resource_gateways[i].security_groups))
                    .map(Thing::ResourceGateway),
            );
        }
        Thing::TargetGroup(t) => {
            let serves = |ls: &[Listener]| ls.iter().any(|l| l.target_group.index() == t);
            things.extend(
                (0..net.load_balancers.len())
                    .filter(|&i| serves(&net.load_balancers[i].listeners))
                    .map(Thing::LoadBalancer),
            );
            things.extend(
                (0..net.lattice_services.len())
                    .filter(|&i| serves(&net.lattice_services[i].listeners))
                    .map(Thing::LatticeService),
            );
        }
        Thing::Attachment(a) => {
            things.insert(Thing::TransitGateway(
                net.attachments[a].transit_gateway.index(),
            ));
        }
        Thing::Connection(c) => {
            things.insert(Thing::OnPremises(net.connections[c].on_premises.index()));
        }
        Thing::Peering(p) => {
            let peering = &net.peerings[p];
            things.extend(
                peering
                    .requester
                    .iter()
                    .chain(&peering.accepter)
                    .map(|v| Thing::Vpc(v.index())),
            );
        }
        Thing::Expect(e) => {
            for end in [&net.expects[e].source, &net.expects[e].destination] {
                match b.endpoint_thing(end) {
                    Some(t) => {
                        things.insert(t);
                    }
                    None => extra.extend(b.endpoint_extra(end)),
                }
            }
        }
        _ => {}
    }
    let mut out: Vec<Target> = things.iter().flat_map(|t| targets(b, *t)).collect();
    out.extend(extra);
    if out.is_empty() {
        if let Some(v) = vpc_of(net, thing) {
            return b.drawn.get(&Thing::Vpc(v)).cloned().unwrap_or_default();
        }
    }
    out
}

/// The VPC an entity belongs to, if one.
fn vpc_of(net: &Network, thing: Thing) -> Option<usize> {
    Some(match thing {
        Thing::Vpc(v) => v,
        Thing::Subnet(i) => net.subnets[i].vpc.index(),
        Thing::RouteTable(i) => net.route_tables[i].vpc.index(),
        Thing::Nacl(i) => net.nacls[i].vpc.index(),
        Thing::SecurityGroup(i) => net.security_groups[i].vpc.index(),
        Thing::NatGateway(i) => net.nat_gateways[i].vpc.index(),
        Thing::InternetGateway(i) => net.internet_gateways[i].vpc.index(),
        Thing::VpnGateway(i) => net.vpn_gateways[i].vpc.index(),
        Thing::Endpoint(i) => net.endpoints[i].vpc.index(),
        Thing::EndpointService(i) => net.endpoint_services[i].vpc.index(),
        Thing::LoadBalancer(i) => net.load_balancers[i].vpc.index(),
        Thing::TargetGroup(i) => net.target_groups[i].vpc.index(),
        Thing::Workload(i) => net.workloads[i].vpc.index(),
        Thing::ResourceGateway(i) => net.resource_gateways[i].vpc.index(),
        Thing::ResourceConfiguration(i) => net.resource_configurations[i].vpc.index(),
        Thing::Attachment(i) => net.attachments[i].vpc?.index(),
        Thing::Expect(i) => net.expects[i].vpc?.index(),
        Thing::Peering(_)
        | Thing::TransitGateway(_)
        | Thing::OnPremises(_)
        | Thing::Connection(_)
        | Thing::ServiceNetwork(_)
        | Thing::LatticeService(_) => return None,
    })
}

fn subnets_where(net: &Network, keep: impl Fn(&Subnet) -> bool) -> Vec<Thing> {
    (0..net.subnets.len())
        .filter(|&s| keep(&net.subnets[s]))
        .map(Thing::Subnet)
        .collect()
}
