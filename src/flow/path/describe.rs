//! Words for routes, destinations and addresses, and the NACL rule a fix adds.

use crate::flow::addressing::AddressPlan;
use crate::flow::nacl;
use crate::flow::packet_set::{AddrSet, PortSet};
use crate::flow::party::Place;
use crate::flow::security_group::short_name;
use crate::ir::*;
use crate::syntax::Direction;

pub(super) fn connected(
    net: &Network,
    plan: &AddressPlan,
    site: OnPremisesId,
    gateway: ConnectionGateway,
) -> bool {
    (plan.connections_of(site).iter()).any(|c| net.connections[c.index()].gateway == Some(gateway))
}

/// `0.0.0.0/0 -> nat_a`.
pub fn describe_route(net: &Network, route: &Route) -> String {
    let target = match route.target {
        RouteTarget::Local => "local".to_string(),
        RouteTarget::Blackhole => "blackhole".to_string(),
        RouteTarget::InternetGateway(g) => {
            short_name(&net.internet_gateways[g.index()].name).to_string()
        }
        RouteTarget::NatGateway(n) => short_name(&net.nat_gateways[n.index()].name).to_string(),
        RouteTarget::Peering(p) => net.peerings[p.index()].name.clone(),
        RouteTarget::TransitGateway(t) => net.transit_gateways[t.index()].name.clone(),
        RouteTarget::VpnGateway(v) => short_name(&net.vpn_gateways[v.index()].name).to_string(),
        RouteTarget::Instance(w) => short_name(&net.workloads[w.index()].name).to_string(),
        RouteTarget::GatewayEndpoint(e) => short_name(&net.endpoints[e.index()].name).to_string(),
    };
    format!("{} -> {target}", describe_destination(&route.destination))
}

pub fn describe_destination(d: &Destination) -> String {
    match d {
        Destination::Cidr(c) => c.to_string(),
        Destination::PrefixList(s) => format!("{s} prefix list"),
    }
}

/// Addresses in words: a service's stand-in range is named as the service.
pub fn describe_addrs(addrs: &AddrSet) -> String {
    match AddressPlan::service_of(addrs) {
        Some(s) => format!("the public addresses of {s}"),
        None => {
            let text = addrs.to_string();
            if text.split(", ").count() > 4 {
                "the internet".to_string()
            } else {
                text
            }
        }
    }
}

pub(super) fn describe_place(net: &Network, place: &Place) -> String {
    match place {
        Place::Internet => "the internet".into(),
        Place::Service(s) => format!("service {s}"),
        Place::OnPremises(o) => format!("on_premises {}", net.on_premises[o.index()].name),
        Place::Subnet(s) => format!("subnet {}", net.subnets[s.index()].name),
    }
}

/// The rule to add to a NACL to let `ports` through: a free number below the rule that denied
/// them (so it is evaluated first), or after the last rule.
pub(crate) fn nacl_fix(
    acl: &Nacl,
    direction: Direction,
    protocol: Protocol,
    ports: &PortSet,
    far: &AddrSet,
    denying: Option<&NaclRule>,
) -> String {
    let rules = match direction {
        Direction::Inbound => &acl.inbound,
        Direction::Outbound => &acl.outbound,
    };
    let number = free_rule_number(rules, denying.map(|r| r.number));
    let (dir, prep) = match direction {
        Direction::Inbound => ("inbound", "from"),
        Direction::Outbound => ("outbound", "to"),
    };
    let ports = if protocol.has_ports() {
        format!(" {}", span_of(ports))
    } else {
        String::new()
    };
    let far = super::fixes::rule_peer(far, false);
    let add = format!(
        "add to nacl {}: `{dir} {number} allow {protocol}{ports} {prep} {far}`",
        acl.name
    );
    match denying {
        Some(rule) => format!(
            "{add}, or remove or narrow `{}`",
            nacl::describe_rule(rule, direction)
        ),
        None => add,
    }
}

/// One range covering every port of the set (`1024-5431, 5433-65535` → `1024-65535`).
pub(crate) fn span_of(ports: &PortSet) -> String {
    let ranges = ports.ranges();
    match (ranges.first(), ranges.last()) {
        (Some(a), Some(b)) => PortRange {
            from: a.from,
            to: b.to,
        }
        .to_string(),
        _ => String::new(),
    }
}

/// A rule number not in use: below `before` when given (as high as possible, so that later
/// rules can still go in front of it), else 10 after the highest.
pub fn free_rule_number(rules: &[NaclRule], before: Option<u32>) -> u32 {
    free_rule_number_except(rules, before, &[])
}

/// [`free_rule_number`], also avoiding `taken`: the numbers other fixes to the same NACL
/// direction already propose, so that applying them all does not number two rules alike.
pub fn free_rule_number_except(rules: &[NaclRule], before: Option<u32>, taken: &[u32]) -> u32 {
    let used = |n: u32| rules.iter().any(|r| r.number == n) || taken.contains(&n);
    match before {
        Some(limit) => (1..limit)
            .rev()
            .find(|&n| !used(n) && n % 10 == 0)
            .or_else(|| (1..limit).rev().find(|&n| !used(n)))
            .unwrap_or(1),
        None => {
            let top = rules.iter().map(|r| r.number).max().unwrap_or(90);
            let mut n = (top / 10 + 1) * 10;
            while used(n) {
                n += 1;
            }
            n.min(crate::aws::limits::NACL_RULE_NUMBER_MAX)
        }
    }
}
