//! `nat-gateway-without-internet-route` (reachability, error, on by default).
//!
//! **What it does.** Finds public NAT gateways whose own subnet's route table does not send the
//! internet to an internet gateway. That is: no `route 0.0.0.0/0 -> IGW`, a default route to
//! something else (another NAT gateway, a transit gateway, a blackhole), or part of the internet routed
//! elsewhere. Private NAT gateways (`connectivity private`) translate traffic toward other VPCs
//! and on-premises networks and need no internet gateway: they are never reported. The message
//! names the route tables that send their internet traffic to the NAT gateway and the intended
//! flows (`uses internet`, `uses s3` ...) that it drops.
//!
//! **Why it matters.** A NAT gateway translates the private addresses of the subnets that
//! route to it, then forwards the packets by the route table of its own subnet: it must sit in
//! a public subnet, one whose route table routes 0.0.0.0/0 to the VPC's internet gateway.
//! Without that route, every private subnet behind it loses its internet egress (package
//! updates, AWS APIs without endpoints, third-party APIs) while the NAT gateway still bills
//! about $0.045 per hour (us-east-1). AWS's Reachability Analyzer reports such paths as
//! `NAT_GATEWAY_NO_INTERNET_ROUTE`.
//!
//! **Example.**
//! ```vnet
//! subnet edge { az us-east-1a  cidr 10.0.0.0/24  route_table edge_rt }
//! nat_gateway nat { subnet edge }
//! route_table edge_rt {}               # no route 0.0.0.0/0 -> igw
//! route_table private { route 0.0.0.0/0 -> nat }
//! ```
//!
//! **Fix.** Add `route 0.0.0.0/0 -> IGW` to the NAT gateway's subnet's route table (replacing
//! a default route to anything else), or, when the subnet uses the VPC's implicit main table,
//! associate the subnet with a public route table. `vnetc lint --fix` applies it when the VPC
//! has an internet gateway and the table serves no subnet with private workloads; when it
//! does, the NAT gateway is in a private subnet and belongs in a public one instead.

use std::collections::BTreeSet;

use super::peering_not_transitive::broken_flows_among;
use super::public_subnet_without_internet_route::{all_public, default_route, public_route_fix};
use crate::aws::prices;
use crate::check::name_of;
use crate::lint::wording::{join_and, join_and_of_total, NAMED};
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::path::describe_route;
use crate::flow::routing;
use crate::flow::security_group::short_name;
use crate::flow::Explanation;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "nat-gateway-without-internet-route",
    group: Group::Reachability,
    severity: Severity::Error,
    default: true,
    run,
    source: include_str!("nat_gateway_without_internet_route.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let internet = ctx.engine.plan.internet().v4();
    let mut out = Vec::new();
    for (i, nat) in net.nat_gateways.iter().enumerate() {
        let Some(subnet) = nat.subnet.filter(|_| nat.public) else {
            continue;
        };
        let table = &net.route_tables[net.subnets[subnet.index()].route_table.index()];
        let parts = routing::lookup(table, &internet);
        let to_igw = |r: &Option<&Route>| {
            matches!(r.map(|r| r.target), Some(RouteTarget::InternetGateway(_)))
        };
        if parts.iter().all(|(r, _)| to_igw(r)) {
            continue;
        }
        let elsewhere: Vec<String> = parts
            .iter()
            .filter(|(r, _)| !to_igw(r))
            .map(|(r, _)| match r {
                Some(r) => format!("`{}`", describe_route(net, r)),
                None => "no route".to_string(),
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        out.push(report(ctx, Id::new(i), subnet, table, &elsewhere));
    }
    out
}

fn report(
    ctx: &LintContext,
    id: NatGatewayId,
    subnet: SubnetId,
    table: &RouteTable,
    elsewhere: &[String],
) -> Diag {
    let net = ctx.net;
    let nat = &net.nat_gateways[id.index()];
    let s = &net.subnets[subnet.index()];
    let table_id = s.route_table;
    let how = if table.implicit {
        format!(
            "subnet `{}` uses the VPC's main route table `{}`, which has only the local routes",
            s.name, table.name
        )
    } else {
        let routes: Vec<String> = elsewhere
            .iter()
            .filter(|e| *e != "no route")
            .cloned()
            .collect();
        let what = match routes.len() {
            0 => "has no route for the internet".to_string(),
            n if n < elsewhere.len() => {
                format!("sends the internet to {} or nowhere", join_and(&routes))
            }
            _ => format!(
                "sends the internet to {} instead of an internet gateway",
                join_and(&routes)
            ),
        };
        format!(
            "its subnet `{}` uses route table `{}`, which {what}",
            s.name, table.name
        )
    };
    // Who sends their internet traffic to this NAT gateway, and which intended flows it drops.
    let feeders: Vec<&RouteTable> = net
        .route_tables
        .iter()
        .filter(|t| {
            t.routes
                .iter()
                .any(|r| r.target == RouteTarget::NatGateway(id))
        })
        .map(|t| &**t)
        .collect();
    let component = format!("nat_gateway {}", nat.name);
    let diag = finding(&RULE, name_of(nat.origin), nat.name.clone(), String::new());
    let through = ctx.flows_with_request_via(&component);
    let (diag, broken, count) = broken_flows_among(ctx, diag, through, NAMED, |t| {
        t.request.iter().any(|h| h.component == component)
            && t.drops
                .iter()
                .any(|d| d.explanation == Explanation::NatGatewayNoInternetRoute)
    });
    let consequence = match (feeders.is_empty(), broken.is_empty()) {
        (true, _) => {
            "no route table uses it yet, but any that does will have no internet egress".to_string()
        }
        (false, true) => {
            let names: Vec<String> = feeders.iter().map(|t| format!("`{}`", t.name)).collect();
            format!("the subnets of route table{} {} send their internet traffic to it and lose their egress", if names.len() == 1 { "" } else { "s" }, join_and(&names))
        }
        (false, false) => format!("it drops {}", join_and_of_total(&broken, count)),
    };
    let message = format!(
        "NAT gateway `{}` cannot reach the internet: {how}. {}{}",
        nat.name,
        consequence[..1].to_uppercase(),
        &consequence[1..]
    );
    let mut diag = Diag { message, ..diag }
        .label("no route to an internet gateway from its subnet")
        .secondary(name_of(s.origin), "the NAT gateway's subnet");
    if let Some(r) = default_route(table) {
        diag = diag.secondary(
            r.origin,
            "sends the NAT gateway's traffic here instead of the internet gateway",
        );
    } else if !table.implicit {
        diag = diag.secondary(
            name_of(table.origin),
            "no route 0.0.0.0/0 -> internet gateway",
        );
    }
    let own = default_route(table).map(|r| r.origin);
    for t in &feeders {
        let to_nat = t
            .routes
            .iter()
            .find(|r| r.target == RouteTarget::NatGateway(id));
        if let Some(r) = to_nat.filter(|r| Some(r.origin) != own) {
            diag = diag.secondary(r.origin, "internet traffic goes to the NAT gateway");
        }
    }
    diag = diag.note(format!(
        "a public NAT gateway forwards what it translates by its own subnet's route table, which must route 0.0.0.0/0 to the internet gateway; meanwhile it bills about ${:.3} per hour ({} prices)",
        prices::NAT_GATEWAY_HOUR,
        prices::REGION
    ));
    let Some(igw_id) = net.internet_gateways.iter().position(|g| g.vpc == nat.vpc) else {
        return diag.note(format!(
            "VPC `{}` has no internet gateway: add one (`internet_gateway igw`) and `route 0.0.0.0/0 -> igw` to the NAT gateway's subnet's route table, or make the NAT gateway `connectivity private` if it only serves other VPCs and on-premises networks",
            net.vpcs[nat.vpc.index()].name
        ));
    };
    let igw = &net.internet_gateways[igw_id];
    let igw_name = short_name(&igw.name);
    let line = format!("route 0.0.0.0/0 -> {igw_name}");
    if table.implicit {
        return match public_route_fix(net, subnet, igw) {
            Some(fix) => diag.with_fix(fix),
            None => diag.note(format!("give subnet `{}` a route table with `{line}` (the fix offered for the first such subnet of the VPC creates one for all of them)", s.name)),
        };
    }
    if !all_public(net, table_id) {
        let public: Vec<String> = net
            .subnets
            .iter()
            .filter(|o| {
                o.vpc == s.vpc
                    && o.az == s.az
                    && default_route(&net.route_tables[o.route_table.index()])
                        .is_some_and(|r| r.target == RouteTarget::InternetGateway(Id::new(igw_id)))
            })
            .map(|o| format!("`{}`", short_name(&o.name)))
            .collect();
        return diag.note(format!(
            "route table `{}` also serves subnets with private workloads, so the NAT gateway sits in a private subnet: move it to a public subnet of {}{}",
            table.name,
            s.az,
            if public.is_empty() { String::new() } else { format!(" ({})", join_and(&public)) }
        ));
    }
    let table_name = short_name(&table.name);
    let fix = match default_route(table) {
        Some(r) => Fix::one(
            format!("route 0.0.0.0/0 to {igw_name} in route table {table_name}"),
            r.origin,
            EditKind::Replace,
            line,
        ),
        None => Fix::one(
            format!("add `{line}` to route table {table_name}"),
            table.origin,
            EditKind::InsertInBlock,
            line,
        ),
    };
    diag.with_fix(fix)
}
