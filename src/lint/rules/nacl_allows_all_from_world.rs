//! `nacl-allows-all-from-world` (security, warning, on by default).
//!
//! **What it does.** Finds network ACL inbound `allow` rules that admit every protocol or every
//! port from the whole internet on a public subnet. Precisely: a rule of protocol `all`, or of
//! `tcp` or `udp` without ports (or `0-65535`), from `0.0.0.0/0` or `::/0`, in a NACL used by at
//! least one subnet whose route table routes to an internet gateway. A rule that never decides
//! a packet, because lower-numbered rules match everything it would, is not reported (rules
//! are evaluated from the lowest number; the first match decides). Only `nacl` blocks are
//! inspected: the VPC's implicit default NACL, which allows everything, is never reported.
//!
//! **Why it matters.** Such a rule leaves the internet's traffic unfiltered at the subnet: every
//! instance of the subnet that has a public address is protected by its security groups
//! alone, and one over-broad group rule (SSH, a database port, a debug listener) is enough to
//! expose it. A public subnet's NACL should admit the ports the subnet serves (the load
//! balancer's listeners) and the reply range AWS advises, 1024-65535, for the connections its
//! instances and NAT gateways open.
//!
//! **Example.**
//! ```vnet
//! subnet public_a { az us-east-1a  cidr 10.0.0.0/24  route_table public  nacl edge }
//! route_table public { route 0.0.0.0/0 -> igw }
//! nacl edge {
//!   inbound  100 allow all from 0.0.0.0/0      # everything from everywhere
//!   outbound 100 allow all to   0.0.0.0/0
//! }
//! ```
//!
//! **Fix.** Replace the rule with the rules the intended flows (see `vnetc flows`) need from
//! the internet: here `inbound 100 allow tcp 443 from 0.0.0.0/0` for the load balancer and
//! `inbound 101 allow tcp 1024-65535 from 0.0.0.0/0` for replies (SSH and RDP are admitted
//! only from the sources of the flows that use them). `vnetc lint --fix` applies it when it
//! breaks no intended flow and no `expect` line.

use ipnet::IpNet;

use crate::aws::exposed_ports::ADMIN;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::nacl::{self, describe_rule};
use crate::flow::packet_set::{AddrSet, PacketSet, PortSet};
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::{flow_text, LintContext};
use crate::syntax::Direction;

use super::nacl_allows_admin_from_world::{
    is_public, is_world, source_cidrs, subnets_by_nacl, where_used,
};

pub const RULE: Rule = Rule {
    id: "nacl-allows-all-from-world",
    group: Group::Security,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("nacl_allows_all_from_world.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    // Each NACL's subnets, found in one pass (a scan of the subnets per NACL was quadratic).
    let users = subnets_by_nacl(net);
    for (i, acl) in net.nacls.iter().enumerate() {
        let id: NaclId = Id::new(i);
        if acl.default || !users[i].iter().any(|s| is_public(net, s)) {
            continue;
        }
        for rule in acl
            .inbound
            .iter()
            .filter(|r| admits_everything(r) && decides(acl, r))
        {
            out.push(report(ctx, id, &users[i], rule));
        }
    }
    out
}

/// An allow of every protocol, or every port of one, from the world.
fn admits_everything(rule: &NaclRule) -> bool {
    let every_port =
        rule.protocol == Protocol::All || (rule.protocol.has_ports() && rule.ports.is_all());
    rule.action == Action::Allow && is_world(&rule.cidr) && every_port
}

/// The rule is the first match for some packet.
fn decides(acl: &Nacl, rule: &NaclRule) -> bool {
    let protocols: &[Protocol] = match rule.protocol {
        Protocol::All => &[Protocol::Tcp, Protocol::Udp, Protocol::Icmp],
        Protocol::Tcp => &[Protocol::Tcp],
        Protocol::Udp => &[Protocol::Udp],
        Protocol::Icmp => &[Protocol::Icmp],
    };
    protocols.iter().any(|&p| {
        let packets = PacketSet::new(PortSet::all(), AddrSet::cidr(&rule.cidr));
        nacl::evaluate(acl, Direction::Inbound, p, packets)
            .iter()
            .any(|d| d.action == Action::Allow && d.rule.is_some_and(|r| r.origin == rule.origin))
    })
}

fn report(ctx: &LintContext, acl_id: NaclId, users: &[&Subnet], rule: &NaclRule) -> Diag {
    let net = ctx.net;
    let acl = &net.nacls[acl_id.index()];
    let what = match rule.protocol {
        Protocol::All => "all traffic".to_string(),
        p => format!("every {p} port"),
    };
    let text = describe_rule(rule, Direction::Inbound);
    let message = format!(
        "nacl `{}` admits {what} from the whole internet ({}) with `{text}`, {}: for everything it decides, the instances there are protected from the internet by their security groups alone",
        acl.name,
        rule.cidr,
        where_used(net, users),
    );
    let diag = finding(&RULE, rule.origin, acl.name.clone(), message)
        .label(format!("admits {what} from any address"))
        .note("one over-broad security group rule (SSH, a database port, a debug listener) is then enough to expose an instance that has a public address; admit the ports the subnet serves and the reply range 1024-65535 instead");
    match narrow(ctx, acl_id, rule) {
        Ok(fix) => diag.with_fix(fix),
        Err(why) => diag.note(why),
    }
}

/// The rule narrowed to what the intended flows need: the ports they use stay open to the
/// rule's block, except SSH and RDP, which are admitted from the flows' sources only; no line
/// at all when nothing needs the rule. `Err` says why no fix is offered. Shared with
/// `nacl-allows-admin-from-world`, so that both findings on one rule offer the same edit.
pub(crate) fn narrow(ctx: &LintContext, acl_id: NaclId, rule: &NaclRule) -> Result<Fix, String> {
    let net = ctx.net;
    let acl = &net.nacls[acl_id.index()];
    let text = describe_rule(rule, Direction::Inbound);
    let admin = ADMIN.iter().fold(PortSet::default(), |acc, (p, _)| {
        acc.union(&PortSet::range(PortRange::single(*p)))
    });
    let mut world: Vec<(Protocol, PortSet)> = Vec::new();
    let mut sourced: Vec<(Protocol, PortRange, IpNet)> = Vec::new();
    for decided in ctx.decided_by(rule.origin, &text) {
        let protocol = decided.flow.protocol;
        let mut open = decided.reply.clone();
        if protocol.has_ports() {
            open = open.union(&decided.request.difference(&admin));
            let needed = decided.request.intersection(&admin);
            if !needed.is_empty() {
                let Some(cidrs) = source_cidrs(net, decided.flow.source, &rule.cidr) else {
                    return Err(format!(
                        "no fix is offered: the intended flow `{}` needs {protocol} {needed} from the whole internet; if administrators use it, admit only their address range",
                        flow_text(net, &decided.flow)
                    ));
                };
                for range in needed.ranges() {
                    sourced.extend(cidrs.iter().map(|c| (protocol, range, *c)));
                }
            }
        } else {
            open = PortSet::all();
        }
        match world.iter_mut().find(|(p, _)| *p == protocol) {
            Some((_, ports)) => *ports = ports.union(&open),
            None => world.push((protocol, open)),
        }
    }
    let mut lines: Vec<(Protocol, PortRange, IpNet)> = Vec::new();
    for (protocol, ports) in &world {
        lines.extend(ports.ranges().into_iter().map(|r| {
            (
                *protocol,
                if protocol.has_ports() {
                    r
                } else {
                    PortRange::ALL
                },
                rule.cidr,
            )
        }));
    }
    for line in sourced {
        // A port the lines for the whole internet keep (the reply range holds 3389) needs none.
        let kept = world
            .iter()
            .any(|(p, ports)| *p == line.0 && PortSet::range(line.1).is_subset(ports));
        if !kept && !lines.contains(&line) {
            lines.push(line);
        }
    }
    if let [(protocol, ports, cidr)] = lines[..] {
        if (protocol, ports, cidr) == (rule.protocol, rule.ports, rule.cidr) {
            // Narrowed to itself: a fix would rewrite the rule as it is.
            let ephemeral = ctx.engine.config.ephemeral;
            return Err(format!(
                "no fix is offered: the intended flows through it need all it admits{}",
                if protocol.has_ports() && ephemeral.contains(ports.from) {
                    format!(" (their replies come back to the ephemeral ports {ephemeral}, which hold {ports})")
                } else {
                    String::new()
                }
            ));
        }
    }
    let next = acl
        .inbound
        .iter()
        .map(|r| r.number)
        .filter(|&n| n > rule.number)
        .min()
        .unwrap_or(crate::aws::limits::NACL_RULE_NUMBER_MAX + 1);
    if lines.len() as u32 > next - rule.number {
        return Err(format!("no fix is offered: narrowing it takes {} rules, and rule {next} leaves no room for them after {}", lines.len(), rule.number));
    }
    let rules: Vec<NaclRule> = lines
        .iter()
        .enumerate()
        .map(|(i, &(protocol, ports, cidr))| NaclRule {
            number: rule.number + i as u32,
            action: Action::Allow,
            protocol,
            ports,
            cidr,
            origin: rule.origin,
        })
        .collect();
    let broken = ctx.broken_by_narrowing(rule.origin, |changed| {
        let inbound = &mut std::sync::Arc::make_mut(&mut changed.nacls[acl_id.index()]).inbound;
        inbound.retain(|r| r.origin != rule.origin);
        inbound.extend(rules.iter().cloned());
        inbound.sort_by_key(|r| r.number);
    });
    if !broken.is_empty() {
        return Err(format!(
            "no fix is offered: narrowing it would break {}",
            broken.join(", ")
        ));
    }
    let texts: Vec<String> = rules
        .iter()
        .map(|r| describe_rule(r, Direction::Inbound))
        .collect();
    Ok(if texts.is_empty() {
        Fix::one(
            format!(
                "remove `{text}` from nacl {} (no intended flow needs it)",
                acl.name
            ),
            rule.origin,
            EditKind::DeleteLines,
            "",
        )
    } else {
        Fix::one(
            format!("replace `{text}` with `{}`", texts.join("` and `")),
            rule.origin,
            EditKind::Replace,
            texts.join("\n"),
        )
    })
}
