//! `endpoint-unused` (hygiene, warning, on by default).
//!
//! **What it does.** Finds VPC endpoints no workload can use:
//! - a gateway endpoint whose route tables serve no subnet holding a workload that `uses`
//!   the service (or an `expect` flow to it);
//! - an interface endpoint whose service no workload uses, counting workloads in other VPCs
//!   that reach the endpoint's subnets through a peering or a transit gateway (the
//!   centralized-endpoint pattern: one hub VPC holds the endpoints for many spokes), and flows
//!   that `expect` lines send to it (from on-premises networks, say).
//!
//! An endpoint whose users exist but are blocked (by a security group, a NACL, a missing
//! route) is used: that is `uses-unreachable`, reported on the workload.
//!
//! **Why it matters.** An interface endpoint costs about $0.01 per AZ-hour (about $7.30 per AZ
//! per month in us-east-1) whether anything uses it or not. A gateway endpoint is free but an
//! unused one is a sign that the route table association is wrong: the workloads that need the
//! service reach it some other way (often through a NAT gateway, paying per GB).
//!
//! **Example.**
//! ```vnet
//! endpoint logs {
//!   service logs
//!   type interface
//!   subnets [app_a]
//!   security_groups [vpce_sg]
//! }
//! # ... and no workload `uses [logs]`
//! ```
//!
//! **Fix.** Remove the endpoint (`vnetc lint --fix` does, when nothing in its VPC uses the
//! service at all), or associate it with the route tables of the subnets whose workloads use
//! the service (the message names them).

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::aws::prices;
use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::access::{Access, ServiceEndpoints};
use crate::flow::intent;
use crate::flow::security_group::short_name;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "endpoint-unused",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("endpoint_unused.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let services = &ctx.engine.services;
    let used = used_interface_endpoints(net, services);
    let expected = expected_endpoints(net, services);
    let users = service_users(net);
    let mut out = Vec::new();
    for (i, endpoint) in net.endpoints.iter().enumerate() {
        let id: EndpointId = Id::new(i);
        if expected.contains(&id) {
            continue;
        }
        let diag = match endpoint.kind {
            EndpointType::Gateway => gateway(ctx, endpoint, &users),
            EndpointType::Interface if used.contains(&id) => None,
            EndpointType::Interface => interface(ctx, endpoint),
        };
        out.extend(diag);
    }
    out
}

/// The endpoints an `expect ... allowed` line names, or names the service of while its
/// source reaches the service through them, found per line (asking per endpoint scanned every
/// line for every endpoint: quadratic in a large network).
fn expected_endpoints(net: &Network, services: &ServiceEndpoints) -> HashSet<EndpointId> {
    let mut expected = HashSet::new();
    for e in net.expects.iter().filter(|e| e.verdict == Verdict::Allowed) {
        match &e.destination {
            FlowEndpoint::Endpoint(x) => {
                expected.insert(*x);
            }
            FlowEndpoint::Service(s) => {
                for sub in source_subnets(net, &e.source) {
                    let (kind, id) = match services.access(net, sub, s) {
                        Access::GatewayEndpoint(id) => (EndpointType::Gateway, id),
                        Access::InterfaceEndpoint(id) => (EndpointType::Interface, id),
                        _ => continue,
                    };
                    let Some(endpoint) = net.endpoints.get(id.index()) else { continue };
                    if endpoint.kind == kind && matches!(&endpoint.service, EndpointTarget::Aws(target) if target.as_str() == s.as_str()) {
                        expected.insert(id);
                    }
                }
            }
            _ => {}
        }
    }
    expected
}

/// The workloads that `uses` each AWS service, by VPC.
fn service_users(net: &Network) -> HashMap<(VpcId, &str), Vec<&Workload>> {
    let mut users: HashMap<(VpcId, &str), Vec<&Workload>> = HashMap::new();
    for w in &net.workloads {
        for u in &w.uses {
            if let Use::Service(s) = u {
                let list = users.entry((w.vpc, s.as_str())).or_default();
                if !list.last().is_some_and(|l| std::ptr::eq(*l, &**w)) {
                    list.push(w);
                }
            }
        }
    }
    users
}

fn source_subnets(net: &Network, end: &FlowEndpoint) -> Vec<SubnetId> {
    match end {
        FlowEndpoint::Workload(w) => net.workloads[w.index()].subnets.clone(),
        FlowEndpoint::Subnet(s) => vec![*s],
        _ => Vec::new(),
    }
}

fn gateway(ctx: &LintContext, endpoint: &Endpoint, users: &HashMap<(VpcId, &str), Vec<&Workload>>) -> Option<Diag> {
    let net = ctx.net;
    let EndpointTarget::Aws(service) = &endpoint.service else { return None };
    // A workload's subnets are in its VPC, and the endpoint's route tables in the endpoint's.
    let in_vpc = users.get(&(endpoint.vpc, service.as_str())).map(Vec::as_slice).unwrap_or_default();
    let users_here = in_vpc
        .iter()
        .filter(|w| w.subnets.iter().any(|s| endpoint.route_tables.contains(&net.subnets[s.index()].route_table)));
    if users_here.count() > 0 {
        return None;
    }
    // Workloads of the same VPC that use the service from tables the endpoint misses.
    let missing: BTreeSet<&str> = in_vpc
        .iter()
        .flat_map(|w| w.subnets.iter().map(|s| net.route_tables[net.subnets[s.index()].route_table.index()].name.as_str()))
        .collect();
    let tables: Vec<&str> = endpoint.route_tables.iter().map(|t| short_name(&net.route_tables[t.index()].name)).collect();
    let served = if tables.is_empty() {
        "it is associated with no route table".to_string()
    } else {
        format!("its route tables ({}) serve no subnet with a workload that `uses [{service}]`", tables.join(", "))
    };
    let mut diag = finding(&RULE, name_of(endpoint.origin), endpoint.name.clone(), format!("gateway endpoint `{}` for {service} is unused: {served}", endpoint.name))
        .label("no workload can use it");
    if missing.is_empty() {
        diag = diag
            .note(format!("nothing in VPC `{}` uses {service}; gateway endpoints are free, but this one routes nothing", net.vpcs[endpoint.vpc.index()].name))
            .with_fix(Fix::one(format!("remove endpoint {}", short_name(&endpoint.name)), endpoint.origin, EditKind::DeleteLines, ""));
    } else {
        let list: Vec<&str> = missing.iter().map(|t| short_name(t)).collect();
        diag = diag.note(format!(
            "the workloads that use {service} are on route table{} {}: add {} to the endpoint's `route_tables`",
            if list.len() == 1 { "" } else { "s" },
            list.join(", "),
            if list.len() == 1 { "it" } else { "them" }
        ));
    }
    Some(diag)
}

/// The interface endpoints some workload uses: the one each subnet of a workload reaches a
/// service it `uses` through, and the consumer endpoint of each endpoint service it uses.
/// Computed once for all endpoints (asking per endpoint made the rule cubic in the size of
/// the network).
fn used_interface_endpoints(net: &Network, services: &ServiceEndpoints) -> HashSet<EndpointId> {
    let mut used = HashSet::new();
    for w in &net.workloads {
        for u in &w.uses {
            match u {
                Use::Service(s) => {
                    for sub in &w.subnets {
                        if let Access::InterfaceEndpoint(e) = services.access(net, *sub, s) {
                            used.insert(e);
                        }
                    }
                }
                Use::EndpointService(es) => {
                    if let Some(e) = intent::consumer_endpoint(net, w, *es) {
                        if net.endpoints[e.index()].service == EndpointTarget::EndpointService(*es) {
                            used.insert(e);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    used
}

fn interface(ctx: &LintContext, endpoint: &Endpoint) -> Option<Diag> {
    let net = ctx.net;
    let service = match &endpoint.service {
        EndpointTarget::Aws(s) => s.clone(),
        EndpointTarget::EndpointService(es) => format!("endpoint service {}", net.endpoint_services[es.index()].name),
    };
    let azs: BTreeSet<&str> = endpoint.subnets.iter().map(|s| net.subnets[s.index()].az.as_str()).collect();
    let monthly = prices::INTERFACE_ENDPOINT_AZ_HOUR * prices::HOURS_PER_MONTH * azs.len().max(1) as f64;
    let message = format!(
        "interface endpoint `{}` for {service} is unused: no workload uses {service} through it, in its VPC or in a VPC that routes to it over a peering or a transit gateway; it costs about ${monthly:.2} per month for {} AZ{} ({} prices)",
        endpoint.name,
        azs.len().max(1),
        if azs.len() == 1 { "" } else { "s" },
        prices::REGION
    );
    Some(
        finding(&RULE, name_of(endpoint.origin), endpoint.name.clone(), message)
            .label("no workload uses it")
            .note("if workloads do call the service, add it to their `uses`; if on-premises clients use it, write an `expect` line for that flow")
            .with_fix(Fix::one(format!("remove endpoint {}", short_name(&endpoint.name)), endpoint.origin, EditKind::DeleteLines, "")),
    )
}
