//! `subnet-too-small` (hygiene, warning, on by default).
//!
//! **What it does.** Finds subnets with fewer usable IPv4 addresses than the network
//! interfaces placed in them need. Usable addresses are the block's size minus the 5 that AWS
//! reserves (a /28 has 11, a /24 has 251). Interfaces: one per workload for each subnet it is in, one per NAT gateway, one per interface endpoint
//! subnet, one per transit gateway attachment subnet and one per resource gateway subnet;
//! for load balancers, one per subnet for a network load balancer and 8 per subnet for an
//! application load balancer (the free addresses AWS asks for, so that its nodes can scale).
//!
//! **Why it matters.** Every network interface takes a private address of its subnet. AWS
//! reserves five addresses in every subnet (network, VPC router, DNS, future use, broadcast),
//! so small subnets fill up quickly: when none is free, launching an instance, creating an
//! endpoint or scaling a load balancer fails (`InsufficientFreeAddressesInSubnet`), often
//! during an incident, when an Auto Scaling group tries to replace instances. A subnet's CIDR
//! block cannot be changed once it is created.
//!
//! **Example.**
//! ```vnet
//! subnet edge_a { az us-east-1a  cidr 10.0.0.0/28 }    # 11 usable addresses
//! load_balancer web { subnets [edge_a, edge_b] }        # an application load balancer: 8
//! nat_gateway nat_a { subnet edge_a }                   # 1
//! instance proxy_1 { subnet edge_a }                    # 1
//! instance proxy_2 { subnet edge_a }                    # 1
//! instance bastion { subnet edge_a }                    # 1: 12 needed
//! ```
//!
//! **Fix.** Give the subnet a larger block (the message gives the smallest prefix that fits;
//! this replaces the subnet in AWS), or place some of the interfaces in another subnet.
//! `vnetc lint --fix` changes nothing.


use crate::aws::{limits, ALB_ADDRESSES_PER_SUBNET, RESERVED_ADDRESSES_PER_SUBNET};
use crate::check::name_of;
use crate::diagnostics::{Diag, Severity};
use crate::ir::{EndpointType, LoadBalancerType, Network, SubnetId, WorkloadKind};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "subnet-too-small",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("subnet_too_small.rs"),
};

/// What takes addresses in a subnet: (kind of item, its name, addresses).
/// What each subnet holds, by subnet (names unquoted: worded only for a finding).
type Placed<'n> = Vec<Vec<(&'static str, &'n str, u64)>>;

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let placed = placements(net);
    let mut out = Vec::new();
    for (subnet, items) in net.subnets.iter().zip(&placed) {
        let Some(block) = &subnet.cidr else { continue };
        let host_bits = u32::from(block.cidr.max_prefix_len() - block.cidr.prefix_len());
        let size = 1u64.checked_shl(host_bits).unwrap_or(u64::MAX);
        let usable = size.saturating_sub(RESERVED_ADDRESSES_PER_SUBNET);
        let needed: u64 = items.iter().map(|(_, _, n)| n).sum();
        if needed <= usable {
            continue;
        }
        let listed = describe(items);
        let message = format!(
            "subnet `{}` ({}) has {usable} usable addresses ({size} minus the {RESERVED_ADDRESSES_PER_SUBNET} AWS reserves), but the network interfaces placed in it need {needed}: {}",
            subnet.name,
            block.cidr,
            listed
        );
        let mut diag = finding(&RULE, name_of(subnet.origin), subnet.name.clone(), message)
            .label(format!("{needed} addresses needed, {usable} usable"))
            .secondary(block.origin, format!("{size} addresses, {RESERVED_ADDRESSES_PER_SUBNET} reserved by AWS"))
            .note("when no address is free, AWS fails to launch or create the interfaces beyond (InsufficientFreeAddressesInSubnet)");
        if items
            .iter()
            .any(|(kind, _, _)| *kind == "application load balancer")
        {
            diag = diag.note(format!(
                "an application load balancer needs at least {ALB_ADDRESSES_PER_SUBNET} free addresses in each of its subnets, for its nodes to scale (AWS's requirement at creation)"
            ));
        }
        if let Some(prefix) = fitting_prefix(needed, block.cidr.max_prefix_len())
            .filter(|p| *p >= limits::VPC_PREFIX_MIN)
        {
            diag = diag.note(format!(
                "a /{prefix} would fit ({} usable addresses); a subnet's block cannot be changed in place, so resizing replaces the subnet. Otherwise move some interfaces to another subnet",
                (1u64 << (block.cidr.max_prefix_len() - prefix)) - RESERVED_ADDRESSES_PER_SUBNET
            ));
        }
        out.push(diag);
    }
    out
}

/// `instance `a.x` (1), application load balancer `a.web` (8)`, or for several items of a
/// kind, `12 instances (1 each: `a.x`, `a.y`, `a.z` and 9 more)`.
fn describe(items: &[(&'static str, &str, u64)]) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for (kind, _, _) in items {
        if !kinds.contains(kind) {
            kinds.push(kind);
        }
    }
    let parts: Vec<String> = kinds
        .iter()
        .map(|kind| {
            let of: Vec<&(&str, &str, u64)> =
                items.iter().filter(|(k, _, _)| k == kind).collect();
            let total: u64 = of.iter().map(|(_, _, n)| n).sum();
            match of.as_slice() {
                [(_, name, n)] => format!("{kind} `{name}` ({n})"),
                _ => {
                    let names: Vec<String> = of
                        .iter()
                        .take(if of.len() <= 4 { 4 } else { 3 })
                        .map(|(_, name, _)| format!("`{name}`"))
                        .collect();
                    let more = if of.len() > 4 {
                        format!(" and {} more", of.len() - 3)
                    } else {
                        String::new()
                    };
                    let each = if total == of.len() as u64 {
                        "1 each: ".to_string()
                    } else {
                        String::new()
                    };
                    format!("{} {kind}s ({each}{}{more})", of.len(), names.join(", "))
                }
            }
        })
        .collect();
    parts.join(", ")
}

/// The smallest block (the longest prefix) whose usable addresses cover `needed`.
fn fitting_prefix(needed: u64, max_prefix: u8) -> Option<u8> {
    (0..=max_prefix.min(63)).rev().find(|&prefix| {
        let bits = u32::from(max_prefix - prefix);
        bits < 64 && (1u64 << bits).saturating_sub(RESERVED_ADDRESSES_PER_SUBNET) >= needed
    })
}

/// Every item that places interfaces in a subnet, and how many addresses it takes there.
fn placements<'n>(net: &'n Network) -> Placed<'n> {
    let mut placed: Placed<'n> = vec![Vec::new(); net.subnets.len()];
    let mut put = |subnet: SubnetId, kind: &'static str, name: &'n str, n: u64| {
        if let Some(list) = placed.get_mut(subnet.index()) {
            list.push((kind, name, n));
        }
    };
    for w in &net.workloads {
        let kind = match w.kind {
            WorkloadKind::Instance => "instance",
            WorkloadKind::Function => "function",
            WorkloadKind::Database => "database",
        };
        for s in &w.subnets {
            put(*s, kind, &w.name, 1);
        }
    }
    for nat in &net.nat_gateways {
        if let Some(s) = nat.subnet {
            put(s, "NAT gateway", &nat.name, 1);
        }
    }
    for e in net
        .endpoints
        .iter()
        .filter(|e| e.kind == EndpointType::Interface)
    {
        for s in &e.subnets {
            put(*s, "interface endpoint", &e.name, 1);
        }
    }
    for lb in &net.load_balancers {
        let (kind, n) = match lb.kind {
            LoadBalancerType::Application => {
                ("application load balancer", ALB_ADDRESSES_PER_SUBNET)
            }
            LoadBalancerType::Network => ("network load balancer", 1),
        };
        for s in &lb.subnets {
            put(*s, kind, &lb.name, n);
        }
    }
    for a in &net.attachments {
        for s in &a.subnets {
            put(*s, "transit gateway attachment", &a.name, 1);
        }
    }
    for r in &net.resource_gateways {
        for s in &r.subnets {
            put(*s, "resource gateway", &r.name, 1);
        }
    }
    placed
}
