//! `sg-egress-mismatch` (security, error, on by default).
//!
//! **What it does.** Finds security group rules that admit traffic from another group whose
//! members cannot send it. Precisely: an `ingress` rule naming a group (`ingress tcp 5432 from
//! app_sg`), a source holding that group (a workload, a load balancer, a resource gateway) and
//! a destination holding the admitting group, such that no egress rule of any of the source's
//! groups allows any of that traffic to the destination's addresses. When some group of the
//! source allows part of it (another group attached to the same interface, a wider CIDR rule),
//! it is not reported. A group without `egress` lines keeps AWS's default (all traffic out)
//! and is never reported.
//!
//! **Why it matters.** Security groups are stateful, so replies take care of themselves, but
//! each side checks its own direction when a connection starts: the source's egress and the
//! destination's ingress must both allow it. The ingress rule says the flow is wanted, yet
//! every connection attempt is dropped as it leaves the source, and AWS's analyzers report it
//! as `ENI_SG_RULES_MISMATCH`. The usual cause is a group given explicit egress rules (which
//! replaces AWS's allow-all default) that forgot one flow.
//!
//! **Example.**
//! ```vnet
//! security_group app_sg { egress tcp 443 to 0.0.0.0/0 }     # nothing to the database
//! security_group db_sg  { ingress tcp 5432 from app_sg }
//! ```
//!
//! **Fix.** Add the egress rule to the source's group: `egress tcp 5432 to db_sg`. `vnetc lint
//! --fix` adds it, unless that would deliver a flow an `expect ... denied` line forbids.

use std::collections::{BTreeSet, HashMap};

use rustc_hash::FxHashMap;

use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::addressing::subnets_addrs;
use crate::flow::nacl::rule_ports;
use crate::flow::packet_set::{AddrSet, PacketSet, PortSet};
use crate::flow::party::kind_word;
use crate::flow::security_group::{self, describe_rule, short_name};
use crate::flow::Explanation;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;
use crate::syntax::Direction;

pub const RULE: Rule = Rule {
    id: "sg-egress-mismatch",
    group: Group::Security,
    severity: Severity::Error,
    default: true,
    run,
    source: include_str!("sg_egress_mismatch.rs"),
};

/// Something with security groups.
struct Holder {
    end: Option<FlowEndpoint>,
    label: String,
    groups: Vec<SecurityGroupId>,
    addrs: AddrSet,
    /// Opens connections (an interface endpoint only answers them).
    initiates: bool,
}

fn holders(net: &Network) -> Vec<Holder> {
    let mut out = Vec::new();
    for (i, w) in net.workloads.iter().enumerate() {
        let addrs = w
            .private_ip
            .map(AddrSet::addr)
            .unwrap_or_else(|| subnets_addrs(net, &w.subnets));
        let label = format!("{} `{}`", kind_word(w.kind), w.name);
        out.push(Holder {
            end: Some(FlowEndpoint::Workload(Id::new(i))),
            label,
            groups: w.security_groups.clone(),
            addrs,
            initiates: true,
        });
    }
    for (i, lb) in net.load_balancers.iter().enumerate() {
        let label = format!("load balancer `{}`", lb.name);
        let addrs = subnets_addrs(net, &lb.subnets);
        out.push(Holder {
            end: Some(FlowEndpoint::LoadBalancer(Id::new(i))),
            label,
            groups: lb.security_groups.clone(),
            addrs,
            initiates: true,
        });
    }
    for (i, e) in net.endpoints.iter().enumerate() {
        let label = format!("endpoint `{}`", e.name);
        let addrs = subnets_addrs(net, &e.subnets);
        out.push(Holder {
            end: Some(FlowEndpoint::Endpoint(Id::new(i))),
            label,
            groups: e.security_groups.clone(),
            addrs,
            initiates: false,
        });
    }
    for rg in &net.resource_gateways {
        let label = format!("resource gateway `{}`", rg.name);
        let addrs = subnets_addrs(net, &rg.subnets);
        out.push(Holder {
            end: None,
            label,
            groups: rg.security_groups.clone(),
            addrs,
            initiates: true,
        });
    }
    out
}

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let holders = holders(net);
    // The holders of each group, in order (a scan of every holder per rule was quadratic).
    let mut by_group: HashMap<SecurityGroupId, Vec<usize>> = HashMap::new();
    for (i, h) in holders.iter().enumerate() {
        for g in &h.groups {
            let list = by_group.entry(*g).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let holding = |g: SecurityGroupId| {
        by_group
            .get(&g)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &holders[i])
    };
    let failing = failing_expects(ctx);
    let mut out = Vec::new();
    for (gi, g) in net.security_groups.iter().enumerate() {
        let g_id: SecurityGroupId = Id::new(gi);
        for ingress in &g.ingress {
            let SgPeer::SecurityGroup(a) = ingress.peer else {
                continue;
            };
            if g.default || net.security_groups[a.index()].default_egress {
                continue;
            }
            let mut pairs: Vec<(&Holder, &Holder)> = Vec::new();
            // Sources often hold the same groups, and destinations share a subnet's addresses:
            // each distinct pair is evaluated once per rule (the pairs of a group that admits a
            // group of many members were a fifth of a lint run).
            let mut allowed: FxHashMap<(&[SecurityGroupId], &AddrSet), bool> =
                FxHashMap::default();
            for src in holding(a).filter(|h| h.initiates) {
                for dst in holding(g_id).filter(|h| h.label != src.label && !h.addrs.is_empty()) {
                    let allows = *allowed
                        .entry((&src.groups, &dst.addrs))
                        .or_insert_with(|| allows_some(ctx, &src.groups, ingress, &dst.addrs));
                    if !allows {
                        pairs.push((src, dst));
                    }
                }
            }
            if !pairs.is_empty() {
                out.push(report(ctx, g_id, ingress, a, &pairs, &failing));
            }
        }
    }
    out
}

/// Whether some egress rule of `groups` lets some of the ingress rule's traffic out to `dst`.
fn allows_some(
    ctx: &LintContext,
    groups: &[SecurityGroupId],
    ingress: &SgRule,
    dst: &AddrSet,
) -> bool {
    let protocols: &[Protocol] = match ingress.protocol {
        Protocol::All => &[Protocol::Tcp, Protocol::Udp, Protocol::Icmp],
        Protocol::Tcp => &[Protocol::Tcp],
        Protocol::Udp => &[Protocol::Udp],
        Protocol::Icmp => &[Protocol::Icmp],
    };
    protocols.iter().any(|&p| {
        let ports: PortSet = if ingress.protocol == Protocol::All {
            PortSet::all()
        } else {
            rule_ports(p, ingress.ports)
        };
        let packets = PacketSet::new(ports, dst.clone());
        let (matches, _) = security_group::evaluate(
            ctx.net,
            groups,
            Direction::Outbound,
            p,
            &packets,
            &*ctx.engine.plan,
        );
        !matches.is_empty()
    })
}

/// The `expect ... allowed` lines that fail because a security group's egress drops their
/// request, by source and destination (indices into the lint's `expects`, in order): found
/// once, where a scan of every line per finding was quadratic in the size of the network.
type FailingExpects<'n> = HashMap<(&'n FlowEndpoint, &'n FlowEndpoint), Vec<usize>>;

fn failing_expects<'n>(ctx: &LintContext<'n>) -> FailingExpects<'n> {
    let mut failing: FailingExpects<'n> = HashMap::new();
    for (i, check) in ctx.expects.iter().enumerate() {
        let e: &'n Expect = check.expect;
        if e.verdict != Verdict::Allowed || !check.violated() {
            continue;
        }
        let by_egress = check.reach.as_ref().is_ok_and(|r| {
            r.traces.iter().any(|t| {
                t.drops.iter().any(|d| {
                    d.explanation == Explanation::EniSgRulesMismatch
                        && d.component.ends_with(" egress")
                })
            })
        });
        if by_egress {
            failing.entry((&e.source, &e.destination)).or_default().push(i);
        }
    }
    failing
}

fn report(
    ctx: &LintContext,
    g_id: SecurityGroupId,
    ingress: &SgRule,
    a_id: SecurityGroupId,
    pairs: &[(&Holder, &Holder)],
    failing: &FailingExpects,
) -> Diag {
    let net = ctx.net;
    let (g, a) = (
        &net.security_groups[g_id.index()],
        &net.security_groups[a_id.index()],
    );
    let ports = if ingress.protocol.has_ports() && !ingress.ports.is_all() {
        format!(" {}", ingress.ports)
    } else {
        String::new()
    };
    let traffic = format!("{}{ports}", ingress.protocol);
    let shown: Vec<String> = pairs
        .iter()
        .take(3)
        .map(|(src, dst)| {
            let names: Vec<&str> = src
                .groups
                .iter()
                .map(|s| short_name(&net.security_groups[s.index()].name))
                .collect();
            format!(
                "{} (group{} {}) -> {}",
                src.label,
                if names.len() == 1 { "" } else { "s" },
                names.join(", "),
                dst.label
            )
        })
        .collect();
    let more = if pairs.len() > 3 {
        format!(", and {} more", pairs.len() - 3)
    } else {
        String::new()
    };
    let message = format!(
        "security group `{}` lets no {traffic} out to `{}`, which admits it with `{}`: for {}{more}, no egress rule of the source's groups allows it, so the connection never starts (ENI_SG_RULES_MISMATCH)",
        a.name,
        g.name,
        describe_rule(net, ingress, Direction::Inbound),
        shown.join("; "),
    );
    let mut diag = finding(&RULE, name_of(a.origin), a.name.clone(), message)
        .label(format!("allows no {traffic} out to {}", short_name(&g.name)))
        .secondary(ingress.origin, "admits the flow here")
        .note("security groups are stateful, but a new connection needs both the source's egress and the destination's ingress; only the replies are allowed automatically");
    let explained: BTreeSet<usize> = pairs
        .iter()
        .filter_map(|(s, d)| Some((s.end.as_ref()?, d.end.as_ref()?)))
        .filter_map(|(s, d)| failing.get(&(s, d)))
        .flatten()
        .copied()
        .collect();
    for &i in &explained {
        let origin = ctx.expects[i].expect.origin;
        diag = diag.secondary(origin, "explains why this `expect` line fails");
    }
    let target = if g.vpc == a.vpc {
        short_name(&g.name).to_string()
    } else {
        g.name.clone()
    };
    let line = format!("egress {}{ports} to {target}", ingress.protocol);
    let rule = SgRule {
        protocol: ingress.protocol,
        ports: ingress.ports,
        peer: SgPeer::SecurityGroup(g_id),
        description: None,
        origin: a.origin,
    };
    let broken = ctx.broken_by(a.origin, |changed| {
        std::sync::Arc::make_mut(&mut changed.security_groups[a_id.index()])
            .egress
            .push(rule);
    });
    if broken.is_empty() {
        diag.with_fix(Fix::one(
            format!("add `{line}` to security group {}", a.name),
            a.origin,
            EditKind::InsertInBlock,
            line,
        ))
    } else {
        diag.note(format!(
            "no fix is offered: `{line}` would break {}",
            broken.join(", ")
        ))
    }
}
