//! `single-az` (resilience, warning, off by default).
//!
//! **What it does.** Finds tiers in one availability zone only: the targets of a target group,
//! the subnets of a transit gateway attachment, or the subnets of an interface endpoint. A
//! target group counts its workloads' subnets and the subnets of its IP targets (addresses
//! outside every VPC are not counted).
//!
//! The message names the other AZs of the VPC where the tier could also be. The rule is off by
//! default: run it with `vnetc lint --select single-az` (or `--select resilience`, its group),
//! or add it to the rules `vnet.toml` selects (`[lint] select = ["all"]` runs every rule).
//!
//! **Why it matters.** AWS designs each availability zone to fail independently; a tier in
//! one AZ fails with it. A load balancer whose targets are all in one AZ has nothing to send
//! requests to when that AZ is down. A transit gateway reaches a VPC only in the AZs of its
//! attachment's subnets: when the attachment's only AZ fails the VPC is cut off from the
//! transit gateway, and traffic from the VPC's other AZs cannot use it at all. An interface
//! endpoint in one AZ stops answering (and callers in other AZs pay cross-AZ data, $0.01 per
//! GB in each direction in us-east-1). Adding AZs costs little: a transit gateway attachment
//! is billed per hour whatever its number of subnets, and an interface endpoint about $0.01
//! per AZ-hour (about $7.30 per AZ per month in us-east-1).
//!
//! **Example.**
//! ```vnet
//! endpoint ssm { service ssm  type interface  subnets [endpoints_a]  security_groups [vpce_sg] }
//! ```
//!
//! **Fix.** Add a subnet in a second AZ to the endpoint's or attachment's `subnets`, or
//! register targets in a second AZ. `vnetc lint --fix` does not change the design for you.

use std::collections::BTreeSet;

use crate::lint::wording::join_and;
use crate::aws::prices;
use crate::check::name_of;
use crate::diagnostics::{Diag, Severity};
use crate::flow::addressing;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "single-az",
    group: Group::Resilience,
    severity: Severity::Warning,
    default: false,
    run,
    source: include_str!("single_az.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    for (i, tg) in net.target_groups.iter().enumerate() {
        let subnets: Vec<SubnetId> = tg
            .targets
            .iter()
            .flat_map(|t| match t {
                Target::Workload(w) => net.workloads[w.index()].subnets.clone(),
                Target::Address(ip) => addressing::subnet_of(net, *ip).into_iter().collect(),
            })
            .collect();
        let Some(az) = one_az(net, &subnets) else {
            continue;
        };
        let names: Vec<String> = tg
            .targets
            .iter()
            .map(|t| match t {
                Target::Workload(w) => format!("`{}`", net.workloads[w.index()].name),
                Target::Address(ip) => format!("`{ip}`"),
            })
            .collect();
        let forwards = |ls: &[Listener]| ls.iter().any(|l| l.target_group.index() == i);
        let fronts: Vec<String> = net
            .load_balancers
            .iter()
            .filter(|lb| forwards(&lb.listeners))
            .map(|lb| format!("load balancer `{}`", lb.name))
            .chain(
                net.lattice_services
                    .iter()
                    .filter(|ls| forwards(&ls.listeners))
                    .map(|ls| format!("Lattice service `{}`", ls.name)),
            )
            .collect();
        let who = if fronts.is_empty() {
            "whatever forwards to it".to_string()
        } else {
            join_and(&fronts)
        };
        let message = format!(
            "target group `{}` has all its targets ({}) in {az}: when {az} fails, {who} {} no healthy target to send requests to",
            tg.name,
            join_and(&names),
            if fronts.len() > 1 { "have" } else { "has" }
        );
        out.push(
            finding(&RULE, name_of(tg.origin), tg.name.clone(), message)
                .label(format!("every target in {az}"))
                .note(others(net, tg.vpc, &az, "register targets in")),
        );
    }
    for att in &net.attachments {
        let Some(az) = one_az(net, &att.subnets) else {
            continue;
        };
        let Some(vpc) = att.vpc else { continue };
        let tgw = &net.transit_gateways[att.transit_gateway.index()];
        let elsewhere = net.subnets.iter().any(|s| s.vpc == vpc && s.az != az);
        let message = format!(
            "transit gateway attachment `{}` has subnets in {az} only: when {az} fails, VPC `{}` is cut off from transit gateway `{}`{}",
            att.name,
            net.vpcs[vpc.index()].name,
            tgw.name,
            if elsewhere { ", and traffic from its subnets in other AZs cannot use the transit gateway at all" } else { "" }
        );
        out.push(
            finding(&RULE, name_of(att.origin), att.name.clone(), message)
                .label(format!("only in {az}"))
                .note(others(net, vpc, &az, "add to the attachment's `subnets` a subnet in"))
                .note(format!(
                    "the attachment is billed per hour (${:.2}, {} prices) whatever its number of subnets: a subnet per AZ costs nothing more",
                    prices::TRANSIT_GATEWAY_ATTACHMENT_HOUR,
                    prices::REGION
                )),
        );
    }
    for e in &net.endpoints {
        if e.kind != EndpointType::Interface {
            continue;
        }
        let Some(az) = one_az(net, &e.subnets) else {
            continue;
        };
        let message = format!(
            "interface endpoint `{}` has a network interface in {az} only: when {az} fails, the service it serves is unreachable through it, and callers in other AZs cross zones to reach it",
            e.name
        );
        out.push(
            finding(&RULE, name_of(e.origin), e.name.clone(), message)
                .label(format!("only in {az}"))
                .note(others(
                    net,
                    e.vpc,
                    &az,
                    "add to the endpoint's `subnets` a subnet in",
                ))
                .note(format!(
                    "each AZ adds about ${:.2} per month (${:.2} per AZ-hour, {} prices)",
                    prices::INTERFACE_ENDPOINT_AZ_HOUR * prices::HOURS_PER_MONTH,
                    prices::INTERFACE_ENDPOINT_AZ_HOUR,
                    prices::REGION
                )),
        );
    }
    out
}

/// The AZ of the subnets, when there are some and they share one.
fn one_az(net: &Network, subnets: &[SubnetId]) -> Option<String> {
    let azs: BTreeSet<&str> = subnets
        .iter()
        .map(|s| net.subnets[s.index()].az.as_str())
        .collect();
    match azs.len() {
        1 => azs.into_iter().next().map(str::to_string),
        _ => None,
    }
}

/// What to do, with the VPC's subnets in other AZs.
fn others(net: &Network, vpc: VpcId, az: &str, action: &str) -> String {
    let subnets: Vec<String> = net
        .subnets
        .iter()
        .filter(|s| s.vpc == vpc && s.az != az)
        .map(|s| {
            format!(
                "`{}` ({})",
                crate::flow::security_group::short_name(&s.name),
                s.az
            )
        })
        .collect();
    if subnets.is_empty() {
        format!(
            "VPC `{}` has subnets in {az} only: add a subnet in a second AZ, then {action} it",
            net.vpcs[vpc.index()].name
        )
    } else {
        format!(
            "{action} another AZ: VPC `{}` has {}",
            net.vpcs[vpc.index()].name,
            join_and(&subnets)
        )
    }
}
