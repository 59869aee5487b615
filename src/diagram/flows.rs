//! Intended flows as labelled edges (`tcp 443`), with the flow engine's verdict: a flow that
//! does not complete for some address of each end is drawn dashed and red.

use std::collections::HashMap;

use super::builder::{extra_key, Builder, Thing};
use super::model::{EdgeKind, End, NodeKind};
use super::network;
use crate::flow::intent::{self, IntendedFlow};
use crate::flow::{endpoint, Outcome};
use crate::ir::*;

/// Draws `flows` with their verdicts. With a VPC filter, only flows with an end in a VPC
/// drawn in full.
pub fn draw(b: &mut Builder, flows: &[(IntendedFlow, Outcome)], filtered: bool) {
    let mut merged: HashMap<(End, End, bool), usize> = HashMap::new();
    for (flow, outcome) in flows {
        if filtered && !(in_view(b, flow.source) || in_view(b, flow.destination)) {
            continue;
        }
        let from = ends(b, flow.source);
        let to = match via_endpoint(b, flow.source, flow.destination) {
            Some(to) => to,
            None => ends(b, flow.destination),
        };
        let Some((from, to)) = pick(&from, &to) else {
            continue;
        };
        let ok = *outcome == Outcome::Completed;
        let net = b.net;
        let mut label = if flow.protocol.has_ports() {
            format!("{} {}", flow.protocol, flow.ports)
        } else {
            flow.protocol.to_string()
        };
        if !ok {
            label.push_str(&format!(" ✗ {outcome}"));
        }
        let reasons: Vec<String> = flow
            .reasons
            .iter()
            .map(|r| intent::describe_reason(net, r))
            .collect();
        let tooltip = format!(
            "{} -> {} {label}: {outcome} ({})",
            endpoint::describe(net, flow.source),
            endpoint::describe(net, flow.destination),
            reasons.join("; ")
        );
        match merged.get(&(from, to, ok)) {
            Some(&e) => {
                let edge = &mut b.diagram.edges[e];
                if !edge.label.split(", ").any(|l| l == label) {
                    edge.label.push_str(&format!(", {label}"));
                }
                edge.tooltip.push_str(&format!("\n{tooltip}"));
            }
            None => {
                let e = b.edge(None, from, to, EdgeKind::Flow { ok }, label, tooltip);
                b.diagram.edges[e].rank = b.direction(from, to);
                merged.insert((from, to, ok), e);
            }
        }
    }
}

/// A workload's flow to an AWS service ends at the endpoint of its VPC that carries it,
/// when there is one: a gateway endpoint on its subnet's route table, else an interface
/// endpoint (the order in which the flow engine looks for them).
fn via_endpoint(
    b: &Builder,
    source: &FlowEndpoint,
    destination: &FlowEndpoint,
) -> Option<Vec<(End, Option<String>)>> {
    let (FlowEndpoint::Workload(w), FlowEndpoint::Service(service)) = (source, destination) else {
        return None;
    };
    let net = b.net;
    let workload = &net.workloads[w.index()];
    let tables: Vec<RouteTableId> = workload
        .subnets
        .iter()
        .map(|s| net.subnets[s.index()].route_table)
        .collect();
    let serves = |e: &Endpoint| {
        e.vpc == workload.vpc
            && matches!(&e.service, EndpointTarget::Aws(s) if s.as_str() == service.as_str())
    };
    let gateway = net.endpoints.iter().position(|e| {
        serves(e)
            && e.kind == EndpointType::Gateway
            && e.route_tables.iter().any(|t| tables.contains(t))
    });
    let interface = net
        .endpoints
        .iter()
        .position(|e| serves(e) && e.kind == EndpointType::Interface);
    let ends: Vec<(End, Option<String>)> = b
        .ends(Thing::Endpoint(gateway.or(interface)?))
        .into_iter()
        .map(|(e, az)| (e, az.map(str::to_string)))
        .collect();
    (!ends.is_empty()).then_some(ends)
}

/// The pair of placements to join: the first two in the same AZ, else the first two.
fn pick(from: &[(End, Option<String>)], to: &[(End, Option<String>)]) -> Option<(End, End)> {
    for (f, fa) in from {
        for (t, ta) in to {
            if fa.is_some() && fa == ta {
                return Some((*f, *t));
            }
        }
    }
    Some((from.first()?.0, to.first()?.0))
}

/// Whether a flow end lies in a VPC drawn in full.
fn in_view(b: &Builder, end: &FlowEndpoint) -> bool {
    vpc_of(b.net, end).is_some_and(|v| b.expanded[v])
}

fn vpc_of(net: &Network, end: &FlowEndpoint) -> Option<usize> {
    Some(match end {
        FlowEndpoint::Workload(i) => net.workloads[i.index()].vpc.index(),
        FlowEndpoint::LoadBalancer(i) => net.load_balancers[i.index()].vpc.index(),
        FlowEndpoint::Endpoint(i) => net.endpoints[i.index()].vpc.index(),
        FlowEndpoint::Subnet(i) => net.subnets[i.index()].vpc.index(),
        FlowEndpoint::NatGateway(i) => net.nat_gateways[i.index()].vpc.index(),
        FlowEndpoint::ResourceConfiguration(i) => {
            net.resource_configurations[i.index()].vpc.index()
        }
        FlowEndpoint::Address(ip) => net.subnets[subnet_holding(net, **ip)?].vpc.index(),
        _ => return None,
    })
}

fn subnet_holding(net: &Network, ip: std::net::IpAddr) -> Option<usize> {
    net.subnets.iter().position(|s| {
        s.cidr
            .iter()
            .chain(&s.ipv6_cidr)
            .any(|c| c.cidr.contains(&ip))
    })
}

/// Where a flow end is drawn (every placement, with its AZ), drawing it if needed.
fn ends(b: &mut Builder, end: &FlowEndpoint) -> Vec<(End, Option<String>)> {
    let net = b.net;
    if let Some(thing) = b.endpoint_thing(end) {
        let drawn: Vec<(End, Option<String>)> = b
            .ends(thing)
            .into_iter()
            .map(|(e, az)| (e, az.map(str::to_string)))
            .collect();
        if !drawn.is_empty() {
            return drawn;
        }
        let made = match thing {
            Thing::OnPremises(o) => network::on_premises(b, o),
            Thing::LatticeService(l) => {
                let s = &net.lattice_services[l];
                let n = b.node(
                    Some(thing),
                    ("lattice", &s.name),
                    None,
                    NodeKind::LatticeService,
                    s.name.clone(),
                    vec!["Lattice service".into()],
                );
                End::Node(n)
            }
            _ => match vpc_of(net, end) {
                Some(v) => network::summary(b, v),
                None => return Vec::new(),
            },
        };
        return vec![(made, None)];
    }
    if extra_key(end).is_none() {
        return Vec::new();
    }
    let made = match end {
        FlowEndpoint::Internet => network::internet(b),
        FlowEndpoint::Service(s) => End::Node(b.shared_node(
            ("svc", s),
            None,
            NodeKind::AwsService,
            s.to_string(),
            vec!["AWS service".into()],
        )),
        FlowEndpoint::Address(ip) => {
            if let Some(w) = net
                .workloads
                .iter()
                .position(|w| w.private_ip == Some(**ip))
            {
                let placed = b.ends(Thing::Workload(w));
                if !placed.is_empty() {
                    return placed
                        .into_iter()
                        .map(|(e, az)| (e, az.map(str::to_string)))
                        .collect();
                }
            }
            if let Some(o) = net
                .on_premises
                .iter()
                .position(|o| o.cidrs.iter().any(|c| c.cidr.contains(&**ip)))
            {
                return vec![(network::on_premises(b, o), None)];
            }
            let subnet = subnet_holding(net, **ip);
            match subnet.and_then(|s| b.subnet_cluster.get(&s).copied()) {
                Some(c) => {
                    let n = End::Node(b.shared_node(
                        ("addr", &ip.to_string()),
                        Some(c),
                        NodeKind::Address,
                        ip.to_string(),
                        vec!["address".into()],
                    ));
                    if let Some(&row) = b.rows.get(&End::Cluster(c)) {
                        b.rows.insert(n, row);
                    }
                    n
                }
                None => match subnet {
                    Some(s) => network::summary(b, net.subnets[s].vpc.index()),
                    None => End::Node(b.shared_node(
                        ("addr", &ip.to_string()),
                        None,
                        NodeKind::Address,
                        ip.to_string(),
                        vec!["internet address".into()],
                    )),
                },
            }
        }
        _ => return Vec::new(),
    };
    // AWS services and internet addresses sit with the internet, above every VPC.
    if let End::Node(n) = made {
        let node = &b.diagram.nodes[n];
        if node.parent.is_none() && matches!(node.kind, NodeKind::AwsService | NodeKind::Address) {
            b.rows.insert(made, (None, -2));
        }
    }
    let az = match made {
        End::Node(n) => b.node_az.get(&n).cloned(),
        End::Cluster(_) => None,
    };
    vec![(made, az)]
}
