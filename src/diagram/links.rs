//! Connections between VPCs and beyond: transit gateway attachments, peerings, VPN and
//! Direct Connect, PrivateLink, VPC Lattice, shared resources. These edges cross cluster
//! borders, where Graphviz may put a label on a border line; so they carry no label: their
//! style says what they are, and the names go into the labels of the nodes they join.

use super::builder::{Builder, Thing};
use super::model::{ClusterKind, EdgeKind, End, NodeKind};
use super::network::{in_vpc, local, on_premises, region};
use crate::ir::*;

pub fn draw(b: &mut Builder) {
    transit_gateways(b);
    peerings(b);
    connections(b);
    private_link(b);
    service_networks(b);
    resource_uses(b);
}

/// Adds a label line to a node or cluster.
fn detail(b: &mut Builder, end: End, line: String) {
    let details = match end {
        End::Node(n) => &mut b.diagram.nodes[n].details,
        End::Cluster(c) => &mut b.diagram.clusters[c].details,
    };
    if !details.contains(&line) {
        details.push(line);
    }
}

/// Each transit gateway that joins a drawn VPC, below the VPCs, with an edge from each of
/// its attachments' subnets.
fn transit_gateways(b: &mut Builder) {
    let net = b.net;
    for (t, tgw) in net.transit_gateways.iter().enumerate() {
        let attachments: Vec<usize> = (0..net.attachments.len())
            .filter(|&a| net.attachments[a].transit_gateway.index() == t)
            .collect();
        let drawn = |a: &usize| {
            net.attachments[*a]
                .vpc
                .is_some_and(|v| b.expanded[v.index()])
        };
        if !attachments.iter().any(drawn) {
            continue;
        }
        let parent = region(b, &tgw.region);
        let asn = tgw.asn.map(|a| format!(" · ASN {a}")).unwrap_or_default();
        let details = vec![format!("transit gateway{asn}")];
        let (thing, id) = (Some(Thing::TransitGateway(t)), ("tgw", tgw.name.as_str()));
        let node = b.node(
            thing,
            id,
            Some(parent),
            NodeKind::TransitGateway,
            tgw.name.clone(),
            details,
        );
        for a in attachments {
            let att = &net.attachments[a];
            let Some(v) = att.vpc.map(|v| v.index()) else {
                continue;
            };
            let subnets: Vec<&str> = att
                .subnets
                .iter()
                .map(|s| local(&net.subnets[s.index()].name))
                .collect();
            let line = format!(
                "{}: {} ({})",
                local(&att.name),
                net.vpcs[v].name,
                subnets.join(", ")
            );
            detail(b, End::Node(node), line);
            let tooltip = format!("attachment {} of VPC {}", att.name, net.vpcs[v].name);
            let mut ends: Vec<End> = att
                .subnets
                .iter()
                .filter_map(|s| b.subnet_cluster.get(&s.index()))
                .map(|&c| End::Cluster(c))
                .collect();
            if ends.is_empty() {
                ends.push(in_vpc(b, v, Thing::Vpc(v)));
            }
            for end in ends {
                let thing = Some(Thing::Attachment(a));
                b.edge(
                    thing,
                    end,
                    End::Node(node),
                    EdgeKind::Attachment,
                    String::new(),
                    tooltip.clone(),
                );
            }
        }
    }
}

fn peerings(b: &mut Builder) {
    let net = b.net;
    for (p, peering) in net.peerings.iter().enumerate() {
        let (Some(r), Some(a)) = (peering.requester, peering.accepter) else {
            continue;
        };
        let (r, a) = (r.index(), a.index());
        if !b.expanded[r] && !b.expanded[a] {
            continue;
        }
        let (from, to) = (in_vpc(b, r, Thing::Vpc(r)), in_vpc(b, a, Thing::Vpc(a)));
        let (rn, an) = (&net.vpcs[r].name, &net.vpcs[a].name);
        detail(b, from, format!("peering {} with {an}", peering.name));
        detail(b, to, format!("peering {} with {rn}", peering.name));
        let tooltip = format!("peering {}: {rn} requests, {an} accepts", peering.name);
        b.edge(
            Some(Thing::Peering(p)),
            from,
            to,
            EdgeKind::Peering,
            String::new(),
            tooltip,
        );
    }
}

/// VPN and Direct Connect: each site hangs below the gateway its connections end on.
fn connections(b: &mut Builder) {
    let net = b.net;
    for (c, conn) in net.connections.iter().enumerate() {
        let (gateway, gateway_name) = match conn.gateway {
            Some(ConnectionGateway::VpnGateway(g)) => {
                let v = net.vpn_gateways[g.index()].vpc.index();
                if !b.expanded[v] {
                    continue;
                }
                (
                    in_vpc(b, v, Thing::VpnGateway(g.index())),
                    &net.vpn_gateways[g.index()].name,
                )
            }
            Some(ConnectionGateway::TransitGateway(t)) => {
                match b.first_end(Thing::TransitGateway(t.index())) {
                    Some(e) => (e, &net.transit_gateways[t.index()].name),
                    None => continue,
                }
            }
            None => continue,
        };
        let site = on_premises(b, conn.on_premises.index());
        let (kind, mut line) = match conn.kind {
            ConnectionType::Vpn => (EdgeKind::Vpn, format!("VPN {}", local(&conn.name))),
            ConnectionType::DirectConnect => (
                EdgeKind::DirectConnect,
                format!("Direct Connect {}", local(&conn.name)),
            ),
        };
        if let Some(bw) = &conn.bandwidth {
            line.push_str(&format!(" {bw}"));
        }
        line.push_str(&format!(" → {gateway_name}"));
        detail(b, site, line);
        let mut tooltip = format!("connection {}", conn.name);
        if let Some(ip) = conn.customer_gateway {
            tooltip.push_str(&format!(", customer gateway {ip}"));
        }
        b.edge(
            Some(Thing::Connection(c)),
            gateway,
            site,
            kind,
            String::new(),
            tooltip,
        );
    }
}

/// Interface endpoints to the endpoint services they consume.
fn private_link(b: &mut Builder) {
    let net = b.net;
    for (e, ep) in net.endpoints.iter().enumerate() {
        let EndpointTarget::EndpointService(s) = ep.service else {
            continue;
        };
        let (provider, consumer) = (net.endpoint_services[s.index()].vpc.index(), ep.vpc.index());
        if !b.expanded[provider] && !b.expanded[consumer] {
            continue;
        }
        let from = in_vpc(b, consumer, Thing::Endpoint(e));
        let to = in_vpc(b, provider, Thing::EndpointService(s.index()));
        let tooltip = format!(
            "{} consumes {} over PrivateLink",
            ep.name,
            net.endpoint_services[s.index()].name
        );
        b.edge(
            None,
            from,
            to,
            EdgeKind::PrivateLink,
            String::new(),
            tooltip,
        );
    }
}

/// Lattice service networks (in the region of their VPCs) with their services, and edges to
/// the VPCs they are associated with.
fn service_networks(b: &mut Builder) {
    let net = b.net;
    for (n, sn) in net.service_networks.iter().enumerate() {
        if !sn.vpcs.iter().any(|v| b.expanded[v.index()]) {
            continue;
        }
        let mut regions: Vec<&str> = sn
            .vpcs
            .iter()
            .map(|v| net.vpcs[v.index()].region.as_str())
            .collect();
        regions.sort();
        regions.dedup();
        let parent = match regions.as_slice() {
            [one] => Some(region(b, one)),
            _ => None,
        };
        let (thing, id) = (Some(Thing::ServiceNetwork(n)), ("sn", sn.name.as_str()));
        let title = format!("service network {}", sn.name);
        let c = b.cluster(
            thing,
            id,
            parent,
            ClusterKind::ServiceNetwork,
            title,
            vec![format!("auth {}", sn.auth)],
        );
        for s in &sn.services {
            let service = &net.lattice_services[s.index()];
            let mut details = vec![format!("Lattice service · auth {}", service.auth)];
            for l in &service.listeners {
                let tg = &net.target_groups[l.target_group.index()].name;
                details.push(format!("{} {} → {tg}", l.protocol, l.port));
            }
            if b.first_end(Thing::LatticeService(s.index())).is_none() {
                let (thing, id) = (
                    Some(Thing::LatticeService(s.index())),
                    ("lattice", service.name.as_str()),
                );
                b.node(
                    thing,
                    id,
                    Some(c),
                    NodeKind::LatticeService,
                    service.name.clone(),
                    details,
                );
            }
            // Its targets say so (edges into the VPCs would cross their AZs' labels).
            for l in &service.listeners {
                for t in &net.target_groups[l.target_group.index()].targets {
                    let Target::Workload(w) = t else {
                        continue;
                    };
                    let line = format!("target of {} ({} {})", service.name, l.protocol, l.port);
                    let placed: Vec<End> = b
                        .ends(Thing::Workload(w.index()))
                        .into_iter()
                        .map(|(e, _)| e)
                        .collect();
                    for end in placed {
                        detail(b, end, line.clone());
                    }
                }
            }
        }
        for v in &sn.vpcs {
            let to = in_vpc(b, v.index(), Thing::Vpc(v.index()));
            let tooltip = format!(
                "VPC {} is associated with {}",
                net.vpcs[v.index()].name,
                sn.name
            );
            b.edge(
                None,
                End::Cluster(c),
                to,
                EdgeKind::LatticeAssociation,
                String::new(),
                tooltip,
            );
        }
    }
}

/// Workloads that use a resource configuration (shared through a resource gateway).
fn resource_uses(b: &mut Builder) {
    let net = b.net;
    for (w, wl) in net.workloads.iter().enumerate() {
        for u in &wl.uses {
            let Use::ResourceConfiguration(r) = u else {
                continue;
            };
            let provider = net.resource_configurations[r.index()].vpc.index();
            if !b.expanded[wl.vpc.index()] && !b.expanded[provider] {
                continue;
            }
            let from = in_vpc(b, wl.vpc.index(), Thing::Workload(w));
            let to = in_vpc(b, provider, Thing::ResourceConfiguration(r.index()));
            let tooltip = format!(
                "{} uses {}",
                wl.name,
                net.resource_configurations[r.index()].name
            );
            b.edge(None, from, to, EdgeKind::Uses, String::new(), tooltip);
        }
    }
}
