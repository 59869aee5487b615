//! `nacl-allows-admin-from-world` (security, warning, on by default).
//!
//! **What it does.** Finds network ACL inbound `allow` rules that are the first match for SSH
//! (22) or RDP (3389) from the whole internet (`0.0.0.0/0` or `::/0`). A rule of protocol
//! `tcp`, `udp` or `all` whose ports include them (`tcp 0-1023`, `all` ...) counts, but only
//! where it decides: NACL rules are evaluated from the lowest number and the first match
//! decides, so a rule behind a deny of the same traffic (`inbound 90 deny tcp 22 from
//! 0.0.0.0/0`) is not reported. A rule whose ports start at 1024 or above and end at 65535 (the
//! reply range AWS advises, which happens to include 3389) is not reported either. Only `nacl`
//! blocks are inspected: the VPC's implicit default NACL is never reported.
//!
//! **Why it matters.** A network ACL is the subnet-wide backstop behind security groups. One
//! that admits SSH or RDP from every address leaves each instance of the subnet one security
//! group rule away from remote administration open to the internet, where it is scanned and
//! brute-forced within minutes. Administration belongs to the administrators' networks (a VPN,
//! an office range), or to Systems Manager Session Manager, which needs no inbound port.
//!
//! **Example.**
//! ```vnet
//! nacl public_acl {
//!   inbound  100 allow tcp 22         from 0.0.0.0/0    # SSH from anywhere
//!   inbound  110 allow tcp 443        from 0.0.0.0/0
//!   inbound  120 allow tcp 1024-65535 from 0.0.0.0/0    # replies: not reported
//! }
//! ```
//!
//! **Fix.** Narrow the rule to what the intended flows (see `vnetc flows`) need: other ports
//! stay open to the same block, SSH and RDP only from the sources of the flows that use them
//! (a subnet, an on-premises network, an address), unless the reply range 1024-65535 that
//! the narrowed rule keeps already holds them; a rule no intended flow needs is removed.
//! `vnetc lint --fix` applies it when it breaks no intended flow and no `expect` line; when an
//! intended flow needs SSH or RDP from the whole internet, it offers none.

use ipnet::IpNet;

use crate::aws::exposed_ports::ADMIN;
use crate::diagnostics::{Diag, Severity};
use crate::flow::nacl::{self, describe_rule};
use crate::flow::packet_set::{AddrSet, PacketSet, PortSet};
use crate::flow::security_group::short_name;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;
use crate::syntax::Direction;

use super::nacl_allows_all_from_world::narrow;

pub const RULE: Rule = Rule {
    id: "nacl-allows-admin-from-world",
    group: Group::Security,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("nacl_allows_admin_from_world.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    let users = subnets_by_nacl(net);
    for (i, acl) in net.nacls.iter().enumerate() {
        if acl.default {
            continue;
        }
        for rule in &acl.inbound {
            let admitted = admin_ports_decided(acl, rule);
            if !admitted.is_empty() {
                out.push(report(ctx, Id::new(i), &users[i], rule, &admitted));
            }
        }
    }
    out
}

/// `0.0.0.0/0` or `::/0`.
pub(crate) fn is_world(cidr: &IpNet) -> bool {
    cidr.prefix_len() == 0
}

/// The administrative ports for which this rule, from the world, is the first match.
fn admin_ports_decided(acl: &Nacl, rule: &NaclRule) -> Vec<(u16, &'static str)> {
    let replies = rule.protocol.has_ports() && rule.ports.from >= 1024 && rule.ports.to == 65535;
    if rule.action != Action::Allow
        || !is_world(&rule.cidr)
        || rule.protocol == Protocol::Icmp
        || replies
    {
        return Vec::new();
    }
    let protocol = if rule.protocol == Protocol::All {
        Protocol::Tcp
    } else {
        rule.protocol
    };
    ADMIN
        .iter()
        .filter(|(port, _)| {
            let packets = PacketSet::new(
                PortSet::range(PortRange::single(*port)),
                AddrSet::cidr(&rule.cidr),
            );
            nacl::evaluate(acl, Direction::Inbound, protocol, packets)
                .iter()
                .any(|d| {
                    d.action == Action::Allow && d.rule.is_some_and(|r| r.origin == rule.origin)
                })
        })
        .copied()
        .collect()
}

fn report(
    ctx: &LintContext,
    acl_id: NaclId,
    users: &[&Subnet],
    rule: &NaclRule,
    admitted: &[(u16, &str)],
) -> Diag {
    let net = ctx.net;
    let acl = &net.nacls[acl_id.index()];
    let proto = if rule.protocol == Protocol::All {
        Protocol::Tcp
    } else {
        rule.protocol
    };
    let names: Vec<String> = admitted
        .iter()
        .map(|(port, name)| format!("{name} ({proto} {port})"))
        .collect();
    let text = describe_rule(rule, Direction::Inbound);
    let message = format!(
        "nacl `{}` admits {} from the whole internet ({}): `{text}` is the first rule that matches {}, {}",
        acl.name,
        names.join(" and "),
        rule.cidr,
        if admitted.len() == 1 { "it" } else { "them" },
        where_used(net, users),
    );
    let what: Vec<&str> = admitted.iter().map(|(_, name)| *name).collect();
    let diag = finding(&RULE, rule.origin, acl.name.clone(), message)
        .label(format!("admits {} from any address", what.join(" and ")))
        .note(format!(
            "the NACL is the subnet's backstop: with it, any instance there that has a public address is one security group rule away from {} open to the internet, where it is scanned and brute-forced within minutes; admit administration from the administrators' networks only, or use Systems Manager Session Manager (no inbound port)",
            what.join(" and ")
        ));
    match narrow(ctx, acl_id, rule) {
        Ok(fix) => diag.with_fix(fix),
        Err(why) => diag.note(why),
    }
}

/// The subnets that use each NACL (by [`NaclId`]), in their order: found in one pass, as a
/// scan of the subnets for each finding was quadratic in the network's size.
pub(crate) fn subnets_by_nacl(net: &Network) -> Vec<Vec<&Subnet>> {
    crate::check::indices_by(net.nacls.len(), net.subnets.iter().map(|s| s.nacl))
        .into_iter()
        .map(|group| group.into_iter().map(|s| &*net.subnets[s]).collect())
        .collect()
}

/// The subnets that use a NACL (`subnets`), in words, saying which route to an internet
/// gateway.
pub(crate) fn where_used(net: &Network, subnets: &[&Subnet]) -> String {
    if subnets.is_empty() {
        return "though no subnet uses the NACL yet".to_string();
    }
    let list = |subs: &[&Subnet]| {
        subs.iter()
            .map(|s| format!("`{}`", short_name(&s.name)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let public: Vec<&Subnet> = subnets
        .iter()
        .copied()
        .filter(|s| is_public(net, s))
        .collect();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match public.len() {
        0 => format!("in subnet{} {}", plural(subnets.len()), list(subnets)),
        n if n == subnets.len() => format!(
            "in subnet{} {} (public: routed to an internet gateway)",
            plural(n),
            list(subnets)
        ),
        n => format!(
            "in subnets {}, of which {} route{} to an internet gateway",
            list(subnets),
            list(&public),
            if n == 1 { "s" } else { "" }
        ),
    }
}

/// A subnet whose route table routes to an internet gateway.
pub(crate) fn is_public(net: &Network, subnet: &Subnet) -> bool {
    net.route_tables[subnet.route_table.index()]
        .routes
        .iter()
        .any(|r| matches!(r.target, RouteTarget::InternetGateway(_)))
}

/// The blocks of a flow's source, in the family of `like`: what a rule narrowed to that
/// source names. `None` for the internet, an AWS service, or a source without such a block.
pub(crate) fn source_cidrs(net: &Network, end: &FlowEndpoint, like: &IpNet) -> Option<Vec<IpNet>> {
    let v6 = matches!(like, IpNet::V6(_));
    let subnet = |s: &SubnetId| {
        let s = net.subnets.get(s.index())?;
        if v6 {
            s.ipv6_cidr.as_ref()
        } else {
            s.cidr.as_ref()
        }
        .map(|c| c.cidr)
    };
    let host = |ip: std::net::IpAddr| (ip.is_ipv6() == v6).then(|| IpNet::from(ip));
    let cidrs: Vec<IpNet> = match end {
        FlowEndpoint::Workload(w) => {
            let w = &net.workloads[w.index()];
            match w.private_ip {
                Some(ip) => host(ip).into_iter().collect(),
                None => w.subnets.iter().filter_map(subnet).collect(),
            }
        }
        FlowEndpoint::LoadBalancer(lb) => net.load_balancers[lb.index()]
            .subnets
            .iter()
            .filter_map(subnet)
            .collect(),
        FlowEndpoint::Endpoint(e) => net.endpoints[e.index()]
            .subnets
            .iter()
            .filter_map(subnet)
            .collect(),
        FlowEndpoint::Subnet(s) => subnet(s).into_iter().collect(),
        FlowEndpoint::NatGateway(n) => net.nat_gateways[n.index()]
            .subnet
            .as_ref()
            .and_then(subnet)
            .into_iter()
            .collect(),
        FlowEndpoint::OnPremises(o) => net.on_premises[o.index()]
            .cidrs
            .iter()
            .map(|c| c.cidr)
            .filter(|c| matches!(c, IpNet::V6(_)) == v6)
            .collect(),
        FlowEndpoint::Address(ip) => host(**ip).into_iter().collect(),
        _ => Vec::new(),
    };
    (!cidrs.is_empty()).then_some(cidrs)
}
