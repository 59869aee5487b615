//! `nacl-rule-shadowed` (hygiene, warning, on by default).
//!
//! **What it does.** Finds network ACL rules that can never decide a packet, because
//! lower-numbered rules of the same direction match every packet they match first. Earlier
//! rules count together: `100 allow tcp 0-1023 from 10.0.0.0/8` and
//! `110 allow tcp 1024-65535 from 10.0.0.0/8` shadow `120 deny tcp 1000-2000 from 10.30.0.0/16`. Protocol `all` covers tcp, udp, icmp
//! and every other IP protocol, so a rule `all` is shadowed only by earlier `all` rules for
//! the protocols that are neither tcp, udp nor icmp; icmp and `all` rules match every port.
//! The computation is on sets of ports and addresses, never port by port. A rule that is
//! only partly covered still decides some packets and is not reported. Only NACLs written as
//! `nacl` blocks are inspected (the VPC's default NACL never is).
//!
//! **Why it matters.** AWS evaluates a NACL's rules from the lowest number and the first rule
//! that matches a packet decides; the rules after it are never consulted for that packet. A
//! shadowed `allow` behind a `deny` is usually a mistake that leaves traffic blocked (the
//! author meant the allow to win); a shadowed rule with the same action as the rules before
//! it is dead weight that counts against the quota of 20 rules per direction.
//!
//! **Example.**
//! ```vnet
//! nacl web_acl {
//!   inbound 100 deny  tcp 80 from 0.0.0.0/0
//!   inbound 110 allow tcp 80 from 0.0.0.0/0      # never applies: rule 100 matches first
//! }
//! ```
//!
//! **Fix.** Remove the shadowed rule: it decides nothing, so the NACL behaves the same
//! without it (`vnetc lint --fix` does). If it was meant to apply, give it a number below the
//! rules that shadow it instead (the message names them).

use crate::lint::wording::join_and;
use std::collections::BTreeMap;

use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::nacl::{self, describe_rule, rule_ports};
use crate::flow::packet_set::{AddrSet, PacketSet};
use crate::ir::{Action, Nacl, NaclRule, PortRange, Protocol};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;
use crate::syntax::Direction;

pub const RULE: Rule = Rule {
    id: "nacl-rule-shadowed",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("nacl_rule_shadowed.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let mut out = Vec::new();
    for acl in ctx.net.nacls.iter().filter(|a| !a.default) {
        for (direction, rules) in [
            (Direction::Inbound, &acl.inbound),
            (Direction::Outbound, &acl.outbound),
        ] {
            for rule in rules {
                if let Some(shadows) = shadowing(acl, direction, rule) {
                    out.push(report(acl, direction, rule, &shadows));
                }
            }
        }
    }
    out
}

/// The protocols of packets a rule matches, as evaluation classes: `all` stands for the IP
/// protocols other than tcp, udp and icmp, which only `all` rules match.
fn protocols(rule: &NaclRule) -> &'static [Protocol] {
    match rule.protocol {
        Protocol::All => &[Protocol::Tcp, Protocol::Udp, Protocol::Icmp, Protocol::All],
        Protocol::Tcp => &[Protocol::Tcp],
        Protocol::Udp => &[Protocol::Udp],
        Protocol::Icmp => &[Protocol::Icmp],
    }
}

/// The earlier rules that decide every packet `rule` matches, by number, or `None` when the
/// rule itself decides some packet.
fn shadowing<'n>(
    acl: &'n Nacl,
    direction: Direction,
    rule: &NaclRule,
) -> Option<BTreeMap<u32, &'n NaclRule>> {
    let rules = match direction {
        Direction::Inbound => &acl.inbound,
        Direction::Outbound => &acl.outbound,
    };
    let packets = PacketSet::new(
        rule_ports(rule.protocol, rule.ports),
        AddrSet::cidr(&rule.cidr),
    );
    // Only an earlier rule that meets some of its packets can decide them: most rules meet
    // none, and this spares evaluating the NACL for them.
    if !packets.is_empty() && !rules.iter().any(|r| r.number < rule.number && meets(r, rule)) {
        return None;
    }
    let mut deciders = BTreeMap::new();
    for &protocol in protocols(rule) {
        for decision in nacl::evaluate(acl, direction, protocol, packets.clone()) {
            // The rule matches all its packets, so whatever earlier rules leave, it decides.
            let decider = decision.rule?;
            if decider.number >= rule.number {
                return None;
            }
            deciders.insert(decider.number, decider);
        }
    }
    Some(deciders)
}

/// Whether `earlier` matches some packet `rule` matches (protocol, ports and addresses).
fn meets(earlier: &NaclRule, rule: &NaclRule) -> bool {
    let ports = |r: &NaclRule| if r.protocol.has_ports() { r.ports } else { PortRange::ALL };
    let (a, b) = (ports(earlier), ports(rule));
    protocols(rule).iter().any(|&p| nacl::protocol_matches(earlier.protocol, p))
        && a.from <= b.to
        && b.from <= a.to
        && (earlier.cidr.contains(&rule.cidr.network()) || rule.cidr.contains(&earlier.cidr.network()))
}

fn report(
    acl: &Nacl,
    direction: Direction,
    rule: &NaclRule,
    shadows: &BTreeMap<u32, &NaclRule>,
) -> Diag {
    let written = describe_rule(rule, direction);
    let first = shadows.keys().next().copied().unwrap_or(rule.number);
    let earlier: Vec<String> = shadows
        .values()
        .map(|r| format!("`{}`", describe_rule(r, direction)))
        .collect();
    let by = if earlier.len() == 1 {
        format!("by {}", earlier.join(""))
    } else {
        format!("by rules {} together", join_and(&earlier))
    };
    let same = shadows.values().all(|r| r.action == rule.action);
    let opposite = shadows.values().all(|r| r.action != rule.action);
    let (verb, consequence) = match rule.action {
        Action::Allow => ("allow", "deny"),
        Action::Deny => ("deny", "allow"),
    };
    // "it allows", "they allow".
    let conjugate = |v: &str| match (shadows.len(), v) {
        (1, "deny") => "it denies".to_string(),
        (1, v) => format!("it {v}s"),
        (_, v) => format!("they {v}"),
    };
    let effect = if same {
        format!(
            "{} those packets too, so the rule is redundant",
            conjugate(verb)
        )
    } else if opposite {
        format!(
            "{} those packets, so this {verb} never applies",
            conjugate(consequence)
        )
    } else {
        format!("they allow some of those packets and deny the rest, so this {verb} never applies")
    };
    let message = format!(
        "{} rule {} of nacl `{}` never decides a packet: every packet it matches is matched first {by}; {effect}",
        dir_name(direction),
        rule.number,
        acl.name,
    );
    let mut diag = finding(&RULE, rule.origin, acl.name.clone(), message)
        .label("never decides a packet")
        .note("AWS evaluates NACL rules from the lowest number; the first rule that matches a packet decides");
    for r in shadows.values() {
        diag = diag.secondary(r.origin, format!("rule {} matches first", r.number));
    }
    if !same {
        diag = diag.note(format!(
            "if the rule is meant to {verb} this traffic, renumber it below {first} instead of removing it"
        ));
    }
    diag.with_fix(Fix::one(
        format!(
            "remove `{written}` from nacl {} (it decides no packet: the NACL behaves the same)",
            acl.name
        ),
        rule.origin,
        EditKind::DeleteLines,
        "",
    ))
}

fn dir_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

