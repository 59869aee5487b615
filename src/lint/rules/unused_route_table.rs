//! `unused-route-table` (hygiene, warning, on by default).
//!
//! **What it does.** Finds route tables that no subnet names in its `route_table` and that are
//! not the VPC's main table (`main true`). The implicit main table of a VPC that marks none is
//! never reported. A table that gateway endpoints name in their `route_tables` is still
//! unused: endpoint routes in a table that serves no subnet carry no traffic.
//!
//! **Why it matters.** A subnet uses exactly one route table: the one associated with it, or
//! else the main table. A table associated with no subnet routes nothing, whatever its routes
//! say. It is usually a subnet that names the wrong table (or none: it then falls back on the
//! main table, often without the routes its workloads need), or the remains of a removed
//! tier. Unused tables count against the quota of route tables per VPC and mislead readers
//! about how traffic flows.
//!
//! **Example.**
//! ```vnet
//! subnet app_a { az us-east-1a  cidr 10.0.1.0/24 }     # no route_table: the main table
//! route_table private_a { route 0.0.0.0/0 -> nat_a }    # meant for app_a, associated with nothing
//! ```
//!
//! **Fix.** Name the table in the subnets it was written for, or remove its block.
//! `vnetc lint --fix` removes it (comments inside the block go with it), unless a gateway
//! endpoint names it: then remove it from the endpoint's `route_tables` first.

use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::security_group::short_name;
use crate::ir::{Id, RouteTable, RouteTableId, RouteTarget};
use rustc_hash::FxHashMap as HashMap;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "unused-route-table",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("unused_route_table.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    // Found once for every table: asking per table scanned every subnet and endpoint for
    // every table, quadratic in the size of the network.
    let mut associated = vec![false; net.route_tables.len()];
    let mut implicit_users: HashMap<RouteTableId, Vec<&str>> = HashMap::default();
    for subnet in &net.subnets {
        associated[subnet.route_table.index()] = true;
        if net.route_tables[subnet.route_table.index()].implicit {
            let users = implicit_users.entry(subnet.route_table).or_default();
            users.push(short_name(&subnet.name));
        }
    }
    let mut endpoints_of: HashMap<RouteTableId, Vec<&str>> = HashMap::default();
    for endpoint in &net.endpoints {
        for table in &endpoint.route_tables {
            let names = endpoints_of.entry(*table).or_default();
            let name = short_name(&endpoint.name);
            if names.last() != Some(&name) {
                names.push(name); // once, if the endpoint names the table twice
            }
        }
    }
    let mut out = Vec::new();
    for (i, table) in net.route_tables.iter().enumerate() {
        let id: RouteTableId = Id::new(i);
        if table.main || table.implicit || associated[i] {
            continue;
        }
        let written = table
            .routes
            .iter()
            .filter(|r| {
                !matches!(
                    r.target,
                    RouteTarget::Local | RouteTarget::GatewayEndpoint(_)
                )
            })
            .count();
        let routes = match written {
            0 => String::new(),
            1 => ": its route carries no traffic".to_string(),
            n => format!(": its {n} routes carry no traffic"),
        };
        let main_id = net.vpcs[table.vpc.index()].main_route_table;
        let main = &net.route_tables[main_id.index()];
        let message = format!(
            "route table `{}` is associated with no subnet and is not the main table{routes}",
            table.name
        );
        let mut diag = finding(&RULE, name_of(table.origin), table.name.clone(), message)
            .label("no subnet uses it")
            .note(format!(
                "subnets that name no `route_table` use the main table, `{}`{}; name this table in the subnets it was written for, or remove it",
                main.name,
                on_implicit_table(main, implicit_users.get(&main_id)),
            ));
        let endpoints = endpoints_of.get(&id).map_or(&[][..], Vec::as_slice);
        if endpoints.is_empty() {
            diag = diag.with_fix(Fix::one(
                format!(
                    "remove route table {} (its whole block, with any comments inside it)",
                    short_name(&table.name)
                ),
                table.origin,
                EditKind::DeleteLines,
                "",
            ));
        } else {
            diag = diag.note(format!(
                "gateway endpoint{} {} name{} it in `route_tables`: remove it there before removing the table",
                if endpoints.len() == 1 { "" } else { "s" },
                endpoints.join(", "),
                if endpoints.len() == 1 { "s" } else { "" },
            ));
        }
        out.push(diag);
    }
    out
}

/// The subnets on an implicit main table (which they cannot have named), for the note:
/// ` (only the local routes), which subnets `a` and `b` use`.
fn on_implicit_table(main: &RouteTable, users: Option<&Vec<&str>>) -> String {
    if !main.implicit {
        return String::new();
    }
    let users: Vec<String> = users
        .into_iter()
        .flatten()
        .map(|name| format!("`{name}`"))
        .collect();
    match users.len() {
        0 => " (only the local routes)".to_string(),
        1 => format!(" (only the local routes), which subnet {} uses", users[0]),
        _ => format!(
            " (only the local routes), which subnets {} use",
            users.join(", ")
        ),
    }
}
