//! Route lookup: longest prefix match of a destination set against a route table (its local
//! routes, written routes and gateway-endpoint prefix-list routes), and against a transit
//! gateway's route table.

use ipnet::IpNet;

use super::addressing::AddressPlan;
use super::packet_set::AddrSet;
use crate::ir::{Destination, Route, RouteTable, TgwRoute, TransitGateway};

/// The prefix length and address set a route matches.
fn route_match(route: &Route) -> (u8, AddrSet) {
    match &route.destination {
        Destination::Cidr(c) => (c.prefix_len(), AddrSet::cidr(c)),
        Destination::PrefixList(s) => {
            let net = AddressPlan::service_net(s);
            (net.prefix_len(), AddrSet::cidr(&IpNet::V4(net)))
        }
    }
}

/// Which route carries which part of `dst`, most specific first; what no route matches is
/// returned last with `None`. Routes that cannot match `dst` are left out before sorting.
pub fn lookup<'r>(table: &'r RouteTable, dst: &AddrSet) -> Vec<(Option<&'r Route>, AddrSet)> {
    let mut routes: Vec<(u8, AddrSet, &Route)> = table
        .routes
        .iter()
        .map(|r| {
            let (len, set) = route_match(r);
            (len, set, r)
        })
        .filter(|(_, set, _)| set.intersects(dst))
        .collect();
    // Longest prefix first; among equal prefixes, the local route wins (AWS keeps it).
    routes.sort_by_key(|(len, _, r)| {
        (
            std::cmp::Reverse(*len),
            r.target != crate::ir::RouteTarget::Local,
        )
    });
    let mut remaining = dst.clone();
    let mut out = Vec::new();
    for (_, set, route) in routes {
        if remaining.is_empty() {
            break;
        }
        let part = remaining.intersection(&set);
        if !part.is_empty() {
            remaining = remaining.difference(&set);
            out.push((Some(route), part));
        }
    }
    if !remaining.is_empty() {
        out.push((None, remaining));
    }
    out
}

/// The same for a transit gateway's route table.
pub fn lookup_tgw<'r>(
    tgw: &'r TransitGateway,
    dst: &AddrSet,
) -> Vec<(Option<&'r TgwRoute>, AddrSet)> {
    // Only the routes that can match are sorted: a hub's table has a route per spoke, and
    // sorting them all on every lookup made tracing through it cost the table's size.
    let mut routes: Vec<(&TgwRoute, AddrSet)> = tgw
        .routes
        .iter()
        .filter(|r| dst.intersects_cidr(&r.destination))
        .map(|r| (r, AddrSet::cidr(&r.destination)))
        .collect();
    routes.sort_by_key(|(r, _)| std::cmp::Reverse(r.destination.prefix_len()));
    let mut remaining = dst.clone();
    let mut out = Vec::new();
    for (route, set) in routes {
        if remaining.is_empty() {
            break;
        }
        let part = remaining.intersection(&set);
        if !part.is_empty() {
            remaining = remaining.difference(&set);
            out.push((Some(route), part));
        }
    }
    if !remaining.is_empty() {
        out.push((None, remaining));
    }
    out
}
