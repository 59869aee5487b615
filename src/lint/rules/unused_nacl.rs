//! `unused-nacl` (hygiene, warning, on by default).
//!
//! **What it does.** Finds network ACLs written as `nacl` blocks that no subnet names in its
//! `nacl`. The VPC's default NACL is never reported.
//!
//! **Why it matters.** A network ACL filters the traffic of the subnets associated with it
//! and nothing else; a subnet that names no `nacl` uses the VPC's default NACL, which allows
//! all traffic in and out. So an unused NACL is often a subnet that forgot to name it: the
//! subnet the rules were written for is not filtered at all. Otherwise it is dead
//! configuration that counts against the quota of network ACLs per VPC.
//!
//! **Example.**
//! ```vnet
//! subnet data_a { az us-east-1a  cidr 10.0.32.0/24 }    # no nacl: the default, allows all
//! nacl data_acl {                                        # meant for data_a
//!   inbound  100 allow tcp 5432       from 10.0.16.0/20
//!   outbound 100 allow tcp 1024-65535 to   10.0.16.0/20
//! }
//! ```
//!
//! **Fix.** Name the NACL in the subnets it was written for (`nacl data_acl`), or remove its
//! block. `vnetc lint --fix` removes it (comments inside the block go with it).

use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::security_group::short_name;

use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "unused-nacl",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("unused_nacl.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    // The NACLs some subnet names, in one pass (a scan of the subnets per NACL was quadratic).
    let mut used = vec![false; net.nacls.len()];
    for s in &net.subnets {
        if let Some(u) = used.get_mut(s.nacl.index()) {
            *u = true;
        }
    }
    for (i, acl) in net.nacls.iter().enumerate() {
        if acl.default || used[i] {
            continue;
        }
        let rules = acl.inbound.len() + acl.outbound.len();
        let what = match rules {
            0 => String::new(),
            1 => ": its rule filters nothing".to_string(),
            n => format!(": its {n} rules filter nothing"),
        };
        // Subnets of the VPC left on the default NACL: the likely intended users.
        let open: Vec<String> = net
            .subnets
            .iter()
            .filter(|s| s.vpc == acl.vpc && net.nacls[s.nacl.index()].default)
            .map(|s| format!("`{}`", short_name(&s.name)))
            .collect();
        let mut diag = finding(
            &RULE,
            name_of(acl.origin),
            acl.name.clone(),
            format!("nacl `{}` is associated with no subnet{what}", acl.name),
        )
        .label("no subnet uses it");
        diag = if open.is_empty() {
            diag.note("a NACL filters only the subnets that name it in their `nacl`")
        } else {
            diag.note(format!(
                "subnet{} {} name{} no `nacl` and so use{} the VPC's default NACL, which allows all traffic: if this NACL was meant for {}, add `nacl {}` to {}",
                if open.len() == 1 { "" } else { "s" },
                open.join(", "),
                if open.len() == 1 { "s" } else { "" },
                if open.len() == 1 { "s" } else { "" },
                if open.len() == 1 { "it" } else { "some of them" },
                short_name(&acl.name),
                if open.len() == 1 { "it" } else { "them" },
            ))
        };
        out.push(diag.with_fix(Fix::one(
            format!(
                "remove nacl {} (its whole block, with any comments inside it)",
                short_name(&acl.name)
            ),
            acl.origin,
            EditKind::DeleteLines,
            "",
        )));
    }
    out
}
