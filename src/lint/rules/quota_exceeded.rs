//! `quota-exceeded` (hygiene, warning, on by default).
//!
//! **What it does.** Reports items above a default AWS quota (one that Service Quotas can
//! raise). It counts: more than 5 IPv4 CIDR blocks on a VPC; more than 20 inbound or 20 outbound rules in a
//! network ACL (written `nacl` blocks only); more than 60 ingress or 60 egress rules in a
//! security group; more than 5 security groups on a network interface (a workload, an
//! interface endpoint, a load balancer, a resource gateway); more than 50 written routes in a
//! route table (the implicit local routes and gateway endpoint routes not counted); more
//! than 50 interface endpoints in a VPC. The finding points at the first item over the quota.
//! Limits that no quota increase lifts (more than 50 IPv4 blocks on a VPC) are compile
//! errors, not this rule.
//!
//! **Why it matters.** These are default quotas of an AWS account: AWS rejects the item that
//! goes beyond one (the 21st rule of a NACL direction, the 6th CIDR block ...) and the
//! deployment fails halfway. Each can be raised through Service Quotas (some, such as the
//! security groups per interface and the rules per group, only together: their product is
//! capped), so the finding is a reminder to request the increase before deploying, or to
//! consolidate (fewer, broader rules; a prefix list; fewer groups per interface).
//!
//! **Example.**
//! ```vnet
//! instance app_1 {
//!   subnet app_a
//!   security_groups [base_sg, app_sg, ssh_sg, metrics_sg, logs_sg, debug_sg]   # 6 > 5
//! }
//! ```
//!
//! **Fix.** Request the increase in Service Quotas (then suppress the finding with
//! `# vnet: allow(quota-exceeded) raised to N` on the line before the item), or reduce the
//! count. `vnetc lint --fix` changes nothing.

use crate::aws::{limits, quotas};
use crate::check::name_of;
use crate::diagnostics::{Diag, Severity};
use crate::flow::security_group::{describe_rule, short_name};
use crate::ir::{
    Destination, Endpoint, EndpointType, Origin, RouteTarget, SecurityGroupId, WorkloadKind,
};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;
use crate::syntax::Direction;

pub const RULE: Rule = Rule {
    id: "quota-exceeded",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("quota_exceeded.rs"),
};

/// One count over a quota.
struct Over<'a> {
    /// Where to point: the first item over the quota.
    at: Origin,
    /// The item whose count it is (`nacl shop.app_acl`), and its qualified name.
    item: String,
    resource: &'a str,
    /// What is counted (`inbound rules`) and how many there are.
    what: &'static str,
    count: usize,
    /// The quota's name in Service Quotas, and its default value.
    quota: &'static str,
    default: usize,
    /// What AWS does beyond it.
    rejects: String,
    /// The item's name, for a secondary label.
    name: Option<Origin>,
    /// How far the quota can be raised, when vnet knows.
    max: Option<usize>,
}

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut over: Vec<Over> = Vec::new();
    // By VPC once: a scan of every endpoint per VPC was quadratic in the network's size.
    let mut interface_endpoints: Vec<Vec<&Endpoint>> = vec![Vec::new(); net.vpcs.len()];
    for e in net.endpoints.iter().filter(|e| e.kind == EndpointType::Interface) {
        interface_endpoints[e.vpc.index()].push(e);
    }
    for (vpc, endpoints) in net.vpcs.iter().zip(&interface_endpoints) {
        let v4: Vec<_> = vpc
            .cidrs
            .iter()
            .filter(|c| c.cidr.addr().is_ipv4())
            .collect();
        if let Some(first) = v4.get(quotas::IPV4_CIDRS_PER_VPC) {
            over.push(Over {
                at: first.origin,
                item: format!("VPC `{}`", vpc.name),
                resource: &vpc.name,
                what: "IPv4 CIDR blocks",
                count: v4.len(),
                quota: "IPv4 CIDR blocks per VPC",
                default: quotas::IPV4_CIDRS_PER_VPC,
                rejects: format!("AWS rejects the association of block {}", first.cidr),
                name: Some(name_of(vpc.origin)),
                max: Some(limits::VPC_IPV4_CIDRS_MAX),
            });
        }
        if let Some(first) = endpoints.get(quotas::INTERFACE_ENDPOINTS_PER_VPC) {
            over.push(Over {
                at: name_of(first.origin),
                item: format!("VPC `{}`", vpc.name),
                resource: &vpc.name,
                what: "interface endpoints",
                count: endpoints.len(),
                quota: "Interface VPC endpoints per VPC",
                default: quotas::INTERFACE_ENDPOINTS_PER_VPC,
                rejects: format!("AWS rejects the creation of endpoint `{}`", first.name),
                name: Some(name_of(vpc.origin)),
                max: None,
            });
        }
    }
    for acl in net.nacls.iter().filter(|a| !a.default) {
        for (what, rules) in [
            ("inbound rules", &acl.inbound),
            ("outbound rules", &acl.outbound),
        ] {
            if let Some(first) = rules.get(quotas::NACL_RULES_PER_DIRECTION) {
                over.push(Over {
                    at: first.origin,
                    item: format!("nacl `{}`", acl.name),
                    resource: &acl.name,
                    what,
                    count: rules.len(),
                    quota: "Rules per network ACL",
                    default: quotas::NACL_RULES_PER_DIRECTION,
                    rejects: format!("AWS rejects rule {} and every rule after it", first.number),
                    name: Some(name_of(acl.origin)),
                    max: None,
                });
            }
        }
    }
    for group in net.security_groups.iter().filter(|g| !g.default) {
        let egress: &[_] = if group.default_egress {
            &[]
        } else {
            &group.egress
        };
        for (what, direction, rules) in [
            ("ingress rules", Direction::Inbound, &group.ingress[..]),
            ("egress rules", Direction::Outbound, egress),
        ] {
            if let Some(first) = rules.get(quotas::SG_RULES_PER_DIRECTION) {
                over.push(Over {
                    at: first.origin,
                    item: format!("security group `{}`", group.name),
                    resource: &group.name,
                    what,
                    count: rules.len(),
                    quota: "Inbound or outbound rules per security group",
                    default: quotas::SG_RULES_PER_DIRECTION,
                    rejects: format!(
                        "AWS rejects the rules after the {}th, from `{}` on",
                        quotas::SG_RULES_PER_DIRECTION,
                        describe_rule(net, first, direction)
                    ),
                    name: Some(name_of(group.origin)),
                    max: None,
                });
            }
        }
    }
    for table in net.route_tables.iter().filter(|t| !t.implicit) {
        let written: Vec<_> = table
            .routes
            .iter()
            .filter(|r| {
                !matches!(
                    r.target,
                    RouteTarget::Local | RouteTarget::GatewayEndpoint(_)
                )
            })
            .collect();
        if let Some(first) = written.get(quotas::ROUTES_PER_ROUTE_TABLE) {
            over.push(Over {
                at: first.origin,
                item: format!("route table `{}`", table.name),
                resource: &table.name,
                what: "routes",
                count: written.len(),
                quota: "Routes per route table",
                default: quotas::ROUTES_PER_ROUTE_TABLE,
                rejects: format!(
                    "AWS rejects the routes after the {}th, from the route to {} on",
                    quotas::ROUTES_PER_ROUTE_TABLE,
                    destination(&first.destination)
                ),
                name: Some(name_of(table.origin)),
                max: None,
            });
        }
    }
    // Interfaces and their groups.
    let interfaces = net
        .workloads
        .iter()
        .map(|w| (kind_of(&w.kind), &w.name, w.origin, &w.security_groups))
        .chain(
            net.endpoints
                .iter()
                .filter(|e| e.kind == EndpointType::Interface)
                .map(|e| ("interface endpoint", &e.name, e.origin, &e.security_groups)),
        )
        .chain(
            net.load_balancers
                .iter()
                .map(|l| ("load balancer", &l.name, l.origin, &l.security_groups)),
        )
        .chain(
            net.resource_gateways
                .iter()
                .map(|r| ("resource gateway", &r.name, r.origin, &r.security_groups)),
        );
    for (kind, name, origin, groups) in interfaces {
        if groups.len() > quotas::SECURITY_GROUPS_PER_INTERFACE {
            over.push(Over {
                at: name_of(origin),
                item: format!("{kind} `{name}`"),
                resource: name,
                what: "security groups on its network interfaces",
                count: groups.len(),
                quota: "Security groups per network interface",
                default: quotas::SECURITY_GROUPS_PER_INTERFACE,
                rejects: format!("AWS rejects attaching {}", extra_groups(ctx, groups)),
                name: None,
                max: None,
            });
        }
    }
    over.into_iter().map(report).collect()
}

fn report(o: Over) -> Diag {
    let message = format!(
        "{} has {} {}, above the default quota of {} (\"{}\"): {}; the quota can be raised through Service Quotas{}",
        o.item,
        o.count,
        o.what,
        o.default,
        o.quota,
        o.rejects,
        o.max.map(|m| format!(" (up to {m})")).unwrap_or_default()
    );
    let mut diag = finding(&RULE, o.at, o.resource.to_string(), message)
        .label(format!("over the default quota of {} {}", o.default, o.what))
        .note(format!(
            "request an increase of \"{}\" in Service Quotas before deploying (then `# vnet: allow(quota-exceeded) raised` on the line before the item), or bring the count to {} or fewer",
            o.quota, o.default
        ));
    if let Some(name) = o.name {
        diag = diag.secondary(name, format!("{} {}", o.count, o.what));
    }
    diag
}

fn destination(d: &Destination) -> String {
    match d {
        Destination::Cidr(c) => c.to_string(),
        Destination::PrefixList(s) => format!("the {s} prefix list"),
    }
}

fn kind_of(kind: &WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Instance => "instance",
        WorkloadKind::Function => "function",
        WorkloadKind::Database => "database",
    }
}

/// The groups beyond the quota, by name: `logs_sg and debug_sg`.
fn extra_groups(ctx: &LintContext, groups: &[SecurityGroupId]) -> String {
    let names: Vec<String> = groups[quotas::SECURITY_GROUPS_PER_INTERFACE..]
        .iter()
        .map(|g| {
            let name = ctx
                .net
                .security_groups
                .get(g.index())
                .map(|g| g.name.as_str())
                .unwrap_or("?");
            format!("`{}`", short_name(name))
        })
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}
