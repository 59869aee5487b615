//! `nat-cross-az` (cost, warning, on by default).
//!
//! **What it does.** Finds route tables whose default route (`0.0.0.0/0`) targets a NAT
//! gateway in another availability zone than a subnet that uses the table. One finding per
//! route table, on its default route, naming the subnets and their zones. A subnet that holds
//! a public NAT gateway itself is left to `nat-gateway-without-internet-route`.
//!
//! **Why it matters.** A NAT gateway is zonal. Traffic from a subnet in one AZ to a NAT
//! gateway in another pays for data transfer between availability zones, $0.01 per GB in each
//! direction (us-east-1), on top of the NAT gateway's own $0.045 per GB processing charge; and
//! when the NAT gateway's AZ fails, the subnet loses its internet egress although its own AZ
//! is up. AWS advises one NAT gateway per AZ, each AZ's private subnets routing to their own.
//!
//! **Example.**
//! ```vnet
//! nat_gateway nat_a { subnet public_a }                     # us-east-1a
//! subnet app_b { az us-east-1b  cidr 10.0.11.0/24  route_table private_b }
//! route_table private_b { route 0.0.0.0/0 -> nat_a }        # crosses from 1b to 1a
//! ```
//!
//! **Fix.** Route the default route to a NAT gateway in the subnets' own AZ (adding one there
//! if needed: about $0.045 per hour). `vnetc lint --fix` retargets the route when every subnet
//! of the table is in one AZ and the VPC has a NAT gateway of the same connectivity there; a
//! table shared by subnets of several AZs needs one table per AZ.

use std::collections::BTreeSet;

use crate::lint::wording::join_and;
use crate::aws::prices;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::security_group::short_name;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "nat-cross-az",
    group: Group::Cost,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("nat_cross_az.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    // The subnets of each table, and those holding a public NAT gateway, once (a scan of every
    // subnet per table was quadratic).
    let mut by_table: Vec<Vec<usize>> = vec![Vec::new(); net.route_tables.len()];
    for (s, subnet) in net.subnets.iter().enumerate() {
        if let Some(list) = by_table.get_mut(subnet.route_table.index()) {
            list.push(s);
        }
    }
    let nat_subnets: std::collections::HashSet<SubnetId> = net
        .nat_gateways
        .iter()
        .filter(|n| n.public)
        .filter_map(|n| n.subnet)
        .collect();
    for (t, table) in net.route_tables.iter().enumerate() {
        let table_id: RouteTableId = Id::new(t);
        let Some((route, nat_id)) =
            table
                .routes
                .iter()
                .find_map(|r| match (r.target, &r.destination) {
                    (RouteTarget::NatGateway(n), Destination::Cidr(c))
                        if c.prefix_len() == 0 && c.addr().is_ipv4() =>
                    {
                        Some((r, n))
                    }
                    _ => None,
                })
        else {
            continue;
        };
        let nat = &net.nat_gateways[nat_id.index()];
        let Some(nat_subnet) = nat.subnet else {
            continue;
        };
        let nat_az = &net.subnets[nat_subnet.index()].az;
        let users: Vec<usize> = by_table[t]
            .iter()
            .copied()
            .filter(|&s| !nat_subnets.contains(&Id::new(s)))
            .collect();
        let far: Vec<usize> = users
            .iter()
            .copied()
            .filter(|&s| &net.subnets[s].az != nat_az)
            .collect();
        if far.is_empty() {
            continue;
        }
        let names: Vec<String> = far
            .iter()
            .map(|&s| format!("`{}` ({})", net.subnets[s].name, net.subnets[s].az))
            .collect();
        let zones: BTreeSet<&str> = far.iter().map(|&s| net.subnets[s].az.as_str()).collect();
        let zones: Vec<String> = zones.into_iter().map(str::to_string).collect();
        let message = format!(
            "route table `{}` sends the internet traffic of subnet{} {} to NAT gateway `{}` in {nat_az}: every GB crosses availability zones, at ${:.2} per GB in each direction on top of the NAT gateway's ${:.3} per GB ({} prices), and when {nat_az} fails, {} lose{} internet egress although {} {} up",
            table.name,
            if far.len() == 1 { "" } else { "s" },
            join_and(&names),
            nat.name,
            prices::CROSS_AZ_GB,
            prices::NAT_GATEWAY_GB,
            prices::REGION,
            if far.len() == 1 { "the subnet" } else { "the subnets" },
            if far.len() == 1 { "s" } else { "" },
            join_and(&zones),
            if zones.len() == 1 { "is" } else { "are" },
        );
        let monthly = prices::NAT_GATEWAY_HOUR * prices::HOURS_PER_MONTH;
        let breakeven_tb = monthly / (2.0 * prices::CROSS_AZ_GB) / 1024.0;
        let mut diag = finding(&RULE, route.origin, table.name.clone(), message)
            .label(format!("NAT gateway {} is in {nat_az}", short_name(&nat.name)))
            .secondary(crate::check::name_of(nat.origin), format!("in {nat_az}"))
            .note(format!(
                "a NAT gateway per AZ costs about ${monthly:.2} per month each (${:.3} per hour); data crossing AZs is billed out of one and into the other (${:.2} per GB), so above about {breakeven_tb:.1} TB a month the extra NAT gateway is also the cheaper option",
                prices::NAT_GATEWAY_HOUR,
                2.0 * prices::CROSS_AZ_GB
            ));
        // The fix: every subnet of the table in one AZ, and a NAT gateway of the same kind there.
        let all_zones: BTreeSet<&str> = users.iter().map(|&s| net.subnets[s].az.as_str()).collect();
        let local = match all_zones.iter().next() {
            Some(z) if all_zones.len() == 1 => net.nat_gateways.iter().find(|n| {
                n.vpc == nat.vpc
                    && n.public == nat.public
                    && n.subnet.is_some_and(|s| {
                        net.subnets[s.index()].az == *z
                            && net.subnets[s.index()].route_table != table_id
                    })
            }),
            _ => None,
        };
        diag = match local {
            Some(n) => {
                let line = format!("route 0.0.0.0/0 -> {}", short_name(&n.name));
                diag.with_fix(Fix::one(format!("route 0.0.0.0/0 to {} in the subnets' own AZ", short_name(&n.name)), route.origin, EditKind::Replace, line))
            }
            None if all_zones.len() > 1 => diag.note(format!(
                "the table serves subnets in {}: give each AZ its own route table, routing 0.0.0.0/0 to a NAT gateway in that AZ",
                join_and(&all_zones.iter().map(|z| z.to_string()).collect::<Vec<_>>())
            )),
            None => diag.note(format!(
                "add a NAT gateway in a public subnet of {} and route 0.0.0.0/0 to it",
                join_and(&zones)
            )),
        };
        out.push(diag);
    }
    out
}
