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
use crate::flow::packet_set::{AddrSet, PacketSet, PortSet};
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
    if !may_be_shadowed(rules, rule) {
        return None;
    }
    deciders(acl, direction, rule)
}

/// Whether earlier rules could decide every packet of `rule`, from each rule's ports and
/// block alone. Only an earlier rule that meets some of its packets can decide them: most
/// rules meet none. Nor can earlier rules decide them all when their ports, or their blocks,
/// leave some of the rule's out: the rule decides those itself (most rules that meet an
/// earlier one, such as an ephemeral range behind a rule for one port in it). Either way the
/// NACL is not evaluated.
fn may_be_shadowed(rules: &[NaclRule], rule: &NaclRule) -> bool {
    let (ports, block) = (rule_ports(rule.protocol, rule.ports), AddrSet::cidr(&rule.cidr));
    if ports.is_empty() || block.is_empty() {
        return true; // no packet: left to the evaluation, as before
    }
    let earlier: Vec<&NaclRule> = rules
        .iter()
        .filter(|r| r.number < rule.number && meets(r, rule))
        .collect();
    let their_ports = earlier.iter().fold(PortSet::default(), |ports, r| {
        ports.union(&rule_ports(r.protocol, r.ports))
    });
    let their_blocks = earlier
        .iter()
        .fold(AddrSet::empty(), |blocks, r| blocks.union(&AddrSet::cidr(&r.cidr)));
    !earlier.is_empty() && ports.is_subset(&their_ports) && block.is_subset(&their_blocks)
}

/// [`shadowing`] by evaluating the NACL on the rule's packets.
fn deciders<'n>(
    acl: &'n Nacl,
    direction: Direction,
    rule: &NaclRule,
) -> Option<BTreeMap<u32, &'n NaclRule>> {
    let packets = PacketSet::new(
        rule_ports(rule.protocol, rule.ports),
        AddrSet::cidr(&rule.cidr),
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{FileIdx, Id, Origin};

    /// A rule over a small port range and a block inside 10.0.0.0/28, so that rules overlap
    /// often.
    fn rule(number: u32, protocol: u8, ports: (u16, u16), block: (u8, u8)) -> NaclRule {
        let protocol = [Protocol::Tcp, Protocol::Udp, Protocol::Icmp, Protocol::All]
            [usize::from(protocol % 4)];
        let prefix = 28 + block.1 % 5;
        let network = (u32::from(block.0 % 16) >> (32 - prefix).min(4)) << (32 - prefix).min(4);
        NaclRule {
            number,
            action: if number.is_multiple_of(2) { Action::Allow } else { Action::Deny },
            protocol,
            ports: PortRange {
                from: ports.0.min(ports.1),
                to: ports.0.max(ports.1),
            },
            cidr: format!("10.0.0.{network}/{prefix}")
                .parse()
                .unwrap_or_else(|_| "10.0.0.0/28".parse().expect("a block")),
            origin: Origin {
                file: FileIdx(0),
                node: Default::default(),
            },
        }
    }

    proptest::proptest! {
        /// The pre-check never hides a shadowed rule: when it says earlier rules cannot
        /// decide every packet of a rule, evaluating the NACL agrees.
        #[test]
        fn the_pre_check_agrees_with_the_evaluation(
            rules in proptest::collection::vec((0u8..4, 0u16..12, 0u16..12, 0u8..16, 0u8..5), 1..6),
        ) {
            let inbound: Vec<NaclRule> = rules
                .iter()
                .enumerate()
                .map(|(i, &(p, a, b, n, l))| rule(100 + 10 * i as u32, p, (a, b), (n, l)))
                .collect();
            let acl = Nacl {
                name: "a.acl".into(),
                vpc: Id::new(0),
                origin: Origin { file: FileIdx(0), node: Default::default() },
                default: false,
                inbound,
                outbound: Vec::new(),
            };
            for rule in &acl.inbound {
                if !may_be_shadowed(&acl.inbound, rule) {
                    proptest::prop_assert!(deciders(&acl, Direction::Inbound, rule).is_none());
                }
            }
        }
    }
}
