//! Joins the files' fragments into the workspace's network, and does what needs more than
//! one file: duplicate names, the routes a transit gateway propagates from its attachments'
//! VPCs and its connections' networks, and an attachment's subnets (in another file's VPC)
//! checked for one per zone. Joining costs a copy per entity; the rest is proportional to the
//! cross-file things only.

use std::sync::Arc;

use super::{Fragment, Lowered, ZoneCheck};
use crate::diagnostics::{codes, Diag};
use crate::ir::model::*;
use crate::ir::{ItemIndex, Scope};

/// The network of a workspace from its files' fragments (in workspace order), with every
/// compile error of lowering, sorted by where it is.
pub fn assemble(paths: Vec<String>, index: &ItemIndex, fragments: &[&Fragment]) -> Lowered {
    let mut net = Network {
        files: paths,
        ..Network::default()
    };
    macro_rules! join {
        ($($arena:ident),*) => {$(
            net.$arena = fragments
                .iter()
                .flat_map(|f| f.net.$arena.iter().cloned())
                .collect();
        )*};
    }
    join!(
        vpcs,
        subnets,
        nat_gateways,
        internet_gateways,
        vpn_gateways,
        endpoints,
        endpoint_services,
        load_balancers,
        target_groups,
        workloads,
        resource_gateways,
        resource_configurations,
        peerings,
        transit_gateways,
        attachments,
        on_premises,
        connections,
        service_networks,
        lattice_services,
        expects
    );
    // Declared entities first, then the implicit ones of every VPC.
    macro_rules! join_declared_first {
        ($($arena:ident: $slot:expr),*) => {$(
            let declared = fragments.iter().flat_map(|f| f.net.$arena[..f.declared[$slot]].iter());
            let implicit = fragments.iter().flat_map(|f| f.net.$arena[f.declared[$slot]..].iter());
            net.$arena = declared.chain(implicit).cloned().collect();
        )*};
    }
    join_declared_first!(route_tables: 0, nacls: 1, security_groups: 2);

    let mut diagnostics = duplicates(index);
    for f in fragments {
        diagnostics.extend(f.diagnostics.iter().cloned());
    }
    for check in fragments.iter().flat_map(|f| &f.zone_checks) {
        diagnostics.extend(one_subnet_per_zone(
            |s| net.subnets.get(s.index()).map(|s| &**s),
            check,
        ));
    }
    add_propagated_routes(&mut net);
    diagnostics.sort_by_key(|d| d.primary.origin);
    Lowered {
        network: Arc::new(net),
        diagnostics,
    }
}

fn duplicates(index: &ItemIndex) -> Vec<Diag> {
    let mut out = Vec::new();
    for &(first, dup) in &index.duplicates {
        let a = &index.decls[first];
        let b = &index.decls[dup];
        let scope = match b.scope {
            Scope::Top => "at the top level".to_string(),
            Scope::In(p) => format!(
                "in {} `{}`",
                index.decls[p].kind.keyword(),
                index.decls[p].name
            ),
        };
        let diag = Diag::error(
            codes::DUPLICATE_NAME,
            b.name_origin,
            format!(
                "the name `{}` is declared twice {scope}: {} `{}` and {} `{}`",
                b.name,
                a.kind.keyword(),
                index.qualified(first),
                b.kind.keyword(),
                index.qualified(dup),
            ),
        )
        .label(format!("{} `{}` declared again here", b.kind.keyword(), b.name))
        .secondary(a.name_origin, format!("first declared here as {}", a.kind.describe()))
        .note("names are shared by every kind of item in one VPC (and among top-level items); rename one of them");
        out.push(diag);
    }
    out
}

/// Two subnets of one list in one availability zone.
pub(super) fn one_subnet_per_zone<'n>(
    subnet: impl Fn(SubnetId) -> Option<&'n Subnet>,
    check: &ZoneCheck,
) -> Vec<Diag> {
    let mut seen: Vec<(&str, &Subnet)> = Vec::new();
    let mut out = Vec::new();
    for &s in &check.subnets {
        let Some(b) = subnet(s) else {
            continue;
        };
        if b.az.is_empty() {
            continue;
        }
        let Some(&(az, a)) = seen.iter().find(|(az, _)| *az == b.az) else {
            seen.push((&b.az, b));
            continue;
        };
        let diag = Diag::error(
            check.code,
            check.origin,
            format!(
                "{} has two subnets in availability zone `{az}`: `{}` and `{}`",
                check.what, a.name, b.name
            ),
        )
        .label(format!("two subnets in `{az}`"))
        .secondary(
            crate::check::name_of(a.origin),
            format!("`{}` is in `{az}`", a.name),
        )
        .secondary(
            crate::check::name_of(b.origin),
            format!("`{}` is in `{az}`", b.name),
        )
        .note("AWS places one network interface per availability zone: keep one subnet per zone");
        out.push(diag);
    }
    out
}

/// AWS's default transit gateway route table propagates each attachment's VPC CIDRs and
/// each connected on-premises network's CIDRs; a written route for the same destination
/// takes precedence.
fn add_propagated_routes(net: &mut Network) {
    let mut added: Vec<(usize, TgwRoute)> = Vec::new();
    for (a, att) in net.attachments.iter().enumerate() {
        let Some(vpc) = att.vpc.and_then(|v| net.vpcs.get(v.index())) else {
            continue;
        };
        for block in &vpc.cidrs {
            added.push((
                att.transit_gateway.index(),
                TgwRoute {
                    destination: block.cidr,
                    target: TgwTarget::Attachment(Id::new(a)),
                    propagated: true,
                    origin: att.origin,
                },
            ));
        }
    }
    for (c, conn) in net.connections.iter().enumerate() {
        let Some(ConnectionGateway::TransitGateway(tgw)) = conn.gateway else {
            continue;
        };
        let Some(site) = net.on_premises.get(conn.on_premises.index()) else {
            continue;
        };
        for block in &site.cidrs {
            added.push((
                tgw.index(),
                TgwRoute {
                    destination: block.cidr,
                    target: TgwTarget::Connection(Id::new(c)),
                    propagated: true,
                    origin: conn.origin,
                },
            ));
        }
    }
    for (tgw, route) in added {
        let Some(t) = net.transit_gateways.get_mut(tgw) else {
            continue;
        };
        if !t.routes.iter().any(|r| r.destination == route.destination) {
            Arc::make_mut(t).routes.push(route);
        }
    }
}
