//! Route lookup: longest prefix match of a destination set against a route table (its local
//! routes, written routes and gateway-endpoint prefix-list routes), and against a transit
//! gateway's route table.

use std::collections::BTreeMap;

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

/// The same for a transit gateway's route table, with the routes that can match `dst` found
/// in `routes` (its index, [`TgwRoutes`]).
pub fn lookup_tgw<'r>(
    tgw: &'r TransitGateway,
    routes: &TgwRoutes,
    dst: &AddrSet,
) -> Vec<(Option<&'r TgwRoute>, AddrSet)> {
    let mut routes: Vec<(&TgwRoute, AddrSet)> = routes
        .meeting(dst)
        .into_iter()
        .filter_map(|i| tgw.routes.get(i))
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

/// A transit gateway's routes by prefix length and address family, each group sorted by
/// where its blocks start. Blocks of one length are disjoint (or equal), so the routes that
/// meet a set are found by binary search in each group: a hub's table has a route per
/// spoke, and scanning it on every lookup made tracing through the hub cost the number of
/// spokes (quadratic in a hub and spoke network).
#[derive(Clone, Debug, Default)]
pub struct TgwRoutes {
    /// Per length and family: each route's intervals (an IPv6 block may be two, around the
    /// IPv4-mapped range), as start, end and the route's position in the table.
    groups: Vec<Vec<Interval>>,
}

/// Where a route's block starts and ends, and the route's position in its table.
type Interval = (u128, u128, u32);

impl TgwRoutes {
    /// The index of a transit gateway without routes.
    pub const NONE: TgwRoutes = TgwRoutes { groups: Vec::new() };

    pub fn new(tgw: &TransitGateway) -> Self {
        let mut groups: BTreeMap<(bool, u8), Vec<Interval>> = BTreeMap::new();
        for (i, route) in tgw.routes.iter().enumerate() {
            let d = &route.destination;
            let group = groups
                .entry((d.addr().is_ipv4(), d.prefix_len()))
                .or_default();
            for &(lo, hi) in AddrSet::cidr(d).0.intervals() {
                // Far fewer than 2^32 routes (AWS allows 10,000 per table).
                group.push((lo, hi, i as u32));
            }
        }
        let mut groups: Vec<_> = groups.into_values().collect();
        for group in &mut groups {
            group.sort_unstable();
        }
        TgwRoutes { groups }
    }

    /// The positions of the routes whose block meets `dst`, in table order (the order a scan
    /// of the table gives, which ties between equal prefixes keep).
    fn meeting(&self, dst: &AddrSet) -> Vec<usize> {
        let mut out = Vec::new();
        for group in &self.groups {
            for &(lo, hi) in dst.0.intervals() {
                // Ends grow with starts in a group (its intervals are disjoint or equal).
                let first = group.partition_point(|&(_, end, _)| end < lo);
                let meets = group[first..]
                    .iter()
                    .take_while(|&&(start, _, _)| start <= hi);
                out.extend(meets.map(|&(_, _, i)| i as usize));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{FileIdx, Origin, TgwTarget};
    use crate::syntax::NodeId;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn gateway(routes: &[IpNet]) -> TransitGateway {
        let origin = Origin {
            file: FileIdx(0),
            node: NodeId(0),
        };
        TransitGateway {
            name: "core".to_string(),
            origin,
            region: "us-east-1".to_string(),
            asn: None,
            routes: routes
                .iter()
                .map(|&destination| TgwRoute {
                    destination,
                    target: TgwTarget::Blackhole,
                    propagated: false,
                    origin,
                })
                .collect(),
        }
    }

    fn v4(addr: u32, len: u8) -> IpNet {
        let net = ipnet::Ipv4Net::new(Ipv4Addr::from(addr), len).map(|n| n.trunc());
        IpNet::V4(net.unwrap_or_default())
    }

    proptest::proptest! {
        /// The index finds the routes a scan of the table finds, in table order: few
        /// distinct blocks (addresses in `10.0.0.0/20`) so that routes repeat and nest.
        #[test]
        fn index_finds_what_a_scan_finds(
            routes in proptest::collection::vec((0u32..4096, 16u8..=28), 0..24),
            world in proptest::bool::ANY,
            v6 in proptest::bool::ANY,
            dst in proptest::collection::vec((0u32..4096, 16u8..=32), 1..3),
        ) {
            let base = u32::from(Ipv4Addr::new(10, 0, 0, 0));
            let mut blocks: Vec<IpNet> = routes.iter().map(|&(a, len)| v4(base + a, len)).collect();
            if world {
                blocks.push(v4(0, 0));
            }
            if v6 {
                blocks.push(IpNet::V6(ipnet::Ipv6Net::new(Ipv6Addr::UNSPECIFIED, 0).unwrap_or_default()));
            }
            let tgw = gateway(&blocks);
            let dst = AddrSet::cidrs(dst.iter().map(|&(a, len)| v4(base + a, len)).collect::<Vec<_>>().iter());
            let scanned: Vec<usize> = (0..blocks.len())
                .filter(|&i| dst.intersects_cidr(&blocks[i]))
                .collect();
            proptest::prop_assert_eq!(TgwRoutes::new(&tgw).meeting(&dst), scanned);
        }
    }
}
