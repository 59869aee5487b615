//! `unused-security-group` (hygiene, warning, on by default).
//!
//! **What it does.** Finds security groups that nothing is attached to and that no rule of a
//! group in use names. Attached: a workload, load balancer, interface endpoint or resource
//! gateway names the group in its `security_groups`; named: `ingress PROTO from GROUP` or
//! `egress PROTO to GROUP`.
//! A group that only its own rules name is unused; so are groups left behind together that
//! only name each other (a removed tier's client and server groups). A group that a rule of
//! a group in use names is not reported, even if nothing is attached to it (its members
//! may be launched outside vnet's view, by an Auto Scaling group). The VPC's default security
//! group is never reported.
//!
//! **Why it matters.** A security group filters the traffic of the network interfaces it is
//! attached to, and nothing else: a group attached to nothing filters nothing, whatever its
//! rules say. It is often the remains of a removed tier, or a sign that a workload names the
//! wrong group (the one it names lacks the rules written here). Unused groups count against
//! the per-VPC and per-region quotas, and attaching one later by mistake grants what its
//! forgotten rules allow.
//!
//! **Example.**
//! ```vnet
//! security_group legacy_sg {           # nothing names it
//!   ingress tcp 8080 from 10.0.0.0/16
//! }
//! ```
//!
//! **Fix.** Remove the group's block, or attach it to the workloads it was written for.
//! `vnetc lint --fix` removes the block (comments inside it go with it), together with the
//! blocks of the unused groups that name it or that it names, so that no rule is left naming
//! a removed group.

use std::collections::BTreeSet;

use crate::check::name_of;
use crate::diagnostics::{Diag, Edit, EditKind, Fix, Severity};
use crate::flow::security_group::short_name;
use crate::ir::{Id, Network, SecurityGroupId, SgPeer};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "unused-security-group",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("unused_security_group.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let live = live_groups(net);
    let unused: BTreeSet<usize> = (0..net.security_groups.len())
        .filter(|i| !live.contains(i) && !net.security_groups[*i].default)
        .collect();
    let mut out = Vec::new();
    for &i in &unused {
        let group = &net.security_groups[i];
        let rules = group.ingress.len()
            + if group.default_egress {
                0
            } else {
                group.egress.len()
            };
        let what = match rules {
            0 => "it has no rules of its own either".to_string(),
            1 => "its rule filters no traffic".to_string(),
            n => format!("its {n} rules filter no traffic"),
        };
        let by: Vec<String> = referrers(net, i)
            .iter()
            .map(|j| format!("`{}`", short_name(&net.security_groups[*j].name)))
            .collect();
        let refs = if by.is_empty() {
            "no rule of another group refers to it".to_string()
        } else {
            format!(
                "only the rules of {}, unused too, refer to it",
                by.join(", ")
            )
        };
        let message = format!(
            "security group `{}` is unused: no workload, load balancer, endpoint or resource gateway is attached to it and {refs}; {what}",
            group.name
        );
        // The unused groups it is tied to by rules: removed together.
        let cluster = cluster(net, &unused, i);
        let names: Vec<&str> = cluster
            .iter()
            .map(|j| short_name(&net.security_groups[*j].name))
            .collect();
        let title = if cluster.len() == 1 {
            format!(
                "remove security group {} (its whole block, with any comments inside it)",
                names.join("")
            )
        } else {
            let (last, rest) = names.split_last().unwrap_or((&"", &[]));
            format!(
                "remove security groups {} and {last} (unused groups whose rules name each other; their whole blocks, with any comments inside them)",
                rest.join(", ")
            )
        };
        let edits = cluster
            .iter()
            .map(|j| Edit {
                anchor: net.security_groups[*j].origin,
                kind: EditKind::DeleteLines,
                text: String::new(),
            })
            .collect();
        out.push(
            finding(&RULE, name_of(group.origin), group.name.clone(), message)
                .label("attached to nothing")
                .note("if a workload was meant to have it, add it to the workload's `security_groups`; otherwise remove it")
                .with_fix(Fix::new(title, edits)),
        );
    }
    out
}

/// The groups in use: attached to an interface (workloads, load balancers, endpoints,
/// resource gateways), or named by a rule of a group in use.
fn live_groups(net: &Network) -> BTreeSet<usize> {
    let attached = net
        .workloads
        .iter()
        .flat_map(|w| &w.security_groups)
        .chain(net.load_balancers.iter().flat_map(|l| &l.security_groups))
        .chain(net.endpoints.iter().flat_map(|e| &e.security_groups))
        .chain(
            net.resource_gateways
                .iter()
                .flat_map(|r| &r.security_groups),
        );
    let mut live: BTreeSet<usize> = attached.map(|g| g.index()).collect();
    let mut todo: Vec<usize> = live.iter().copied().collect();
    while let Some(i) = todo.pop() {
        for j in named_by(net, i) {
            if live.insert(j) {
                todo.push(j);
            }
        }
    }
    live
}

/// The other groups that the rules of group `i` name.
fn named_by(net: &Network, i: usize) -> BTreeSet<usize> {
    let Some(g) = net.security_groups.get(i) else {
        return BTreeSet::new();
    };
    g.ingress
        .iter()
        .chain(&g.egress)
        .filter_map(|r| match r.peer {
            SgPeer::SecurityGroup(x) if x.index() != i => Some(x.index()),
            _ => None,
        })
        .collect()
}

/// The other groups whose rules name group `i`.
fn referrers(net: &Network, i: usize) -> BTreeSet<usize> {
    let id: SecurityGroupId = Id::new(i);
    (0..net.security_groups.len())
        .filter(|&j| j != i && named_by(net, j).contains(&id.index()))
        .collect()
}

/// Group `i` and the unused groups tied to it by rules, either way (its removal set).
fn cluster(net: &Network, unused: &BTreeSet<usize>, i: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::from([i]);
    let mut todo = vec![i];
    while let Some(k) = todo.pop() {
        for j in named_by(net, k).into_iter().chain(referrers(net, k)) {
            if unused.contains(&j) && seen.insert(j) {
                todo.push(j);
            }
        }
    }
    seen
}
