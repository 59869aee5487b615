//! The state shared by the stages that fill a [`Diagram`]: which IR entity is drawn where
//! (so that findings and flows can find it), unique ids, and node placement in AZs.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::model::{
    self, Cluster, ClusterKind, Diagram, Edge, EdgeKind, End, Mark, Node, NodeKind, Rank,
};
use crate::ir::{FlowEndpoint, Network};

/// The id under which [`Builder::shared_node`] keeps the node of a flow end that is not an
/// IR entity (the internet, an AWS service, an address).
pub fn extra_key(end: &FlowEndpoint) -> Option<String> {
    Some(match end {
        FlowEndpoint::Internet => model::id("net", "internet"),
        FlowEndpoint::Service(s) => model::id("svc", s),
        FlowEndpoint::Address(ip) => model::id("addr", &ip.to_string()),
        _ => return None,
    })
}

/// An IR entity, by collection and index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Thing {
    Vpc(usize),
    Subnet(usize),
    RouteTable(usize),
    Nacl(usize),
    SecurityGroup(usize),
    NatGateway(usize),
    InternetGateway(usize),
    VpnGateway(usize),
    Endpoint(usize),
    EndpointService(usize),
    LoadBalancer(usize),
    TargetGroup(usize),
    Workload(usize),
    ResourceGateway(usize),
    ResourceConfiguration(usize),
    Peering(usize),
    TransitGateway(usize),
    Attachment(usize),
    OnPremises(usize),
    Connection(usize),
    ServiceNetwork(usize),
    LatticeService(usize),
    Expect(usize),
}

/// Where something is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Node(usize),
    Cluster(usize),
    Edge(usize),
}

impl Target {
    /// The target as an edge end (edges cannot end on edges).
    pub fn end(self) -> Option<End> {
        match self {
            Target::Node(n) => Some(End::Node(n)),
            Target::Cluster(c) => Some(End::Cluster(c)),
            Target::Edge(_) => None,
        }
    }
}

pub struct Builder<'n> {
    pub net: &'n Network,
    pub diagram: Diagram,
    /// Where each entity is drawn: one node per subnet for things in several subnets.
    pub drawn: BTreeMap<Thing, Vec<Target>>,
    /// VPCs drawn in full (the others appear, if at all, as one summary node).
    pub expanded: Vec<bool>,
    /// The cluster of each drawn subnet, and of each region by name.
    pub subnet_cluster: HashMap<usize, usize>,
    pub regions: BTreeMap<String, usize>,
    /// The availability zone of each node drawn inside one.
    pub node_az: HashMap<usize, String>,
    /// The row of each node and subnet drawn in a VPC: its VPC, and -1 for the VPC's top row,
    /// else the subnet's place in its AZ (0 first). The internet has no VPC and row -2.
    pub rows: HashMap<End, (Option<usize>, i32)>,
    /// Nodes created on demand (the internet, AWS services, addresses), by id.
    pub extra: HashMap<String, usize>,
    taken: HashSet<String>,
}

impl<'n> Builder<'n> {
    pub fn new(net: &'n Network, expanded: Vec<bool>) -> Self {
        Builder {
            net,
            diagram: Diagram::default(),
            drawn: BTreeMap::new(),
            expanded,
            subnet_cluster: HashMap::new(),
            regions: BTreeMap::new(),
            node_az: HashMap::new(),
            rows: HashMap::new(),
            extra: HashMap::new(),
            taken: HashSet::new(),
        }
    }

    pub fn cluster(
        &mut self,
        thing: Option<Thing>,
        (prefix, name): (&str, &str),
        parent: Option<usize>,
        kind: ClusterKind,
        title: String,
        details: Vec<String>,
    ) -> usize {
        let id = model::unique_id(model::id(prefix, name), &mut self.taken);
        let index = self.diagram.clusters.len();
        self.diagram.clusters.push(Cluster {
            id,
            parent,
            kind,
            title,
            details,
            tooltip: name.to_string(),
            marks: Vec::new(),
        });
        if let Some(t) = thing {
            self.drawn
                .entry(t)
                .or_default()
                .push(Target::Cluster(index));
        }
        index
    }

    pub fn node(
        &mut self,
        thing: Option<Thing>,
        (prefix, name): (&str, &str),
        parent: Option<usize>,
        kind: NodeKind,
        title: String,
        details: Vec<String>,
    ) -> usize {
        let id = model::unique_id(model::id(prefix, name), &mut self.taken);
        let index = self.diagram.nodes.len();
        let tooltip = match kind {
            NodeKind::Anchor => String::new(),
            _ => format!("{} {name}", kind.describe()),
        };
        self.diagram.nodes.push(Node {
            id,
            parent,
            kind,
            title,
            details,
            tooltip,
            marks: Vec::new(),
        });
        if let Some(t) = thing {
            self.drawn.entry(t).or_default().push(Target::Node(index));
        }
        if let Some(az) = parent.and_then(|p| self.az_of(p)) {
            self.node_az.insert(index, az);
        }
        index
    }

    pub fn edge(
        &mut self,
        thing: Option<Thing>,
        from: End,
        to: End,
        kind: EdgeKind,
        label: String,
        tooltip: String,
    ) -> usize {
        let index = self.diagram.edges.len();
        self.diagram.edges.push(Edge {
            from,
            to,
            kind,
            label,
            tooltip,
            marks: Vec::new(),
            rank: Rank::Down,
        });
        if let Some(t) = thing {
            self.drawn.entry(t).or_default().push(Target::Edge(index));
        }
        index
    }

    /// The AZ cluster's title above `cluster`, if any.
    fn az_of(&self, cluster: usize) -> Option<String> {
        let mut at = Some(cluster);
        while let Some(c) = at {
            if self.diagram.clusters[c].kind == ClusterKind::Az {
                return Some(self.diagram.clusters[c].title.clone());
            }
            at = self.diagram.clusters[c].parent;
        }
        None
    }

    /// The ends where `thing` is drawn, with their AZ.
    pub fn ends(&self, thing: Thing) -> Vec<(End, Option<&str>)> {
        self.drawn
            .get(&thing)
            .into_iter()
            .flatten()
            .filter_map(|t| t.end())
            .map(|e| {
                let az = match e {
                    End::Node(n) => self.node_az.get(&n).map(String::as_str),
                    End::Cluster(_) => None,
                };
                (e, az)
            })
            .collect()
    }

    /// The first place `thing` is drawn, as an edge end.
    pub fn first_end(&self, thing: Thing) -> Option<End> {
        self.ends(thing).first().map(|(e, _)| *e)
    }

    /// A node made once and found again by its id (the internet, an AWS service).
    pub fn shared_node(
        &mut self,
        (prefix, name): (&str, &str),
        parent: Option<usize>,
        kind: NodeKind,
        title: String,
        details: Vec<String>,
    ) -> usize {
        let key = model::id(prefix, name);
        if let Some(&n) = self.extra.get(&key) {
            return n;
        }
        let n = self.node(None, (prefix, name), parent, kind, title, details);
        self.extra.insert(key, n);
        n
    }

    /// Whether an edge from `from` to `to` goes down or up the picture: rows of one VPC, or
    /// to or from what is above every VPC (the internet) or below (on-premises networks).
    pub fn direction(&self, from: End, to: End) -> Rank {
        match (self.rows.get(&from), self.rows.get(&to)) {
            (Some((va, ra)), Some((vb, rb))) if va.is_none() || vb.is_none() || va == vb => {
                match ra.cmp(rb) {
                    std::cmp::Ordering::Less => Rank::Down,
                    std::cmp::Ordering::Greater => Rank::Up,
                    std::cmp::Ordering::Equal => Rank::Free,
                }
            }
            _ => Rank::Free,
        }
    }

    /// The IR entity a flow end names, if it is one.
    pub fn endpoint_thing(&self, end: &FlowEndpoint) -> Option<Thing> {
        Some(match end {
            FlowEndpoint::Workload(i) => Thing::Workload(i.index()),
            FlowEndpoint::LoadBalancer(i) => Thing::LoadBalancer(i.index()),
            FlowEndpoint::Endpoint(i) => Thing::Endpoint(i.index()),
            FlowEndpoint::Subnet(i) => Thing::Subnet(i.index()),
            FlowEndpoint::OnPremises(i) => Thing::OnPremises(i.index()),
            FlowEndpoint::NatGateway(i) => Thing::NatGateway(i.index()),
            FlowEndpoint::ResourceConfiguration(i) => Thing::ResourceConfiguration(i.index()),
            FlowEndpoint::LatticeService(i) => Thing::LatticeService(i.index()),
            FlowEndpoint::Internet | FlowEndpoint::Service(_) | FlowEndpoint::Address(_) => {
                return None
            }
        })
    }

    /// The on-demand node already drawn for a flow end that is no IR entity.
    pub fn endpoint_extra(&self, end: &FlowEndpoint) -> Option<Target> {
        self.extra.get(&extra_key(end)?).map(|&n| Target::Node(n))
    }

    /// Marks a place with a finding.
    pub fn mark(&mut self, target: Target, mark: Mark) {
        let marks = match target {
            Target::Node(n) => &mut self.diagram.nodes[n].marks,
            Target::Cluster(c) => &mut self.diagram.clusters[c].marks,
            Target::Edge(e) => &mut self.diagram.edges[e].marks,
        };
        if !marks.iter().any(|m| m.number == mark.number) {
            marks.push(mark);
        }
    }

    /// Gives every cluster with nothing inside an invisible node: Graphviz does not draw
    /// empty clusters, and edges to a cluster need a node in it.
    pub fn fill_empty_clusters(&mut self) {
        // Innermost first: clusters are created after their parents.
        for c in (0..self.diagram.clusters.len()).rev() {
            if self.diagram.anchor(c).is_none() {
                let name = self.diagram.clusters[c].id.clone();
                self.node(
                    None,
                    ("anchor", &name),
                    Some(c),
                    NodeKind::Anchor,
                    String::new(),
                    Vec::new(),
                );
            }
        }
    }
}
