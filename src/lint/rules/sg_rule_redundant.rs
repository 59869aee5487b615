//! `sg-rule-redundant` (hygiene, warning, on by default).
//!
//! **What it does.** Finds security group rules wholly covered by another rule of the same
//! group and direction. A rule covers another when its protocol is the same or `all`, its
//! ports include the other's ports, and its peer includes the other's peer (a CIDR block inside the other
//! rule's block; the same security group; the same prefix list). A rule naming a security
//! group is also covered by a CIDR block that contains every block of that group's VPC (its
//! members can have no other address), and a prefix list (`s3`, `dynamodb`: public IPv4
//! ranges) by `0.0.0.0/0`. Of two identical rules, the later one is reported, once. Rules
//! are compared one to one: a rule covered only by several rules together is not reported.
//! The VPC's default security group, and AWS's default egress rule of a group that writes
//! none, are never inspected.
//!
//! **Why it matters.** A security group allows the union of its rules, so a rule inside
//! another one admits nothing more: removing it changes nothing. It still counts against the
//! quota of 60 rules per direction, and it misleads whoever narrows the broader rule later,
//! thinking the narrow one still limits the traffic.
//!
//! **Example.**
//! ```vnet
//! security_group app_sg {
//!   ingress tcp 8000-8999 from 10.0.0.0/16
//!   ingress tcp 8080      from 10.0.1.0/24     # inside the rule above
//! }
//! ```
//!
//! **Fix.** Remove the redundant rule (`vnetc lint --fix` does); if the broader rule is too
//! broad, narrow it instead.

use crate::aws::quotas;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::nacl::rule_ports;
use crate::flow::packet_set::AddrSet;
use crate::flow::security_group::{describe_rule, short_name};
use crate::ir::{Network, Protocol, SecurityGroup, SgPeer, SgRule};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;
use crate::syntax::Direction;

pub const RULE: Rule = Rule {
    id: "sg-rule-redundant",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("sg_rule_redundant.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    for group in net.security_groups.iter().filter(|g| !g.default) {
        out.extend(direction(net, group, Direction::Inbound, &group.ingress));
        if !group.default_egress {
            out.extend(direction(net, group, Direction::Outbound, &group.egress));
        }
    }
    out
}

fn direction(net: &Network, group: &SecurityGroup, dir: Direction, rules: &[SgRule]) -> Vec<Diag> {
    // `by[i]`: the rules that make rule i redundant (cover it; an identical one only if earlier).
    let by: Vec<Vec<usize>> = (0..rules.len())
        .map(|i| {
            (0..rules.len())
                .filter(|&j| j != i && covers(net, &rules[j], &rules[i]))
                .filter(|&j| j < i || !covers(net, &rules[i], &rules[j]))
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for (i, coverers) in by.iter().enumerate() {
        // Name a rule that stays: one that is not redundant itself (coverage is transitive,
        // so there always is one).
        let Some(&j) = coverers
            .iter()
            .find(|&&j| by[j].is_empty())
            .or(coverers.first())
        else {
            continue;
        };
        out.push(report(net, group, dir, &rules[i], &rules[j]));
    }
    out
}

/// Whether everything `inner` admits, `outer` admits.
fn covers(net: &Network, outer: &SgRule, inner: &SgRule) -> bool {
    let protocol = outer.protocol == Protocol::All || outer.protocol == inner.protocol;
    let ports =
        rule_ports(inner.protocol, inner.ports).is_subset(&rule_ports(outer.protocol, outer.ports));
    protocol && ports && peer_covers(net, &outer.peer, &inner.peer)
}

fn peer_covers(net: &Network, outer: &SgPeer, inner: &SgPeer) -> bool {
    match (outer, inner) {
        (SgPeer::Cidr(o), SgPeer::Cidr(i)) => AddrSet::cidr(i).is_subset(&AddrSet::cidr(o)),
        (SgPeer::Cidr(o), SgPeer::SecurityGroup(g)) => {
            let blocks = group_vpc_blocks(net, *g);
            !blocks.is_empty() && blocks.is_subset(&AddrSet::cidr(o))
        }
        (SgPeer::Cidr(o), SgPeer::PrefixList(_)) => o.addr().is_ipv4() && o.prefix_len() == 0,
        (SgPeer::SecurityGroup(a), SgPeer::SecurityGroup(b)) => a == b,
        (SgPeer::PrefixList(a), SgPeer::PrefixList(b)) => a == b,
        _ => false,
    }
}

/// Every address a member of group `g` can have: the CIDR blocks of the group's VPC.
fn group_vpc_blocks(net: &Network, g: crate::ir::SecurityGroupId) -> AddrSet {
    net.security_groups
        .get(g.index())
        .and_then(|group| net.vpcs.get(group.vpc.index()))
        .map(|vpc| AddrSet::cidrs(vpc.cidrs.iter().map(|c| &c.cidr)))
        .unwrap_or_default()
}

fn report(
    net: &Network,
    group: &SecurityGroup,
    dir: Direction,
    rule: &SgRule,
    by: &SgRule,
) -> Diag {
    let written = describe_rule(net, rule, dir);
    let other = describe_rule(net, by, dir);
    let identical = covers(net, rule, by);
    let (kind, verb) = match dir {
        Direction::Inbound => ("ingress", "admits"),
        Direction::Outbound => ("egress", "allows"),
    };
    let relation = if identical {
        format!("it duplicates `{other}`, written before it")
    } else {
        format!("`{other}` {verb} everything it {verb}")
    };
    let message = format!(
        "{kind} rule `{written}` of security group `{}` is redundant: {relation}, and a security group {verb} the union of its rules, so removing it changes nothing",
        group.name
    );
    let (label, other_label) = if identical {
        ("duplicate rule", "the same rule, first written here")
    } else {
        ("covered by another rule", "covers it")
    };
    let mut diag = finding(&RULE, rule.origin, group.name.clone(), message)
        .label(label)
        .secondary(by.origin, other_label);
    match (&by.peer, &rule.peer) {
        (SgPeer::Cidr(c), SgPeer::SecurityGroup(g)) => {
            if let Some(peer) = net.security_groups.get(g.index()) {
                let vpc = &net.vpcs[peer.vpc.index()];
                let blocks: Vec<String> = vpc.cidrs.iter().map(|b| b.cidr.to_string()).collect();
                diag = diag.note(format!(
                    "every member of `{}` has an address in VPC `{}`'s blocks ({}), all inside {c}",
                    short_name(&peer.name),
                    vpc.name,
                    blocks.join(", ")
                ));
            }
        }
        (SgPeer::Cidr(c), SgPeer::PrefixList(s)) => {
            diag = diag.note(format!(
                "the {s} prefix list holds public IPv4 ranges, all inside {c}"
            ));
        }
        _ => {}
    }
    if identical && rule.description != by.description {
        let text = |d: &Option<String>| {
            d.as_deref()
                .map_or("none".to_string(), |d| format!("\"{d}\""))
        };
        diag = diag.note(format!(
            "the two rules differ only in their descriptions ({} and {}): keep the one whose description you want",
            text(&by.description),
            text(&rule.description)
        ));
    }
    let title = if identical {
        format!(
            "remove the second `{written}` from security group {} (the first stays)",
            group.name
        )
    } else {
        format!(
            "remove `{written}` from security group {} (`{other}` still {verb} that traffic)",
            group.name
        )
    };
    diag.note(format!(
        "each redundant rule still counts against the default quota of {} {kind} rules per security group",
        quotas::SG_RULES_PER_DIRECTION
    ))
    .with_fix(Fix::one(
        title,
        rule.origin,
        EditKind::DeleteLines,
        "",
    ))
}
