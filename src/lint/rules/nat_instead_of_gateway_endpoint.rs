//! `nat-instead-of-gateway-endpoint` (cost, warning, on by default).
//!
//! **What it does.** Finds route tables that send a workload's `s3` or `dynamodb` traffic
//! through a NAT gateway by their default route, with no gateway endpoint for that service on
//! the table (and no interface endpoint that would carry it instead). One finding per route
//! table and service, naming the workloads, pricing the detour, and saying whether the NAT
//! gateway still carries anything else the network intends (`uses internet`, other flows): if
//! it does not, the NAT gateway itself is unnecessary.
//!
//! **Why it matters.** A NAT gateway charges for every GB it processes (about $0.045 per GB in
//! us-east-1, on top of $0.045 per hour), and S3 and DynamoDB traffic from a private subnet is
//! often most of it: backups, logs, data lakes. A gateway endpoint for the same service is
//! free, adds a prefix-list route to the route tables it is associated with, and carries the
//! traffic to the service in the same region without the NAT gateway. Requests still go to the
//! service's public addresses, so security groups and NACLs that allow them keep working.
//!
//! **Example.**
//! ```vnet
//! route_table private { route 0.0.0.0/0 -> nat }
//! instance job { subnet work  security_groups [job_sg]  uses [s3] }   # S3 through the NAT
//! ```
//!
//! **Fix.** Add a gateway endpoint for the service on the route table. One endpoint serves
//! every route table of a VPC: each finding of a VPC offers the same edit, for all its tables
//! that send the service through a NAT gateway. When the VPC has a gateway endpoint for the
//! service on other tables, the tables are added to its `route_tables`; else `vnetc lint
//! --fix` adds one after the last of them:
//! ```vnet
//! endpoint s3_gateway {
//!   service s3
//!   type gateway
//!   route_tables [private]
//! }
//! ```

use crate::lint::wording::{join_and, join_and_of_total, NAMED};
use std::collections::{BTreeMap, BTreeSet, HashSet};

use rustc_hash::FxHashMap as HashMap;

use crate::aws::prices;
use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::access::Access;
use crate::flow::endpoint::describe;
use crate::flow::packet_set::AddrSet;
use crate::flow::routing;
use crate::flow::security_group::{short_name, PeerAddresses};
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::{IntendedFlow, LintContext};

pub const RULE: Rule = Rule {
    id: "nat-instead-of-gateway-endpoint",
    group: Group::Cost,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("nat_instead_of_gateway_endpoint.rs"),
};

/// What one route table sends through a NAT gateway for one service.
struct Detour {
    nat: NatGatewayId,
    route: Origin,
    workloads: BTreeSet<WorkloadId>,
}

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut detours: BTreeMap<(RouteTableId, &'static str), Detour> = BTreeMap::new();
    for (w, workload) in net.workloads.iter().enumerate() {
        for service in crate::aws::GATEWAY_SERVICES {
            if !workload.uses.iter().any(|u| matches!(u, Use::Service(s) if s.as_str() == *service)) {
                continue;
            }
            for &subnet in &workload.subnets {
                if ctx.engine.services.access(net, subnet, service) != Access::Public {
                    continue;
                }
                let table_id = net.subnets[subnet.index()].route_table;
                let table = &net.route_tables[table_id.index()];
                let addrs: AddrSet = ctx.engine.plan.service(service);
                let Some((Some(route), _)) = routing::lookup(table, &addrs).into_iter().next() else { continue };
                let RouteTarget::NatGateway(nat) = route.target else { continue };
                detours
                    .entry((table_id, service))
                    .or_insert_with(|| Detour { nat, route: route.origin, workloads: BTreeSet::new() })
                    .workloads
                    .insert(Id::new(w));
            }
        }
    }
    // Every name, once: a scan of the network per finding made this quadratic.
    let taken: HashSet<&str> = if detours.is_empty() { HashSet::new() } else { all_names(net).collect() };
    // The tables of each VPC that detour a service, in order: one endpoint fixes them all, and
    // its fix is made once for them (made per finding, it was quadratic in a VPC's tables).
    let mut detouring: BTreeMap<(VpcId, &str), Vec<RouteTableId>> = BTreeMap::new();
    for &(table, service) in detours.keys() {
        detouring.entry((net.route_tables[table.index()].vpc, service)).or_default().push(table);
    }
    let mut gateway_endpoints: HashMap<(VpcId, &str), &Endpoint> = HashMap::default();
    for endpoint in &net.endpoints {
        if let (EndpointType::Gateway, EndpointTarget::Aws(service)) = (endpoint.kind, &endpoint.service) {
            gateway_endpoints.entry((endpoint.vpc, service.as_str())).or_insert(endpoint);
        }
    }
    let fixes: HashMap<(VpcId, &str), Fix> = detouring
        .iter()
        .map(|(&(vpc, service), tables)| {
            let fix = match gateway_endpoints.get(&(vpc, service)) {
                Some(endpoint) => add_to_endpoint(net, endpoint, tables),
                None => new_endpoint(net, service, &free_name(net, &taken, vpc, &format!("{service}_gateway")), tables),
            };
            ((vpc, service), fix)
        })
        .collect();
    let mut traffic: HashMap<NatGatewayId, NatTraffic> = HashMap::default();
    detours
        .into_iter()
        .map(|((table, service), detour)| {
            let through = traffic.entry(detour.nat).or_insert_with(|| NatTraffic::of(ctx, detour.nat));
            let fix = fixes[&(net.route_tables[table.index()].vpc, service)].clone();
            report(ctx, table, service, &detour, through, fix)
        })
        .collect()
}

/// The intended flows whose request goes through one NAT gateway, found once for the gateway:
/// a route table's finding names the others, and a scan of them per finding was quadratic in
/// the size of the network.
struct NatTraffic<'c> {
    /// Indices into the lint's intended flows, in order.
    flows: Vec<usize>,
    /// How many of them go from each workload to each AWS service.
    to_service: HashMap<(WorkloadId, &'c str), usize>,
}

impl<'c> NatTraffic<'c> {
    fn of(ctx: &'c LintContext, nat: NatGatewayId) -> Self {
        let component = format!("nat_gateway {}", ctx.net.nat_gateways[nat.index()].name);
        let mut to_service: HashMap<(WorkloadId, &'c str), usize> = HashMap::default();
        let flows: Vec<usize> = ctx.flows_with_request_via(&component).collect();
        for &i in &flows {
            if let (FlowEndpoint::Workload(w), FlowEndpoint::Service(s)) = {
                let flow = ctx.intended.flow(i);
                (flow.source, flow.destination)
            } {
                *to_service.entry((*w, s.as_str())).or_default() += 1;
            }
        }
        NatTraffic { flows, to_service }
    }
}


/// The finding for `table_id`, with `fix`, the one for every table of its VPC that detours
/// `service`.
fn report(ctx: &LintContext, table_id: RouteTableId, service: &str, detour: &Detour, through: &NatTraffic, fix: Fix) -> Diag {
    let net = ctx.net;
    let table = &net.route_tables[table_id.index()];
    let nat = &net.nat_gateways[detour.nat.index()];
    let names: Vec<String> = detour.workloads.iter().map(|w| format!("`{}`", net.workloads[w.index()].name)).collect();
    let others = other_traffic(ctx, detour, service, through);
    let monthly = prices::NAT_GATEWAY_HOUR * prices::HOURS_PER_MONTH;
    let still = if others.is_empty() {
        format!(
            "With the endpoint, NAT gateway `{}` carries nothing else {} need{}{}: unless something outside vnet's view uses it, it is unnecessary (about ${monthly:.2} per month).",
            nat.name,
            join_and(&names),
            if detour.workloads.len() == 1 { "s" } else { "" },
            if detour.workloads.len() == 1 { "" } else { " (nor anything else the network intends)" },
        )
    } else {
        format!("NAT gateway `{}` still carries {}.", nat.name, others)
    };
    let message = format!(
        "route table `{}` sends the {service} traffic of {} through NAT gateway `{}`, paying ${:.3} per GB processed ({} prices) where a gateway endpoint for {service} is free. {still}",
        table.name,
        join_and(&names),
        nat.name,
        prices::NAT_GATEWAY_GB,
        prices::REGION,
    );
    finding(&RULE, name_of(table.origin), table.name.clone(), message)
        .label(format!("{service} goes through {} here", short_name(&nat.name)))
        .secondary(detour.route, "the default route to the NAT gateway")
        .note(format!(
            "every TB of {service} traffic through the NAT gateway costs about ${:.0} in processing alone ({} prices, data transfer aside)",
            prices::NAT_GATEWAY_GB * 1024.0,
            prices::REGION
        ))
        .with_fix(fix)
}

/// `tables` (of one VPC, in order), as a fix's text names them: `route table a`, `route
/// tables a, b and c`.
fn tables_text(net: &Network, tables: &[RouteTableId]) -> String {
    let names: Vec<String> = tables.iter().take(NAMED).map(|t| short_name(&net.route_tables[t.index()].name).to_string()).collect();
    match names.as_slice() {
        [one] => format!("route table {one}"),
        _ => format!("route tables {}", join_and_of_total(&names, tables.len())),
    }
}

/// `route_tables [a, b]`.
fn route_tables_line<'a>(net: &Network, tables: impl Iterator<Item = &'a RouteTableId>) -> String {
    let names: Vec<&str> = tables.map(|t| short_name(&net.route_tables[t.index()].name)).collect();
    format!("route_tables [{}]", names.join(", "))
}

/// The VPC's gateway endpoint for the service, which serves other tables, with `tables` added
/// to its list (the line replaced, so a comment after it stays).
fn add_to_endpoint(net: &Network, endpoint: &Endpoint, tables: &[RouteTableId]) -> Fix {
    let line = route_tables_line(net, endpoint.route_tables.iter().chain(tables));
    let title = format!("add {} to gateway endpoint {}", tables_text(net, tables), short_name(&endpoint.name));
    match endpoint.route_tables_origin {
        Some(origin) => Fix::one(title, origin, EditKind::Replace, line),
        None => Fix::one(title, endpoint.origin, EditKind::InsertInBlock, line),
    }
}

/// A new gateway endpoint for `service` on `tables` (of one VPC, not empty), written after the
/// last of them.
fn new_endpoint(net: &Network, service: &str, endpoint_name: &str, tables: &[RouteTableId]) -> Fix {
    let line = route_tables_line(net, tables.iter());
    let block = format!("endpoint {endpoint_name} {{\n  service {service}\n  type gateway\n  {line}\n}}");
    let last = &net.route_tables[tables[tables.len() - 1].index()];
    Fix::one(format!("add a gateway endpoint for {service} on {}", tables_text(net, tables)), last.origin, EditKind::InsertAfterBlock, block)
}

/// The intended flows, other than these workloads' traffic to this service, whose request
/// goes through the NAT gateway: the first [`NAMED`] of them and how many more.
fn other_traffic(ctx: &LintContext, detour: &Detour, service: &str, through: &NatTraffic) -> String {
    let covered_by = |w: &WorkloadId| through.to_service.get(&(*w, service)).copied().unwrap_or(0);
    let covered: usize = detour.workloads.iter().map(covered_by).sum();
    let is_covered = |flow: &IntendedFlow| {
        matches!(flow.source, FlowEndpoint::Workload(w) if detour.workloads.contains(w))
            && matches!(&flow.destination, FlowEndpoint::Service(s) if s.as_str() == service)
    };
    let others = (through.flows.iter().map(|&i| ctx.intended.flow(i))).filter(|flow| !is_covered(flow));
    let total = through.flows.len() - covered;
    let named: Vec<String> = others
        .take(NAMED)
        .map(|flow| format!("`{} -> {} {} {}`", describe(ctx.net, flow.source), describe(ctx.net, flow.destination), flow.protocol, flow.ports))
        .collect();
    join_and_of_total(&named, total)
}

/// A name not yet taken in the VPC (`s3_gateway`, else `s3_gateway_2` ...); `taken` holds
/// every qualified name of the network.
fn free_name(net: &Network, taken: &HashSet<&str>, vpc: VpcId, wanted: &str) -> String {
    let vpc_name = &net.vpcs[vpc.index()].name;
    let free = |name: &str| !taken.contains(format!("{vpc_name}.{name}").as_str());
    if free(wanted) {
        return wanted.to_string();
    }
    (2..).map(|i| format!("{wanted}_{i}")).find(|n| free(n)).unwrap_or_default()
}

fn all_names(net: &Network) -> impl Iterator<Item = &str> {
    net.subnets
        .iter()
        .map(|x| x.name.as_str())
        .chain(net.route_tables.iter().map(|x| x.name.as_str()))
        .chain(net.nacls.iter().map(|x| x.name.as_str()))
        .chain(net.security_groups.iter().map(|x| x.name.as_str()))
        .chain(net.nat_gateways.iter().map(|x| x.name.as_str()))
        .chain(net.internet_gateways.iter().map(|x| x.name.as_str()))
        .chain(net.vpn_gateways.iter().map(|x| x.name.as_str()))
        .chain(net.endpoints.iter().map(|x| x.name.as_str()))
        .chain(net.endpoint_services.iter().map(|x| x.name.as_str()))
        .chain(net.load_balancers.iter().map(|x| x.name.as_str()))
        .chain(net.target_groups.iter().map(|x| x.name.as_str()))
        .chain(net.workloads.iter().map(|x| x.name.as_str()))
        .chain(net.resource_gateways.iter().map(|x| x.name.as_str()))
        .chain(net.resource_configurations.iter().map(|x| x.name.as_str()))
}

