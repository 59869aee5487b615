//! Route tables and gateways: duplicate destinations, one internet gateway per VPC.

use std::collections::HashMap;

use crate::diagnostics::{codes, Diag};
use crate::ir::{Destination, Network, RouteTarget};

pub(super) fn check(net: &Network, diags: &mut Vec<Diag>) {
    for table in &net.route_tables {
        let mut seen: HashMap<&Destination, &crate::ir::Route> = HashMap::new();
        for route in &table.routes {
            // Local routes may not be overridden by a written route to the same block.
            if let Some(first) = seen.get(&route.destination) {
                if matches!(route.target, RouteTarget::GatewayEndpoint(_)) {
                    continue; // two gateway endpoints: reported by the endpoint checks
                }
                let dest = match &route.destination {
                    Destination::Cidr(c) => c.to_string(),
                    Destination::PrefixList(s) => format!("the {s} prefix list"),
                };
                let why = if first.target == RouteTarget::Local {
                    format!(
                        "`{dest}` is a CIDR block of the VPC: its `local` route cannot be replaced"
                    )
                } else {
                    format!("route table `{}` has two routes to `{dest}`", table.name)
                };
                diags.push(
                    Diag::error(codes::DUPLICATE_ROUTE, route.origin, why)
                        .label("second route to this destination")
                        .secondary(first.origin, "first route to it")
                        .note("a route table holds one route per destination; remove one"),
                );
            } else {
                seen.insert(&route.destination, route);
            }
        }
    }
    for (v, vpc) in net.vpcs.iter().enumerate() {
        let igws: Vec<_> = net
            .internet_gateways
            .iter()
            .filter(|g| g.vpc.index() == v)
            .collect();
        if let [first, rest @ ..] = igws.as_slice() {
            for extra in rest {
                diags.push(
                    Diag::error(
                        codes::MULTIPLE_INTERNET_GATEWAYS,
                        extra.origin,
                        format!(
                            "VPC `{}` has more than one internet gateway: `{}` and `{}`",
                            vpc.name, first.name, extra.name
                        ),
                    )
                    .label("second internet gateway")
                    .secondary(first.origin, "first internet gateway")
                    .note("a VPC can have only one internet gateway attached"),
                );
            }
        }
    }
}
