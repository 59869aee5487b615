//! `interface-endpoint-where-gateway-free` (cost, warning, on by default).
//!
//! **What it does.** Finds interface endpoints for `s3` or `dynamodb` that serve only
//! workloads in VPCs of their own region, which a free gateway endpoint would serve. The
//! consumers are the workloads that `uses` the service and reach it through this endpoint (in
//! its VPC, or over a peering or transit gateway), and the sources of `expect` lines to it. An
//! endpoint is not reported when an on-premises network is connected to its VPC (through the
//! VPC's virtual private gateway or a transit gateway it is attached to), when an `expect` line
//! or a consumer comes from another region, or when nothing uses it (`endpoint-unused`).
//!
//! **Why it matters.** S3 and DynamoDB are the two services with gateway endpoints: free,
//! route-table based, serving the subnets of their own VPC in their own region. An interface
//! endpoint (PrivateLink) for them bills about $0.01 per AZ-hour (about $7.30 per AZ per
//! month) plus $0.01 per GB processed (us-east-1 prices); it is worth paying only for what a
//! gateway endpoint cannot serve: on-premises networks (over VPN or Direct Connect) and other
//! regions.
//!
//! **Example.**
//! ```vnet
//! endpoint s3 { service s3  type interface  subnets [app_a, app_b]  security_groups [vpce_sg] }
//! instance app { subnet app_a  security_groups [app_sg]  uses [s3] }   # same VPC only
//! ```
//!
//! **Fix.** Replace it with a gateway endpoint on the route tables of the consumers' subnets
//! (`endpoint s3 { service s3  type gateway  route_tables [app_rt] }`), and a gateway endpoint
//! in each other consumer VPC. `vnetc lint --fix` makes the replacement (and removes the
//! endpoint's security groups that nothing else uses) when every consumer is in the endpoint's
//! VPC, on a subnet with a route table of its own (the implicit main table cannot be named), and
//! would still reach the service through the gateway endpoint, which the flow engine checks on
//! the changed network: security group egress and NACLs must allow the service's public
//! addresses (the prefix list, or 0.0.0.0/0). Otherwise the message says what stands in the way.

use std::collections::BTreeSet;

use crate::lint::wording::join_and;
use crate::aws::{self, prices};
use crate::check::name_of;
use crate::diagnostics::{Diag, Edit, EditKind, Fix, Severity};
use crate::flow::access::Access;
use crate::flow::security_group::short_name;
use crate::flow::{Engine, Outcome, Query};
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "interface-endpoint-where-gateway-free",
    group: Group::Cost,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("interface_endpoint_where_gateway_free.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    for (i, e) in net.endpoints.iter().enumerate() {
        let id: EndpointId = Id::new(i);
        let EndpointTarget::Aws(service) = &e.service else {
            continue;
        };
        if e.kind != EndpointType::Interface || !aws::GATEWAY_SERVICES.contains(&service.as_str()) {
            continue;
        }
        let region = &net.vpcs[e.vpc.index()].region;
        // (workload, subnet) pairs that reach the service through this endpoint.
        let consumers: Vec<(WorkloadId, SubnetId)> = net
            .workloads
            .iter()
            .enumerate()
            .filter(|(_, w)| w.uses.iter().any(|u| matches!(u, Use::Service(s) if s.as_str() == service.as_str())))
            .flat_map(|(w, wl)| wl.subnets.iter().map(move |&s| (Id::new(w), s)))
            .filter(|&(_, s)| {
                ctx.engine.services.access(net, s, service) == Access::InterfaceEndpoint(id)
            })
            .collect();
        let expected_from_afar = net.expects.iter().any(|x| {
            x.verdict == Verdict::Allowed
                && (x.destination == FlowEndpoint::Endpoint(id)
                    || matches!(&x.destination, FlowEndpoint::Service(s) if s.as_str() == service.as_str()))
                && match &x.source {
                    FlowEndpoint::OnPremises(_) | FlowEndpoint::Address(_) => {
                        x.destination == FlowEndpoint::Endpoint(id)
                    }
                    FlowEndpoint::Workload(w) => {
                        &net.vpcs[net.workloads[w.index()].vpc.index()].region != region
                    }
                    _ => false,
                }
        });
        let afar = consumers
            .iter()
            .any(|(w, _)| &net.vpcs[net.workloads[w.index()].vpc.index()].region != region);
        if consumers.is_empty() || expected_from_afar || afar || on_premises_connected(net, e.vpc) {
            continue;
        }
        out.push(report(ctx, id, service, &consumers));
    }
    out
}

fn report(
    ctx: &LintContext,
    id: EndpointId,
    service: &str,
    consumers: &[(WorkloadId, SubnetId)],
) -> Diag {
    let net = ctx.net;
    let e = &net.endpoints[id.index()];
    let vpc = &net.vpcs[e.vpc.index()];
    let azs: BTreeSet<&str> = e
        .subnets
        .iter()
        .map(|s| net.subnets[s.index()].az.as_str())
        .collect();
    let n = azs.len().max(1);
    let monthly = prices::INTERFACE_ENDPOINT_AZ_HOUR * prices::HOURS_PER_MONTH * n as f64;
    let names: BTreeSet<String> = consumers
        .iter()
        .map(|(w, _)| format!("`{}`", net.workloads[w.index()].name))
        .collect();
    let names: Vec<String> = names.into_iter().collect();
    let other_vpcs: BTreeSet<&str> = consumers
        .iter()
        .map(|(w, _)| net.workloads[w.index()].vpc)
        .filter(|v| *v != e.vpc)
        .map(|v| net.vpcs[v.index()].name.as_str())
        .collect();
    let message = format!(
        "interface endpoint `{}` for {service} serves only {} in {} VPCs, which a gateway endpoint for {service} would serve for free; this one costs about ${monthly:.2} per month for {n} AZ{} (${:.2} per AZ-hour) plus ${:.2} per GB processed ({} prices)",
        e.name,
        join_and(&names),
        vpc.region,
        if n == 1 { "" } else { "s" },
        prices::INTERFACE_ENDPOINT_AZ_HOUR,
        prices::INTERFACE_ENDPOINT_GB,
        prices::REGION
    );
    let diag = finding(&RULE, name_of(e.origin), e.name.clone(), message)
        .label(format!("a paid interface endpoint for {service}"))
        .note("an interface endpoint for S3 or DynamoDB is needed only for on-premises networks and other regions (a gateway endpoint cannot serve them)");
    if !other_vpcs.is_empty() {
        let list: Vec<String> = other_vpcs.iter().map(|v| format!("`{v}`")).collect();
        return diag.note(format!(
            "consumers in VPC{} {} reach it over a peering or transit gateway: give each VPC its own gateway endpoint for {service} (gateway endpoints serve only their own VPC)",
            if list.len() == 1 { "" } else { "s" },
            join_and(&list)
        ));
    }
    let tables: BTreeSet<RouteTableId> = consumers
        .iter()
        .map(|(_, s)| net.subnets[s.index()].route_table)
        .collect();
    if let Some(t) = tables.iter().find(|t| net.route_tables[t.index()].implicit) {
        return diag.note(format!(
            "the consumers' subnets use the VPC's implicit main route table `{}`: give them a route table, then replace the endpoint with `endpoint {} {{ service {service}  type gateway  route_tables [TABLE] }}`",
            net.route_tables[t.index()].name,
            short_name(&e.name)
        ));
    }
    let table_names: Vec<&str> = tables
        .iter()
        .map(|t| short_name(&net.route_tables[t.index()].name))
        .collect();
    let replacement = format!(
        "endpoint {} {{ service {service}  type gateway  route_tables [{}] }}",
        short_name(&e.name),
        table_names.join(", ")
    );
    if let Some(why) = blocked_after(ctx, id, service, &tables, consumers) {
        return diag.note(format!("with a gateway endpoint, {why}: allow it, then replace the endpoint with `{replacement}`"));
    }
    // Its security groups that nothing else uses or names go with it.
    let orphans: Vec<SecurityGroupId> = e
        .security_groups
        .iter()
        .copied()
        .filter(|&g| !used_elsewhere(net, g, id))
        .collect();
    let mut title = format!(
        "replace it with a gateway endpoint on route table{} {}",
        if table_names.len() == 1 { "" } else { "s" },
        table_names.join(", ")
    );
    if !orphans.is_empty() {
        let names: Vec<String> = orphans
            .iter()
            .map(|g| short_name(&net.security_groups[g.index()].name).to_string())
            .collect();
        title.push_str(&format!(
            ", and remove security group {}, which nothing else uses",
            join_and(&names)
        ));
    }
    let mut edits = vec![Edit {
        anchor: e.origin,
        kind: EditKind::Replace,
        text: replacement,
    }];
    edits.extend(orphans.iter().map(|g| Edit {
        anchor: net.security_groups[g.index()].origin,
        kind: EditKind::DeleteLines,
        text: String::new(),
    }));
    diag.with_fix(Fix::new(title, edits))
}

/// Whether a security group is attached to anything but endpoint `id`, or named by a rule.
fn used_elsewhere(net: &Network, g: SecurityGroupId, id: EndpointId) -> bool {
    let named = net
        .security_groups
        .iter()
        .flat_map(|x| x.ingress.iter().chain(&x.egress))
        .any(|r| r.peer == SgPeer::SecurityGroup(g));
    let endpoints = net
        .endpoints
        .iter()
        .enumerate()
        .any(|(i, e)| i != id.index() && e.security_groups.contains(&g));
    let others = net.workloads.iter().any(|w| w.security_groups.contains(&g))
        || net
            .load_balancers
            .iter()
            .any(|l| l.security_groups.contains(&g))
        || net
            .resource_gateways
            .iter()
            .any(|r| r.security_groups.contains(&g));
    named || endpoints || others || net.security_groups[g.index()].default
}

/// Whether the consumers that reach the service now would still reach it through a gateway
/// endpoint on `tables` (the network with the endpoint replaced, asked of the engine); if not,
/// what drops them.
fn blocked_after(
    ctx: &LintContext,
    id: EndpointId,
    service: &str,
    tables: &BTreeSet<RouteTableId>,
    consumers: &[(WorkloadId, SubnetId)],
) -> Option<String> {
    let mut changed = ctx.net.clone();
    let e = std::sync::Arc::make_mut(&mut changed.endpoints[id.index()]);
    e.kind = EndpointType::Gateway;
    e.subnets.clear();
    e.security_groups.clear();
    e.private_dns = false;
    e.route_tables = tables.iter().copied().collect();
    let origin = e.origin;
    for t in tables {
        std::sync::Arc::make_mut(&mut changed.route_tables[t.index()]).routes.push(Route {
            destination: Destination::PrefixList(service.to_string()),
            target: RouteTarget::GatewayEndpoint(id),
            origin,
        });
    }
    let engine = Engine::new(&changed, ctx.engine.config);
    let workloads: BTreeSet<WorkloadId> = consumers.iter().map(|(w, _)| *w).collect();
    for w in workloads {
        let query = Query {
            source: FlowEndpoint::Workload(w),
            destination: FlowEndpoint::Service(service.into()),
            protocol: Protocol::Tcp,
            ports: PortRange::single(443),
        };
        let works = |r: Option<&crate::flow::Reach>| {
            r.is_some_and(|r| r.outcome_for_some == Outcome::Completed)
        };
        if works(ctx.reach(&query).as_deref()) && !works(engine.reach(&query).ok().as_ref()) {
            let drop = engine
                .reach(&query)
                .ok()
                .and_then(|r| r.traces.into_vec().into_iter().flat_map(|t| t.drops).next());
            let name = &ctx.net.workloads[w.index()].name;
            return Some(match drop {
                Some(d) => format!(
                    "`{name}` would be dropped at {}: {} ({})",
                    d.component, d.message, d.explanation
                ),
                None => format!("`{name}` would not reach {service}"),
            });
        }
    }
    None
}

/// An on-premises network is connected to the VPC: through its virtual private gateway, or a
/// transit gateway it is attached to. It may use the endpoint (vnet cannot tell).
fn on_premises_connected(net: &Network, vpc: VpcId) -> bool {
    net.connections.iter().any(|c| match c.gateway {
        Some(ConnectionGateway::VpnGateway(v)) => net.vpn_gateways[v.index()].vpc == vpc,
        Some(ConnectionGateway::TransitGateway(t)) => net
            .attachments
            .iter()
            .any(|a| a.transit_gateway == t && a.vpc == Some(vpc)),
        None => false,
    })
}
