//! `public-subnet-without-internet-route` (reachability, warning, on by default).
//!
//! **What it does.** Finds subnets with `public_ip_on_launch true`, and workloads with
//! `public_ip true`, whose route table has no route to an internet gateway. (A workload is
//! reported for its own `public_ip true` only in a subnet that does not give every instance a
//! public IP.) One finding per route table, naming its subnets and workloads; a subnet that uses
//! the VPC's implicit main route table (it has none of its own) is reported on itself. A subnet
//! that holds a public NAT gateway is reported all the same, but only
//! `nat-gateway-without-internet-route` offers the fix, so that `--fix` adds the route once.
//!
//! **Why it matters.** A public IP address does not make an instance public: the internet
//! gateway carries only the traffic of subnets whose route table sends it there. Without the
//! route, instances launched in the subnet get a public IPv4 address (which AWS bills by the
//! hour) that nothing can reach and that reaches nothing: the internet cannot open a
//! connection to them, and their own calls out are not routed. AWS calls a subnet "public"
//! exactly when its route table has a route to an internet gateway; either the route is
//! missing, or the subnet is private and should not hand out public addresses.
//!
//! **Example.**
//! ```vnet
//! subnet web_a { az us-east-1a  cidr 10.0.0.0/24  route_table web  public_ip_on_launch true }
//! route_table web {}                  # no `route 0.0.0.0/0 -> igw`
//! ```
//!
//! **Fix.** Add `route 0.0.0.0/0 -> IGW` to the route table (or, for a subnet that uses the
//! implicit main table, associate it with a route table that has the route: an existing public
//! table of the VPC, or a new one). `vnetc lint --fix` applies it when the VPC has an internet
//! gateway, the table has no other default route, and every subnet of the table is meant to be
//! public. If the subnet is meant to be private, set `public_ip_on_launch false` instead.

use crate::lint::wording::join_and;
use std::collections::{BTreeMap, BTreeSet};

use crate::check::name_of;
use crate::diagnostics::{Diag, Edit, EditKind, Fix, Severity};
use crate::flow::security_group::short_name;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "public-subnet-without-internet-route",
    group: Group::Reachability,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("public_subnet_without_internet_route.rs"),
};

/// What one route table (or one subnet without a table of its own) leaves unrouted.
#[derive(Default)]
struct Stranded {
    subnets: BTreeSet<SubnetId>,
    workloads: BTreeSet<WorkloadId>,
}

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    // Keyed by route table, and by subnet for those on the implicit main table.
    let mut found: BTreeMap<(RouteTableId, Option<SubnetId>), Stranded> = BTreeMap::new();
    let key = |s: SubnetId| {
        let t = net.subnets[s.index()].route_table;
        (t, net.route_tables[t.index()].implicit.then_some(s))
    };
    for (i, subnet) in net.subnets.iter().enumerate() {
        if subnet.public_ip_on_launch
            && !routes_to_igw(&net.route_tables[subnet.route_table.index()])
        {
            found
                .entry(key(Id::new(i)))
                .or_default()
                .subnets
                .insert(Id::new(i));
        }
    }
    for (i, w) in net.workloads.iter().enumerate() {
        for &s in &w.subnets {
            let subnet = &net.subnets[s.index()];
            if w.public_ip
                && !subnet.public_ip_on_launch
                && !routes_to_igw(&net.route_tables[subnet.route_table.index()])
            {
                found
                    .entry(key(s))
                    .or_default()
                    .workloads
                    .insert(Id::new(i));
            }
        }
    }
    found
        .into_iter()
        .map(|((table, subnet), stranded)| report(ctx, table, subnet, &stranded))
        .collect()
}

fn report(
    ctx: &LintContext,
    table_id: RouteTableId,
    own: Option<SubnetId>,
    stranded: &Stranded,
) -> Diag {
    let net = ctx.net;
    let table = &net.route_tables[table_id.index()];
    let mut what: Vec<String> = stranded
        .subnets
        .iter()
        .map(|s| {
            format!(
                "subnet `{}` launches instances with public IPs (`public_ip_on_launch true`)",
                net.subnets[s.index()].name
            )
        })
        .collect();
    let workloads: Vec<String> = stranded
        .workloads
        .iter()
        .map(|w| format!("`{}`", net.workloads[w.index()].name))
        .collect();
    if !workloads.is_empty() {
        what.push(format!(
            "{} {} `public_ip true`",
            join_and(&workloads),
            if workloads.len() == 1 { "has" } else { "have" }
        ));
    }
    let igw = net.internet_gateways.iter().find(|g| g.vpc == table.vpc);
    let table_words = match own {
        Some(_) => format!(
            "uses the VPC's main route table `{}`, which has only the local routes",
            table.name
        ),
        None => format!(
            "route table `{}` has no route to an internet gateway",
            table.name
        ),
    };
    let one = stranded.subnets.is_empty() && stranded.workloads.len() == 1;
    let (its, their) = if one {
        ("its public address is", "its")
    } else {
        ("their public addresses are", "their")
    };
    let out = match default_route(table).map(|r| r.target) {
        Some(RouteTarget::NatGateway(n)) => format!(
            "{their} own traffic to the internet leaves through NAT gateway `{}`, with the NAT gateway's address",
            net.nat_gateways[n.index()].name
        ),
        _ => format!("{their} own traffic to the internet is not routed"),
    };
    let consequence = format!("{its} unreachable from the internet, and {out}");
    let message = format!("{}, but {table_words}: {consequence}", join_and(&what));
    let (primary, resource) = match own {
        Some(s) => (
            name_of(net.subnets[s.index()].origin),
            net.subnets[s.index()].name.clone(),
        ),
        None => (name_of(table.origin), table.name.clone()),
    };
    let mut diag =
        finding(&RULE, primary, resource, message).label("no route to an internet gateway");
    for s in &stranded.subnets {
        if own.is_none() {
            diag = diag.secondary(
                name_of(net.subnets[s.index()].origin),
                "public_ip_on_launch true",
            );
        }
    }
    for w in &stranded.workloads {
        diag = diag.secondary(name_of(net.workloads[w.index()].origin), "public_ip true");
    }
    let holds_nat = net.nat_gateways.iter().any(|n| {
        n.public
            && n.subnet
                .is_some_and(|s| net.subnets[s.index()].route_table == table_id)
    });
    match igw {
        None => diag.note(format!(
            "VPC `{}` has no internet gateway: add one (`internet_gateway igw`) and route 0.0.0.0/0 to it, or keep the subnet private and stop giving out public IPs",
            net.vpcs[table.vpc.index()].name
        )),
        Some(_) if holds_nat => diag.note("the subnet holds a public NAT gateway: the fix is offered on the `nat-gateway-without-internet-route` finding"),
        Some(g) => {
            diag = diag.note(if stranded.subnets.is_empty() {
                "if the workload is meant to be private, remove `public_ip true`; if it must be reachable from the internet, place it in a public subnet"
            } else {
                "if the subnet is meant to be private, set `public_ip_on_launch false` instead"
            });
            match own {
                Some(s) => match public_route_fix(net, s, g) {
                    Some(fix) => diag.with_fix(fix),
                    None => diag.note(format!(
                        "give subnet `{}` a route table with `route 0.0.0.0/0 -> {}` (the fix offered for the first such subnet of the VPC creates one for all of them)",
                        net.subnets[s.index()].name,
                        short_name(&g.name)
                    )),
                },
                None if all_public(net, table_id) && default_route(table).is_none() => {
                    let line = format!("route 0.0.0.0/0 -> {}", short_name(&g.name));
                    diag.with_fix(Fix::one(format!("add `{line}` to route table {}", short_name(&table.name)), table.origin, EditKind::InsertInBlock, line))
                }
                None => diag,
            }
        }
    }
}

/// The route table has a route to an internet gateway.
pub(super) fn routes_to_igw(table: &RouteTable) -> bool {
    table
        .routes
        .iter()
        .any(|r| matches!(r.target, RouteTarget::InternetGateway(_)))
}

/// The table's written `0.0.0.0/0` route, if any.
pub(super) fn default_route(table: &RouteTable) -> Option<&Route> {
    table
        .routes
        .iter()
        .find(|r| r.target != RouteTarget::Local && matches!(r.destination, Destination::Cidr(c) if c.prefix_len() == 0 && c.addr().is_ipv4()))
}

/// Every subnet of the table is meant to be public: it gives out public IPs, or every workload
/// in it has one (so that adding a route to the internet gateway changes no private subnet).
pub(super) fn all_public(net: &Network, table: RouteTableId) -> bool {
    net.subnets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.route_table == table)
        .all(|(i, s)| {
            s.public_ip_on_launch
                || net
                    .workloads
                    .iter()
                    .filter(|w| w.subnets.contains(&Id::new(i)))
                    .all(|w| w.public_ip)
        })
}

/// A subnet on the VPC's implicit main table that needs a route to the internet gateway: it
/// gives out public IPs, holds a workload with one, or holds a public NAT gateway.
fn needs_public_route(net: &Network, subnet: SubnetId) -> bool {
    let s = &net.subnets[subnet.index()];
    net.route_tables[s.route_table.index()].implicit
        && (s.public_ip_on_launch
            || net
                .workloads
                .iter()
                .any(|w| w.public_ip && w.subnets.contains(&subnet))
            || net
                .nat_gateways
                .iter()
                .any(|n| n.public && n.subnet == Some(subnet)))
}

/// For a subnet on the implicit main table: associate it with the VPC's public route table (a
/// written, non-main table whose default route is the internet gateway). When the VPC has
/// none, one fix creates it and associates every subnet of the VPC that needs it; it is
/// offered on the first such subnet's finding only, so that `--fix` creates one table.
pub(super) fn public_route_fix(
    net: &Network,
    subnet: SubnetId,
    igw: &InternetGateway,
) -> Option<Fix> {
    let s = &net.subnets[subnet.index()];
    if !net.route_tables[s.route_table.index()].implicit {
        return None;
    }
    let existing = net.route_tables.iter().find(|t| {
        t.vpc == s.vpc
            && !t.implicit
            && !t.main
            && default_route(t).is_some_and(|r| matches!(r.target, RouteTarget::InternetGateway(_)))
    });
    let igw_name = short_name(&igw.name);
    if let Some(t) = existing {
        let name = short_name(&t.name);
        return Some(Fix::one(
            format!(
                "associate subnet {} with route table {name}, which routes 0.0.0.0/0 to {igw_name}",
                short_name(&s.name)
            ),
            s.origin,
            EditKind::InsertInBlock,
            format!("route_table {name}"),
        ));
    }
    let group: Vec<SubnetId> = (0..net.subnets.len())
        .map(Id::new)
        .filter(|&x| net.subnets[x.index()].vpc == s.vpc && needs_public_route(net, x))
        .collect();
    if group.first() != Some(&subnet) {
        return None;
    }
    let name = free_name(net, s.vpc, "public");
    let mut edits: Vec<Edit> = group
        .iter()
        .map(|x| Edit {
            anchor: net.subnets[x.index()].origin,
            kind: EditKind::InsertInBlock,
            text: format!("route_table {name}"),
        })
        .collect();
    edits.push(Edit {
        anchor: s.origin,
        kind: EditKind::InsertAfterBlock,
        text: format!("route_table {name} {{\n  route 0.0.0.0/0 -> {igw_name}\n}}"),
    });
    let names: Vec<String> = group
        .iter()
        .map(|x| short_name(&net.subnets[x.index()].name).to_string())
        .collect();
    Some(Fix::new(format!("add route table `{name}` with `route 0.0.0.0/0 -> {igw_name}` and associate subnet{} {} with it", if names.len() == 1 { "" } else { "s" }, join_and(&names)), edits))
}

/// A name not yet taken in the VPC (`public`, else `public_2` ...).
pub(super) fn free_name(net: &Network, vpc: VpcId, wanted: &str) -> String {
    let prefix = format!("{}.", net.vpcs[vpc.index()].name);
    let names = net
        .subnets
        .iter()
        .map(|x| &x.name)
        .chain(net.route_tables.iter().map(|x| &x.name))
        .chain(net.nacls.iter().map(|x| &x.name))
        .chain(net.security_groups.iter().map(|x| &x.name))
        .chain(net.nat_gateways.iter().map(|x| &x.name))
        .chain(net.internet_gateways.iter().map(|x| &x.name))
        .chain(net.vpn_gateways.iter().map(|x| &x.name))
        .chain(net.endpoints.iter().map(|x| &x.name))
        .chain(net.endpoint_services.iter().map(|x| &x.name))
        .chain(net.load_balancers.iter().map(|x| &x.name))
        .chain(net.target_groups.iter().map(|x| &x.name))
        .chain(net.workloads.iter().map(|x| &x.name))
        .chain(net.resource_gateways.iter().map(|x| &x.name))
        .chain(net.resource_configurations.iter().map(|x| &x.name));
    let taken: BTreeSet<&str> = names
        .filter_map(|n| n.strip_prefix(prefix.as_str()))
        .collect();
    std::iter::once(wanted.to_string())
        .chain((2..).map(|i| format!("{wanted}_{i}")))
        .find(|n| !taken.contains(n.as_str()))
        .unwrap_or_default()
}

