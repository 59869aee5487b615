//! Compile errors about how items relate (overlaps, duplicates across items, AWS constraints
//! between resources), checked on the IR. Errors about one item and what it names are found
//! while lowering (`crate::ir::lower`).

mod addressing;
mod connectivity;
mod endpoints;
mod routing;

use crate::diagnostics::Diag;
use crate::ir::Network;

pub fn check(net: &Network) -> Vec<Diag> {
    let mut diags = Vec::new();
    addressing::check(net, &mut diags);
    routing::check(net, &mut diags);
    endpoints::check(net, &mut diags);
    connectivity::check(net, &mut diags);
    diags
}

/// Whether two CIDR blocks share an address.
pub(crate) fn overlaps(a: &ipnet::IpNet, b: &ipnet::IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}
