//! `nacl-missing-return` (reachability, error, on by default).
//!
//! **What it does.** Finds intended flows (expect lines, security group pairs, load balancer
//! listeners, `uses`) whose request gets through, but whose reply a network ACL drops: the
//! destination subnet's NACL outbound, or the source subnet's NACL inbound, toward the
//! client's ephemeral ports (1024-65535 unless `vnet.toml` sets `ephemeral_ports`). A reply
//! rule that covers only part of the range is reported with the ports it leaves out. Rules
//! are evaluated from the lowest number and the first match decides, so an allow behind a
//! matching deny does not count. Traffic inside one subnet crosses no NACL and is never
//! reported.
//!
//! **Why it matters.** Security groups are stateful, so their users expect replies to flow
//! back by themselves; network ACLs are stateless: a reply is a new packet from the server's
//! port to the client's ephemeral port, and it needs its own allow rule. Without one, every
//! connection opens, sends its request, and hangs until it times out. Clients pick their
//! ephemeral port from a wide range (Linux 32768-60999, Windows 49152-65535, NAT gateways,
//! load balancers and Lambda 1024-65535), so AWS advises allowing 1024-65535 for replies.
//!
//! **Example.**
//! ```vnet
//! nacl data_acl {
//!   inbound  100 allow tcp 5432 from 172.16.1.0/24
//!   outbound 100 allow tcp 5432 to   172.16.1.0/24   # replies go to ports 1024-65535
//! }
//! ```
//!
//! **Fix.** Add the reply rule, covering the whole ephemeral range, numbered below any deny it
//! must beat: `outbound 110 allow tcp 1024-65535 to 172.16.1.0/24`. `vnetc lint --fix` adds it.

use std::collections::BTreeSet;

use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::endpoint::describe;
use crate::flow::nacl::{self, NaclDecision};
use crate::flow::packet_set::{PacketSet, PortSet};
use crate::flow::party::{self, Party, Place};
use crate::flow::path::free_rule_number_except;
use crate::flow::Outcome;
use crate::ir::{Action, Nacl, NaclId, Protocol};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;
use crate::syntax::Direction;

pub const RULE: Rule = Rule {
    id: "nacl-missing-return",
    group: Group::Reachability,
    severity: Severity::Error,
    default: true,
    run,
    source: include_str!("nacl_missing_return.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    let mut seen: BTreeSet<(NaclId, bool, String)> = BTreeSet::new();
    let mut proposed: std::collections::HashMap<(NaclId, bool), Vec<(u32, String)>> = std::collections::HashMap::new();
    for (i, flow) in ctx.intended.iter().enumerate() {
        let flow = &flow;
        let Some(reach) = ctx.answer(i) else { continue };
        if !reach.delivered_any {
            continue; // the request never arrives: another rule's finding
        }
        // Completed for every address of every placement: every reply port passed both
        // subnets' NACLs (the trace walks the same two, with the same packets), so none can
        // lack its reply. About half of a large network's flows are spared the evaluations.
        if reach.outcome == Outcome::Completed {
            continue;
        }
        let Ok(sources) = party::parties(net, &ctx.engine.plan, flow.source) else { continue };
        for src in &sources {
            let Ok(dsts) = ctx.engine.destinations(src, flow.destination) else { continue };
            for dst in &dsts {
                let (src_addrs, dst_addrs) = (src.addrs.in_families_of(&dst.addrs), dst.addrs.in_families_of(&src.addrs));
                if src.subnet().is_some() && src.subnet() == dst.subnet() {
                    continue; // inside one subnet: no NACL
                }
                let replies = if flow.protocol.has_ports() {
                    PortSet::range(ctx.engine.config.ephemeral)
                } else {
                    PortSet::all()
                };
                // The destination's NACL outbound (toward the client), the source's inbound.
                let checks = [
                    (dst.subnet(), Direction::Outbound, &src_addrs, src),
                    (src.subnet(), Direction::Inbound, &dst_addrs, dst),
                ];
                for (subnet, direction, far, client_or_server) in checks {
                    let Some(subnet) = subnet else { continue };
                    let acl_id = net.subnets[subnet.index()].nacl;
                    let acl = &net.nacls[acl_id.index()];
                    let Some(admits) = request_rule(acl, direction, flow.protocol, flow.ports, src, dst) else {
                        continue;
                    };
                    let decisions = nacl::evaluate(acl, direction, flow.protocol, PacketSet::new(replies.clone(), far.clone()));
                    // A port is a problem when no address of the far end gets its reply.
                    let missing = replies.difference(&nacl::ports_decided(&decisions, Action::Allow));
                    if missing.is_empty() {
                        continue;
                    }
                    let flow_text = flow_text(ctx, flow);
                    if !seen.insert((acl_id, direction == Direction::Inbound, flow_text.clone())) {
                        continue;
                    }
                    let taken = proposed.entry((acl_id, direction == Direction::Inbound)).or_default();
                    out.push(report(ctx, acl, direction, &flow_text, flow, admits, &decisions, &missing, &replies, client_or_server, far, taken));
                }
            }
        }
    }
    out
}

/// The rule by which the request itself passes this NACL in the other direction (inbound at
/// the destination, outbound at the source), if it does: the rule is about replies only.
fn request_rule<'a>(acl: &'a Nacl, reply_direction: Direction, protocol: Protocol, ports: crate::ir::PortRange, src: &Party, dst: &Party) -> Option<&'a crate::ir::NaclRule> {
    let (direction, far) = match reply_direction {
        Direction::Outbound => (Direction::Inbound, &src.addrs),
        Direction::Inbound => (Direction::Outbound, &dst.addrs),
    };
    let request_ports = if protocol.has_ports() { PortSet::range(ports) } else { PortSet::all() };
    let decisions = nacl::evaluate(acl, direction, protocol, PacketSet::new(request_ports, far.clone()));
    decisions.iter().find(|d| d.action == Action::Allow).and_then(|d| d.rule)
}

#[allow(clippy::too_many_arguments)]
fn report(
    ctx: &LintContext,
    acl: &Nacl,
    direction: Direction,
    flow_text: &str,
    flow: &crate::flow::intent::IntendedFlow,
    admits: &crate::ir::NaclRule,
    decisions: &[NaclDecision],
    missing: &PortSet,
    replies: &PortSet,
    far_party: &Party,
    far: &crate::flow::packet_set::AddrSet,
    proposed: &mut Vec<(u32, String)>,
) -> Diag {
    let (dir, prep) = match direction {
        Direction::Outbound => ("outbound", "to"),
        Direction::Inbound => ("inbound", "from"),
    };
    let target_cidrs = fix_cidrs(ctx, far_party, far);
    // The deny that decides (first in number order), if an explicit one does.
    let deny = decisions
        .iter()
        .filter(|d| d.action == Action::Deny && !d.packets.ports().intersection(missing).is_empty())
        .filter_map(|d| d.rule)
        .min_by_key(|r| r.number);
    let partial: Vec<String> = decisions
        .iter()
        .filter(|d| d.action == Action::Allow)
        .filter_map(|d| d.rule.map(|r| format!("{} admits only {}", nacl::describe_rule(r, direction), d.packets.ports())))
        .collect();
    let why = match deny {
        Some(rule) => format!("{} denies them first", nacl::describe_rule(rule, direction)),
        None if partial.is_empty() => format!("no {dir} rule allows them (implicit deny)"),
        None => format!("{}; the rest falls to the implicit deny", partial.join("; ")),
    };
    let ports_text = if flow.protocol.has_ports() { format!(" on ports {missing}") } else { String::new() };
    let request_dir = match direction {
        Direction::Outbound => Direction::Inbound,
        Direction::Inbound => Direction::Outbound,
    };
    let message = format!(
        "nacl {} drops the replies of `{flow_text}`: {} lets the request through, but the replies {prep} {}{ports_text} are dropped ({why})",
        acl.name,
        nacl::describe_rule(admits, request_dir),
        target_cidrs.join(", "),
    );
    let primary = match deny {
        Some(rule) => rule.origin,
        None => name_of(acl.origin),
    };
    let rules = match direction {
        Direction::Inbound => &acl.inbound,
        Direction::Outbound => &acl.outbound,
    };
    // Numbered apart from the other rules this run proposes on this NACL direction (`--fix`
    // and an editor's "fix all" apply them together), except that the same rule is proposed
    // with the same number, so that the identical edits apply once.
    let before = deny.map(|r| r.number);
    let numbers = |proposed: &[(u32, String)]| proposed.iter().map(|(n, _)| *n).collect::<Vec<u32>>();
    let number = free_rule_number_except(rules, before, &numbers(proposed));
    let proto = flow.protocol;
    let ports = if proto.has_ports() { format!(" {}", span(replies)) } else { String::new() };
    let mut lines = Vec::new();
    for (i, cidr) in target_cidrs.iter().enumerate() {
        let body = format!("allow {proto}{ports} {prep} {cidr}");
        let same = proposed.iter().find(|(n, b)| *b == body && before.is_none_or(|d| *n < d));
        let n = match same {
            Some(&(n, _)) => n,
            None => {
                // The next number after this finding's first, unless another rule has it.
                let taken = numbers(proposed);
                let mut n = number + i as u32;
                if rules.iter().any(|r| r.number == n) || taken.contains(&n) {
                    n = free_rule_number_except(rules, before, &taken);
                }
                proposed.push((n, body.clone()));
                n
            }
        };
        lines.push(format!("{dir} {n} {body}"));
    }
    let edits = match rules.iter().max_by_key(|r| r.number) {
        Some(last) => lines.iter().map(|l| crate::diagnostics::Edit { anchor: last.origin, kind: EditKind::InsertLineAfter, text: l.clone() }).collect(),
        None => lines.iter().map(|l| crate::diagnostics::Edit { anchor: acl.origin, kind: EditKind::InsertInBlock, text: l.clone() }).collect(),
    };
    let title = format!("add `{}` to nacl {}", lines.join("` and `"), acl.name);
    let mut diag = finding(&RULE, primary, acl.name.clone(), message)
        .label(format!("drops the replies{ports_text}"))
        .secondary(admits.origin, "lets the request through")
        .note(format!(
            "NACLs are stateless: the reply is a new packet to the client's ephemeral port, so every connection of `{flow_text}` opens and then hangs"
        ))
        .with_fix(Fix::new(title, edits));
    // Where the intent is written; an `expect` line it explains is not reported again.
    for reason in flow.reasons {
        let origin = reason.origin(ctx.net);
        match reason {
            crate::flow::intent::Reason::Expect { .. } => {
                diag = diag.secondary(origin, "explains why this `expect` line fails");
            }
            _ => {
                diag = diag.secondary(origin, "the flow is intended here");
            }
        }
    }
    if flow.reasons.iter().any(|r| ctx.allowed_expect_fails(r.origin(ctx.net))) {
        diag.notes.push("the `expect` line for this flow fails for this reason; it is reported once, here".to_string());
    }
    diag
}

/// The blocks the reply rule names: the client's subnet, the on-premises network's blocks,
/// or the whole internet.
fn fix_cidrs(ctx: &LintContext, party: &Party, far: &crate::flow::packet_set::AddrSet) -> Vec<String> {
    match &party.place {
        Place::Subnet(s) => {
            let subnet = &ctx.net.subnets[s.index()];
            let v4 = far.v4().is_empty();
            match (&subnet.cidr, &subnet.ipv6_cidr) {
                (Some(c), _) if !v4 => vec![c.cidr.to_string()],
                (_, Some(c)) => vec![c.cidr.to_string()],
                (Some(c), None) => vec![c.cidr.to_string()],
                (None, None) => vec![far.to_string()],
            }
        }
        Place::OnPremises(o) => ctx.net.on_premises[o.index()].cidrs.iter().map(|c| c.cidr.to_string()).collect(),
        Place::Internet | Place::Service(_) => vec!["0.0.0.0/0".to_string()],
    }
}

/// One range covering every port of the set.
fn span(ports: &PortSet) -> String {
    let r = ports.ranges();
    match (r.first(), r.last()) {
        (Some(a), Some(b)) => crate::ir::PortRange { from: a.from, to: b.to }.to_string(),
        _ => String::new(),
    }
}

fn flow_text(ctx: &LintContext, flow: &crate::flow::intent::IntendedFlow) -> String {
    let ports = if flow.protocol.has_ports() { format!(" {}", flow.ports) } else { String::new() };
    format!("{} -> {} {}{ports}", describe(ctx.net, flow.source), describe(ctx.net, flow.destination), flow.protocol)
}
