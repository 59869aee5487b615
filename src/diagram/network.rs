//! The network view: regions, VPCs, AZs and subnets as nested clusters with what lives in
//! them ([`super::vpc`]), and the connections between VPCs and to on-premises networks
//! ([`super::links`]).
//!
//! Layout, top to bottom: the internet; each VPC's top row (gateways and VPC-level
//! endpoints, "on its edge"); its AZs side by side in name order, each with its subnets
//! stacked in the order they are written; transit gateways below the VPCs they join, and
//! on-premises networks below the gateway they connect to.

use super::builder::{Builder, Thing};
use super::model::{ClusterKind, EdgeKind, End, NodeKind};
use super::vpc::{self, Spec};

pub use super::vpc::local;

/// Draws every expanded VPC in full, and the other VPCs they connect to as summary nodes.
pub fn draw(b: &mut Builder) {
    for v in 0..b.net.vpcs.len() {
        if b.expanded[v] {
            vpc_cluster(b, v);
        }
    }
    internet_links(b);
    super::links::draw(b);
}

/// The region cluster of `region`, made on first use.
pub fn region(b: &mut Builder, region: &str) -> usize {
    if let Some(&c) = b.regions.get(region) {
        return c;
    }
    let title = format!("region {region}");
    let c = b.cluster(
        None,
        ("region", region),
        None,
        ClusterKind::Region,
        title,
        vec![],
    );
    b.regions.insert(region.to_string(), c);
    c
}

/// A VPC that is not drawn in full, as one node (made on first use).
pub fn summary(b: &mut Builder, v: usize) -> End {
    if let Some(e) = b.first_end(Thing::Vpc(v)) {
        return e;
    }
    let vpc = &b.net.vpcs[v];
    let cidrs: Vec<String> = vpc.cidrs.iter().map(|c| c.cidr.to_string()).collect();
    let details = vec![vpc.region.clone(), cidrs.join(" · ")];
    let title = format!("VPC {}", vpc.name);
    let thing = Some(Thing::Vpc(v));
    End::Node(b.node(
        thing,
        ("vpc", &vpc.name),
        None,
        NodeKind::VpcSummary,
        title,
        details,
    ))
}

/// Where a thing of VPC `v` is drawn, or the VPC's summary node when it is not.
pub fn in_vpc(b: &mut Builder, v: usize, thing: Thing) -> End {
    match b.first_end(thing) {
        Some(e) => e,
        None => summary(b, v),
    }
}

fn add(b: &mut Builder, spec: Spec, parent: usize) -> usize {
    let id = (spec.prefix, spec.name.as_str());
    b.node(
        Some(spec.thing),
        id,
        Some(parent),
        spec.kind,
        spec.title,
        spec.details,
    )
}

fn vpc_cluster(b: &mut Builder, v: usize) {
    let net = b.net;
    let vpc = &net.vpcs[v];
    let parent = region(b, &vpc.region);
    let cidrs: Vec<String> = vpc.cidrs.iter().map(|c| c.cidr.to_string()).collect();
    let (id, title) = (("vpc", vpc.name.as_str()), format!("VPC {}", vpc.name));
    let vc = b.cluster(
        Some(Thing::Vpc(v)),
        id,
        Some(parent),
        ClusterKind::Vpc,
        title,
        vec![cidrs.join(" · ")],
    );

    let top_row: Vec<usize> = vpc::top_row(net, v)
        .into_iter()
        .map(|s| add(b, s, vc))
        .collect();
    for &n in &top_row {
        b.rows.insert(End::Node(n), (Some(v), -1));
    }
    let subnets: Vec<usize> = (0..net.subnets.len())
        .filter(|&s| net.subnets[s].vpc.index() == v)
        .collect();
    let mut azs: Vec<&str> = subnets
        .iter()
        .map(|&s| net.subnets[s].az.as_str())
        .collect();
    azs.sort();
    azs.dedup();
    for az in azs {
        let id = format!("{}.{az}", vpc.name);
        let ac = b.cluster(
            None,
            ("az", &id),
            Some(vc),
            ClusterKind::Az,
            az.to_string(),
            vec![],
        );
        let mut above = top_row.clone();
        for (row, &s) in subnets
            .iter()
            .filter(|&&s| net.subnets[s].az == az)
            .enumerate()
        {
            let members = subnet_cluster(b, s, ac, (Some(v), row as i32));
            // Stack the subnets of an AZ top to bottom, under the VPC's top row.
            for &a in &above {
                for &m in &members {
                    b.edge(
                        None,
                        End::Node(a),
                        End::Node(m),
                        EdgeKind::Layout,
                        String::new(),
                        String::new(),
                    );
                }
            }
            above = members;
        }
    }
}

/// A subnet and what it holds (an invisible node when nothing, so that it keeps its place
/// in the stack); returns its nodes.
fn subnet_cluster(
    b: &mut Builder,
    s: usize,
    parent: usize,
    row: (Option<usize>, i32),
) -> Vec<usize> {
    let net = b.net;
    let subnet = &net.subnets[s];
    let kind = ClusterKind::Subnet {
        public: vpc::is_public(net, s),
    };
    let (id, title) = (
        ("subnet", subnet.name.as_str()),
        local(&subnet.name).to_string(),
    );
    let c = b.cluster(
        Some(Thing::Subnet(s)),
        id,
        Some(parent),
        kind,
        title,
        vpc::subnet_details(net, s),
    );
    b.subnet_cluster.insert(s, c);
    b.rows.insert(End::Cluster(c), row);
    let mut members: Vec<usize> = vpc::members(net, s)
        .into_iter()
        .map(|m| add(b, m, c))
        .collect();
    if members.is_empty() {
        members.push(b.node(
            None,
            ("anchor", &subnet.name),
            Some(c),
            NodeKind::Anchor,
            String::new(),
            vec![],
        ));
    }
    for &m in &members {
        b.rows.insert(End::Node(m), row);
    }
    members
}

/// The internet node (made on first use), above everything.
pub fn internet(b: &mut Builder) -> End {
    let n = b.shared_node(
        ("net", "internet"),
        None,
        NodeKind::Internet,
        "internet".into(),
        vec![],
    );
    b.rows.insert(End::Node(n), (None, -2));
    End::Node(n)
}

/// Internet gateways to the internet.
fn internet_links(b: &mut Builder) {
    for i in 0..b.net.internet_gateways.len() {
        if let Some(igw) = b.first_end(Thing::InternetGateway(i)) {
            let net = internet(b);
            let tooltip = b.net.internet_gateways[i].name.clone();
            b.edge(
                None,
                net,
                igw,
                EdgeKind::InternetLink,
                String::new(),
                tooltip,
            );
        }
    }
}

/// An on-premises network's node (made on first use).
pub fn on_premises(b: &mut Builder, o: usize) -> End {
    if let Some(e) = b.first_end(Thing::OnPremises(o)) {
        return e;
    }
    let site = &b.net.on_premises[o];
    let mut details = vec!["on-premises".to_string()];
    details.extend(site.cidrs.iter().map(|c| c.cidr.to_string()));
    if let Some(asn) = site.asn {
        details.push(format!("ASN {asn}"));
    }
    let thing = Some(Thing::OnPremises(o));
    let n = End::Node(b.node(
        thing,
        ("onprem", &site.name),
        None,
        NodeKind::OnPremises,
        site.name.clone(),
        details,
    ));
    // Below every VPC, for flows to and from it.
    b.rows.insert(n, (None, i32::MAX));
    n
}
