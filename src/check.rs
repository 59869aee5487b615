//! Compile errors about how items relate (overlaps, duplicates across items, AWS constraints
//! between resources), checked on the IR. Errors about one item and what it names are found
//! while lowering (`crate::ir::lower`).

mod addressing;
mod connectivity;
mod endpoints;
mod routing;

use crate::diagnostics::Diag;
use crate::ir::{Id, LoadBalancerType, Network, Origin};

pub fn check(net: &Network) -> Vec<Diag> {
    let mut diags = Vec::new();
    addressing::check(net, &mut diags);
    routing::check(net, &mut diags);
    endpoints::check(net, &mut diags);
    connectivity::check(net, &mut diags);
    diags
}

/// The name of the item whose block is at `origin`: diagnostics point at `igw_backup` in
/// `internet_gateway igw_backup`, not at a whole block.
pub(crate) fn name_of(origin: Origin) -> Origin {
    Origin {
        file: origin.file,
        node: origin.node.block_name(),
    }
}

/// A load balancer type in words, and the listener and target group protocols it supports.
pub(crate) fn lb_protocols(kind: LoadBalancerType) -> (&'static str, &'static str) {
    match kind {
        LoadBalancerType::Application => ("application", "`http` or `https`"),
        LoadBalancerType::Network => ("network", "`tcp`, `tls`, `udp` or `tcp_udp`"),
    }
}

/// Whether a load balancer of `kind` listens on (and forwards with) `protocol`.
pub(crate) fn lb_supports(kind: LoadBalancerType, protocol: &str) -> bool {
    match kind {
        LoadBalancerType::Application => matches!(protocol, "http" | "https"),
        LoadBalancerType::Network => matches!(protocol, "tcp" | "tls" | "udp" | "tcp_udp"),
    }
}

/// The indices of items grouped by an id (`count` ids; each item's id, in order): by VPC, so
/// that a check comparing items of one VPC does not compare every pair of the network; by
/// NACL, so that a finding naming a NACL's subnets does not scan them all.
pub(crate) fn indices_by<T>(count: usize, ids: impl Iterator<Item = Id<T>>) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, id) in ids.enumerate() {
        if let Some(list) = groups.get_mut(id.index()) {
            list.push(i);
        }
    }
    groups
}

/// Whether two CIDR blocks share an address.
pub(crate) fn overlaps(a: &ipnet::IpNet, b: &ipnet::IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}
