//! `target-group-empty` (hygiene, warning, on by default).
//!
//! **What it does.** Finds target groups with no targets, or that no listener of a load
//! balancer or Lattice service forwards to. No targets: `targets` is missing or `[]`. No
//! listener: no `listener PROTO PORT -> GROUP` names the group. A group with both problems is
//! reported once.
//!
//! **Why it matters.** A listener that forwards to a target group with no registered targets
//! has nowhere to send requests: an application load balancer answers every request with
//! HTTP 503, a network load balancer or a Lattice service fails the connections. A target
//! group that no listener uses receives no traffic and is not even health-checked: its
//! targets serve nobody, usually because the listener names another group by mistake.
//!
//! **Example.**
//! ```vnet
//! load_balancer web { subnets [public_a, public_b]  listener https 443 -> app_tg }
//! target_group app_tg { protocol http  port 8080 }          # no targets: every request gets 503
//! target_group old_tg { protocol http  port 8080  targets [app_1] }   # no listener uses it
//! ```
//!
//! **Fix.** Register the targets (`targets [app_1, app_2]`) or point the listener at the
//! right group. A target group no listener uses can be removed: `vnetc lint --fix` removes its
//! block (comments inside it go with it); a group that listeners use is never removed.

use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::security_group::short_name;
use crate::ir::{LatticeService, Listener, LoadBalancer, LoadBalancerType};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "target-group-empty",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("target_group_empty.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    // Every listener forwarding to each group, with what it belongs to, found once: a scan of
    // every listener per group was quadratic in the size of the network.
    let mut forwarding: Vec<Vec<(Owner, &Listener)>> = vec![Vec::new(); net.target_groups.len()];
    let lb_listeners = (net.load_balancers.iter())
        .flat_map(|lb| lb.listeners.iter().map(move |l| (Owner::Balancer(lb), l)));
    let lattice_listeners = (net.lattice_services.iter())
        .flat_map(|s| s.listeners.iter().map(move |l| (Owner::Lattice(s), l)));
    for (owner, listener) in lb_listeners.chain(lattice_listeners) {
        if let Some(list) = forwarding.get_mut(listener.target_group.index()) {
            list.push((owner, listener));
        }
    }
    let mut out = Vec::new();
    for (tg, forwarding) in net.target_groups.iter().zip(&forwarding) {
        let users: Vec<(String, &Listener)> = forwarding
            .iter()
            .map(|(owner, l)| (owner.describe(), *l))
            .collect();
        let empty = tg.targets.is_empty();
        if !empty && !users.is_empty() {
            continue;
        }
        let name = short_name(&tg.name);
        let diag = if users.is_empty() {
            let message = if empty {
                format!("target group `{}` has no targets and no listener forwards to it: it serves nothing", tg.name)
            } else {
                let n = tg.targets.len();
                format!(
                    "target group `{}` is used by no listener of a load balancer or Lattice service: its {n} target{} receive{} no traffic through it",
                    tg.name,
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "s" } else { "" },
                )
            };
            finding(&RULE, name_of(tg.origin), tg.name.clone(), message)
                .label(if empty { "no targets, no listener" } else { "no listener forwards to it" })
                .note(format!(
                    "AWS health-checks a target group's targets only once a listener uses it; if a listener was meant to forward here, point it at `{name}`, else remove the group"
                ))
                .with_fix(Fix::one(
                    format!("remove target group {name} (its whole block, with any comments inside it)"),
                    tg.origin,
                    EditKind::DeleteLines,
                    "",
                ))
        } else {
            let owners: Vec<&str> = users.iter().map(|(owner, _)| owner.as_str()).collect();
            let fails = if owners.iter().all(|o| o.starts_with("application")) {
                "the load balancer answers every request with HTTP 503"
            } else if owners.iter().all(|o| o.starts_with("network")) {
                "the load balancer has nowhere to send connections, and they fail"
            } else {
                "requests fail (an application load balancer answers HTTP 503; a network load balancer or Lattice service fails the connection)"
            };
            let mut diag = finding(
                &RULE,
                name_of(tg.origin),
                tg.name.clone(),
                format!(
                    "target group `{}` has no targets, but {} forward{} to it: {fails}",
                    tg.name,
                    listeners_text(&owners),
                    if users.len() == 1 { "s" } else { "" },
                ),
            )
            .label("no targets")
            .note(format!("register the instances or addresses that serve this traffic: `targets [...]` in target group {name}"));
            for (_, listener) in &users {
                diag = diag.secondary(listener.origin, "forwards to it");
            }
            diag
        };
        out.push(diag);
    }
    out
}

/// What a listener belongs to.
#[derive(Clone, Copy)]
enum Owner<'n> {
    Balancer(&'n LoadBalancer),
    Lattice(&'n LatticeService),
}

impl Owner<'_> {
    fn describe(self) -> String {
        match self {
            Owner::Balancer(lb) => lb_owner(lb),
            Owner::Lattice(s) => format!("Lattice service `{}`", s.name),
        }
    }
}

/// "application load balancer `shop.web`".
fn lb_owner(lb: &LoadBalancer) -> String {
    let kind = match lb.kind {
        LoadBalancerType::Application => "application",
        LoadBalancerType::Network => "network",
    };
    format!("{kind} load balancer `{}`", lb.name)
}

/// "a listener of load balancer `x`", "listeners of load balancer `x` and Lattice service `y`".
fn listeners_text(owners: &[&str]) -> String {
    let mut unique: Vec<&str> = owners.to_vec();
    unique.dedup();
    let list = match unique.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.to_string(),
        None => String::new(),
    };
    if owners.len() == 1 {
        format!("a listener of {list}")
    } else {
        format!("listeners of {list}")
    }
}
