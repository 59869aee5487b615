//! `missing-expect` (security, warning, off by default).
//!
//! **What it does.** Finds workloads and load balancers that the internet reaches while no
//! `expect` line from the internet names them. Reaching is what `vnetc reach internet ITEM`
//! computes (a public address, a route from an internet gateway, the subnet's NACL and the
//! item's security groups all letting requests in, from some internet address); workloads are
//! probed on every tcp and udp port and on icmp, load balancers on their listeners' ports only.
//! An `expect` line names an item when its source is `internet` or an address on the internet
//! and its destination is the item, `allowed` or `denied`. Off by default: it runs when
//! selected (`vnetc lint --select all`, or `select` in the `[lint]` table of `vnet.toml`).
//!
//! **Why it matters.** An exposure nobody wrote down is an exposure nobody reviews. An
//! `expect internet -> web tcp 443 allowed` line states what the internet may reach, and makes
//! `vnetc lint` fail the day a security group, a NACL or a route changes it; an item that
//! became reachable by accident (a public IP on launch, a wide security group) shows up here
//! first.
//!
//! **Example.**
//! ```vnet
//! subnet public_a { az us-east-1a  cidr 10.0.0.0/24  route_table public  public_ip_on_launch true }
//! security_group bastion_sg { ingress tcp 22 from 198.51.100.0/24 }
//! instance bastion { subnet public_a  security_groups [bastion_sg] }   # reachable, unstated
//! ```
//!
//! **Fix.** Review the exposure, then state it: `expect internet -> bastion tcp 22 allowed`, or
//! close it and state that: `expect internet -> bastion tcp 22 denied`. The finding gives the
//! `allowed` lines for what completes today; `vnetc lint --fix` does not add them, since
//! stating an exposure is a decision to review (another finding may be about closing it).

use std::collections::BTreeSet;

use crate::check::name_of;
use crate::diagnostics::{Diag, Severity};
use crate::flow::packet_set::PortSet;
use crate::flow::party::{self, kind_word, Place};
use crate::flow::security_group::short_name;
use crate::flow::{Outcome, Query};
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "missing-expect",
    group: Group::Security,
    severity: Severity::Warning,
    default: false,
    run,
    source: include_str!("missing_expect.rs"),
};

/// A workload or load balancer, and what to probe it on.
struct Item<'n> {
    end: FlowEndpoint,
    label: String,
    name: &'n str,
    origin: Origin,
    probes: Vec<(Protocol, PortRange)>,
}

fn items(net: &Network) -> Vec<Item<'_>> {
    let every = vec![
        (Protocol::Tcp, PortRange::ALL),
        (Protocol::Udp, PortRange::ALL),
        (Protocol::Icmp, PortRange::ALL),
    ];
    let workloads = net.workloads.iter().enumerate().map(|(i, w)| Item {
        end: FlowEndpoint::Workload(Id::new(i)),
        label: format!("{} `{}`", kind_word(w.kind), w.name),
        name: &w.name,
        origin: w.origin,
        probes: every.clone(),
    });
    let balancers = net.load_balancers.iter().enumerate().map(|(i, lb)| Item {
        end: FlowEndpoint::LoadBalancer(Id::new(i)),
        label: format!("load balancer `{}`", lb.name),
        name: &lb.name,
        origin: lb.origin,
        probes: lb
            .listeners
            .iter()
            .flat_map(|l| {
                let protocols: &[Protocol] = match l.protocol.as_str() {
                    "udp" => &[Protocol::Udp],
                    "tcp_udp" => &[Protocol::Tcp, Protocol::Udp],
                    _ => &[Protocol::Tcp],
                };
                protocols
                    .iter()
                    .map(move |&p| (p, PortRange::single(l.port)))
            })
            .collect(),
    });
    workloads.chain(balancers).collect()
}

fn run(ctx: &LintContext) -> Vec<Diag> {
    let mut out = Vec::new();
    for item in items(ctx.net) {
        if stated(ctx, &item.end) {
            continue;
        }
        let reached = reached(ctx, &item);
        if !reached.is_empty() {
            out.push(report(ctx, &item, &reached));
        }
    }
    out
}

/// Some `expect` line from the internet names the item.
fn stated(ctx: &LintContext, end: &FlowEndpoint) -> bool {
    ctx.net.expects.iter().any(|e| {
        e.destination == *end
            && match &e.source {
                FlowEndpoint::Internet => true,
                FlowEndpoint::Address(ip) => {
                    party::address_party(ctx.net, &ctx.engine.plan, **ip).place == Place::Internet
                }
                _ => false,
            }
    })
}

/// What of the probes the internet delivers requests to, by protocol. Ports are asked range by
/// range, cut where a rule of the item's security groups or its subnets' NACLs starts or ends,
/// so that a range reached from only part of the internet (an office) counts, and no more.
fn reached(ctx: &LintContext, item: &Item) -> Vec<(Protocol, PortSet)> {
    let cuts = cuts(ctx.net, &item.end);
    let mut out: Vec<(Protocol, PortSet)> = Vec::new();
    for &(protocol, probe) in &item.probes {
        let delivered = |ports| {
            let query = Query {
                source: FlowEndpoint::Internet,
                destination: item.end.clone(),
                protocol,
                ports,
            };
            ctx.reach(&query).is_some_and(|r| r.delivered_any)
        };
        if !delivered(probe) {
            continue; // most items: nothing arrives on any port
        }
        let segments = if protocol.has_ports() {
            segments(probe, &cuts)
        } else {
            vec![probe]
        };
        for ports in segments.into_iter().filter(|&p| delivered(p)) {
            let set = if protocol.has_ports() {
                PortSet::range(ports)
            } else {
                PortSet::all()
            };
            match out.iter_mut().find(|(p, _)| *p == protocol) {
                Some((_, all)) => *all = all.union(&set),
                None => out.push((protocol, set)),
            }
        }
    }
    out
}

/// The ports where a rule that filters the item's inbound traffic starts or ends (one past).
fn cuts(net: &Network, end: &FlowEndpoint) -> BTreeSet<u32> {
    let (groups, subnets) = match end {
        FlowEndpoint::Workload(w) => (
            &net.workloads[w.index()].security_groups,
            &net.workloads[w.index()].subnets,
        ),
        FlowEndpoint::LoadBalancer(lb) => (
            &net.load_balancers[lb.index()].security_groups,
            &net.load_balancers[lb.index()].subnets,
        ),
        _ => return BTreeSet::new(),
    };
    let ingress = groups.iter().flat_map(|g| {
        net.security_groups[g.index()]
            .ingress
            .iter()
            .map(|r| r.ports)
    });
    let inbound = subnets.iter().flat_map(|s| {
        net.nacls[net.subnets[s.index()].nacl.index()]
            .inbound
            .iter()
            .map(|r| r.ports)
    });
    ingress
        .chain(inbound)
        .flat_map(|r| [r.from as u32, r.to as u32 + 1])
        .collect()
}

/// `probe` cut at `cuts`.
fn segments(probe: PortRange, cuts: &BTreeSet<u32>) -> Vec<PortRange> {
    let mut out = Vec::new();
    let mut from = probe.from;
    for &cut in cuts
        .iter()
        .filter(|&&c| c > probe.from as u32 && c <= probe.to as u32)
    {
        out.push(PortRange {
            from,
            to: (cut - 1) as u16,
        });
        from = cut as u16;
    }
    out.push(PortRange { from, to: probe.to });
    out
}

fn report(ctx: &LintContext, item: &Item, reached: &[(Protocol, PortSet)]) -> Diag {
    let shown: Vec<String> = reached
        .iter()
        .map(
            |(p, ports)| match (p.has_ports(), ports.ranges().as_slice()) {
                (false, _) => p.to_string(),
                (true, [r]) if r.is_all() => format!("every {p} port"),
                (true, _) => format!("{p} {ports}"),
            },
        )
        .collect();
    let message = format!(
        "{} is reachable from the internet on {}, but no `expect` line from the internet names it: an exposure nobody wrote down is one nobody reviews, and nothing fails when it changes",
        item.label,
        shown.join(" and ")
    );
    let diag = finding(&RULE, name_of(item.origin), item.name.to_string(), message)
        .label("reachable from the internet");
    // The `allowed` lines for what completes today.
    let short = short_name(item.name);
    let mut lines = Vec::new();
    for (protocol, ports) in reached {
        let ranges = if protocol.has_ports() {
            ports.ranges()
        } else {
            vec![PortRange::ALL]
        };
        for range in ranges {
            let query = Query {
                source: FlowEndpoint::Internet,
                destination: item.end.clone(),
                protocol: *protocol,
                ports: range,
            };
            if ctx
                .reach(&query)
                .is_some_and(|r| r.outcome_for_some == Outcome::Completed)
            {
                let ports = if protocol.has_ports() && !range.is_all() {
                    format!(" {range}")
                } else {
                    String::new()
                };
                lines.push(format!(
                    "expect internet -> {short} {protocol}{ports} allowed"
                ));
            }
        }
    }
    // Not an automatic fix: stating an exposure is a decision (another finding may be about
    // closing it), so the lines are given for review.
    let state = if lines.is_empty() {
        "`expect internet -> ITEM PROTO PORTS allowed`".to_string()
    } else {
        format!("`{}`", lines.join("` and `"))
    };
    diag.note(format!(
        "review the exposure, then state it ({state}), or close it and state `... denied`"
    ))
}
