//! `sg-egress-unrestricted` (security, warning, off by default).
//!
//! **What it does.** Finds security groups that allow every port out to the whole internet,
//! by a rule or by AWS's default. Precisely: an `egress` rule to `0.0.0.0/0` or `::/0` of
//! protocol `all`, or of `tcp` or `udp` without ports (or `0-65535`); and groups that write no
//! `egress` line, which keep AWS's default (all traffic to `0.0.0.0/0` and `::/0`). The VPC's implicit default group is never reported. Off
//! by default: it runs when selected (`vnetc lint --select all`, or `select` in the `[lint]`
//! table of `vnet.toml`).
//!
//! **Why it matters.** Egress rules are the last line that keeps a compromised instance from
//! exfiltrating data or reaching a command-and-control server on whatever port it likes, and
//! they document what a workload calls. AWS's default egress allows everything, so many
//! groups never say; environments under PCI DSS, HIPAA or similar reviews usually must.
//!
//! **Example.**
//! ```vnet
//! security_group app_sg {
//!   ingress tcp 8080 from alb_sg
//!   egress  all      to   0.0.0.0/0     # anything, anywhere
//! }
//! ```
//!
//! **Fix.** Allow only what the intended flows (see `vnetc flows`) send through the rule, to
//! the same block: here `egress tcp 443 to 0.0.0.0/0` and `egress tcp 5432 to 0.0.0.0/0`
//! (narrow the blocks further by hand). `vnetc lint --fix` writes those rules when they break no
//! intended flow. It offers no fix when no intended flow goes out through the rule: a group
//! cannot be left without egress rules, since that means AWS's allow-all default.

use ipnet::IpNet;

use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::security_group::{describe_rule, short_name};
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;
use crate::syntax::Direction;

use super::nacl_allows_admin_from_world::is_world;

pub const RULE: Rule = Rule {
    id: "sg-egress-unrestricted",
    group: Group::Security,
    severity: Severity::Warning,
    default: false,
    run,
    source: include_str!("sg_egress_unrestricted.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    for (i, sg) in net.security_groups.iter().enumerate() {
        let id: SecurityGroupId = Id::new(i);
        if sg.default {
            continue;
        }
        if sg.default_egress {
            out.push(report(ctx, id, None));
            continue;
        }
        for rule in sg.egress.iter().filter(|r| unrestricted(r)) {
            out.push(report(ctx, id, Some(rule)));
        }
    }
    out
}

fn unrestricted(rule: &SgRule) -> bool {
    let every_port =
        rule.protocol == Protocol::All || (rule.protocol.has_ports() && rule.ports.is_all());
    matches!(&rule.peer, SgPeer::Cidr(c) if is_world(c)) && every_port
}

/// A finding on a written rule, or (`None`) on a group that keeps AWS's default egress.
fn report(ctx: &LintContext, id: SecurityGroupId, rule: Option<&SgRule>) -> Diag {
    let net = ctx.net;
    let sg = &net.security_groups[id.index()];
    let (primary, what) = match rule {
        Some(r) => (r.origin, format!("allows {} out to the whole internet with `{}`", every(r), describe_rule(net, r, Direction::Outbound))),
        None => (name_of(sg.origin), "has no `egress` rule, so AWS's default applies (all traffic out to 0.0.0.0/0 and ::/0)".to_string()),
    };
    let message = format!(
        "security group `{}` {what}: an interface that holds it can send anything anywhere its routes lead, so a compromised instance can exfiltrate data or reach a command-and-control server on any port",
        sg.name
    );
    let diag = finding(&RULE, primary, sg.name.clone(), message).label("unrestricted egress");
    match narrow(ctx, id, rule) {
        Ok(fix) => diag.with_fix(fix),
        Err(why) => diag.note(why),
    }
}

fn every(rule: &SgRule) -> String {
    match rule.protocol {
        Protocol::All => "all traffic".to_string(),
        p => format!("every {p} port"),
    }
}

/// Egress rules for what the intended flows send through the rule(s), to the same blocks.
fn narrow(ctx: &LintContext, id: SecurityGroupId, rule: Option<&SgRule>) -> Result<Fix, String> {
    let net = ctx.net;
    let sg = &net.security_groups[id.index()];
    let rules: Vec<&SgRule> = match rule {
        Some(r) => vec![r],
        None => sg.egress.iter().collect(),
    };
    let mut lines: Vec<SgRule> = Vec::new();
    for r in &rules {
        let SgPeer::Cidr(cidr) = &r.peer else {
            continue;
        };
        for decided in ctx.decided_by(r.origin, &describe_rule(net, r, Direction::Outbound)) {
            let protocol = decided.flow.protocol;
            let ranges = if protocol.has_ports() {
                decided.request.ranges()
            } else {
                vec![PortRange::ALL]
            };
            for ports in ranges {
                let description = rule.and(r.description.clone()); // not AWS's default rule's
                let line = SgRule {
                    protocol,
                    ports,
                    peer: SgPeer::Cidr(*cidr),
                    description,
                    origin: r.origin,
                };
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
    }
    let written = sg
        .egress
        .iter()
        .filter(|r| rule.is_none_or(|x| x.origin != r.origin))
        .count();
    if lines.is_empty() && (rule.is_none() || written == 0) {
        return Err("no fix is offered: no intended flow goes out through it, and a group without egress rules keeps AWS's allow-all default; write the egress rules the workloads need".to_string());
    }
    lines.sort_by_key(|l| {
        (
            l.protocol.to_string(),
            l.ports,
            matches!(l.peer, SgPeer::Cidr(IpNet::V6(_))),
        )
    });
    let broken = ctx.broken_by_narrowing(rule.map_or(sg.origin, |r| r.origin), |changed| {
        let group = std::sync::Arc::make_mut(&mut changed.security_groups[id.index()]);
        match rule {
            Some(r) => group.egress.retain(|x| x.origin != r.origin),
            None => group.egress.clear(),
        }
        group.egress.extend(lines.iter().cloned());
        group.default_egress = false;
    });
    if !broken.is_empty() {
        return Err(format!(
            "no fix is offered: narrowing it would break {}",
            broken.join(", ")
        ));
    }
    let texts: Vec<String> = lines
        .iter()
        .map(|l| rule_text(net, sg.vpc, l, Direction::Outbound))
        .collect();
    let shown = texts.join("` and `");
    Ok(match rule {
        Some(r) if texts.is_empty() => Fix::one(
            format!(
                "remove `{}` from security group {} (no intended flow needs it)",
                describe_rule(net, r, Direction::Outbound),
                sg.name
            ),
            r.origin,
            EditKind::DeleteLines,
            "",
        ),
        Some(r) => Fix::one(
            format!(
                "replace `{}` with `{shown}`",
                describe_rule(net, r, Direction::Outbound)
            ),
            r.origin,
            EditKind::Replace,
            texts.join("\n"),
        ),
        None => Fix::one(
            format!("add `{shown}` to security group {}", sg.name),
            sg.origin,
            EditKind::InsertInBlock,
            texts.join("\n"),
        ),
    })
}

/// A rule as written in a group of `vpc` (a group of another VPC by its qualified name), with
/// its description.
pub(crate) fn rule_text(net: &Network, vpc: VpcId, rule: &SgRule, direction: Direction) -> String {
    let ports = if rule.protocol.has_ports() && !rule.ports.is_all() {
        format!(" {}", rule.ports)
    } else {
        String::new()
    };
    let peer = match &rule.peer {
        SgPeer::Cidr(c) => c.to_string(),
        SgPeer::SecurityGroup(g) => {
            let g = &net.security_groups[g.index()];
            if g.vpc == vpc {
                short_name(&g.name).to_string()
            } else {
                g.name.clone()
            }
        }
        SgPeer::PrefixList(s) => s.clone(),
    };
    let (dir, prep) = match direction {
        Direction::Inbound => ("ingress", "from"),
        Direction::Outbound => ("egress", "to"),
    };
    let description = rule
        .description
        .as_ref()
        .map(|d| format!(" {d:?}"))
        .unwrap_or_default();
    format!("{dir} {}{ports} {prep} {peer}{description}", rule.protocol)
}
