//! What a diagram draws, independent of the output format: clusters (regions, VPCs, AZs,
//! subnets, service networks), nodes, edges, and the lint findings marked on them. The DOT
//! and Mermaid writers read only this, so both show the same picture.
//!
//! Storage is flat (each cluster and node names its parent cluster) so that the builders can
//! mark anything by index; writers walk it as a tree in insertion order, which is the order
//! of the IR, so the output is deterministic.

use crate::diagnostics::Severity;

/// A whole picture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagram {
    /// First line of the caption (`network`, `network of VPC shop, with intended flows`).
    pub title: String,
    /// Further caption lines: the findings, each in its severity's colour, and notes.
    pub caption: Vec<(Option<Severity>, String)>,
    pub clusters: Vec<Cluster>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClusterKind {
    Region,
    Vpc,
    Az,
    /// `public`: its route table has a route to an internet gateway.
    Subnet {
        public: bool,
    },
    ServiceNetwork,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// Stable id derived from the qualified name (`subnet_shop_app`).
    pub id: String,
    pub parent: Option<usize>,
    pub kind: ClusterKind,
    pub title: String,
    pub details: Vec<String>,
    pub tooltip: String,
    pub marks: Vec<Mark>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    Instance,
    Function,
    Database,
    LoadBalancer,
    NatGateway,
    InternetGateway,
    VpnGateway,
    GatewayEndpoint,
    InterfaceEndpoint,
    EndpointService,
    ResourceGateway,
    ResourceConfiguration,
    TransitGateway,
    OnPremises,
    LatticeService,
    /// Another VPC drawn as one box (`--vpc` shows what the chosen VPC connects to).
    VpcSummary,
    Internet,
    AwsService,
    Address,
    /// An invisible node that keeps an empty cluster drawn and anchors edges to it.
    Anchor,
}

impl NodeKind {
    /// How the kind is named in labels and the legend.
    pub fn describe(self) -> &'static str {
        match self {
            NodeKind::Instance => "instance",
            NodeKind::Function => "function",
            NodeKind::Database => "database",
            NodeKind::LoadBalancer => "load balancer",
            NodeKind::NatGateway => "NAT gateway",
            NodeKind::InternetGateway => "internet gateway",
            NodeKind::VpnGateway => "VPN gateway",
            NodeKind::GatewayEndpoint => "gateway endpoint",
            NodeKind::InterfaceEndpoint => "interface endpoint",
            NodeKind::EndpointService => "endpoint service",
            NodeKind::ResourceGateway => "resource gateway",
            NodeKind::ResourceConfiguration => "resource configuration",
            NodeKind::TransitGateway => "transit gateway",
            NodeKind::OnPremises => "on-premises network",
            NodeKind::LatticeService => "Lattice service",
            NodeKind::VpcSummary => "VPC",
            NodeKind::Internet => "internet",
            NodeKind::AwsService => "AWS service",
            NodeKind::Address => "address",
            NodeKind::Anchor => "",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub parent: Option<usize>,
    pub kind: NodeKind,
    pub title: String,
    pub details: Vec<String>,
    pub tooltip: String,
    pub marks: Vec<Mark>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    Peering,
    Attachment,
    Vpn,
    DirectConnect,
    /// An interface endpoint to the endpoint service it consumes.
    PrivateLink,
    /// A VPC associated with a Lattice service network.
    LatticeAssociation,
    /// The internet gateway to the internet.
    InternetLink,
    /// A workload that uses a resource configuration (shared through a resource gateway).
    Uses,
    /// An intended flow; `ok` is the flow engine's verdict for some address of each end.
    Flow {
        ok: bool,
    },
    /// An invisible edge that orders the layout (subnets stacked inside an AZ).
    Layout,
}

impl EdgeKind {
    pub fn describe(self) -> &'static str {
        match self {
            EdgeKind::Peering => "VPC peering",
            EdgeKind::Attachment => "transit gateway attachment",
            EdgeKind::Vpn => "site-to-site VPN",
            EdgeKind::DirectConnect => "Direct Connect",
            EdgeKind::PrivateLink => "PrivateLink",
            EdgeKind::LatticeAssociation => "Lattice association",
            EdgeKind::InternetLink => "internet access",
            EdgeKind::Uses => "uses a shared resource",
            EdgeKind::Flow { ok: true } => "intended flow",
            EdgeKind::Flow { ok: false } => "broken intended flow",
            EdgeKind::Layout => "",
        }
    }
}

/// One end of an edge: a node, or a whole cluster (a VPC for a peering, a subnet for an
/// attachment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum End {
    Node(usize),
    Cluster(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: End,
    pub to: End,
    pub kind: EdgeKind,
    pub label: String,
    pub tooltip: String,
    pub marks: Vec<Mark>,
    /// How the edge takes part in the layout.
    pub rank: Rank,
}

/// How an edge takes part in the layout, so that flows drawn over the structure never bend
/// it: the structure and flows down the picture (internet → load balancer → application →
/// database) place their head below their tail; flows up the picture (to a gateway on the
/// VPC's top row, to the internet) are laid out as if reversed; flows between places with
/// no known row are laid out without constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rank {
    Down,
    Up,
    Free,
}

/// A lint finding shown on what it concerns.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mark {
    /// The finding's number in the caption (1-based), which the mark repeats.
    pub number: usize,
    pub severity: Severity,
    /// The rule id (`expect-violated`).
    pub rule: String,
    pub message: String,
    /// What the finding says about this place, when it is not the finding's main place.
    pub here: Option<String>,
}

impl Diagram {
    /// The clusters and nodes directly inside `parent` (the top level for `None`), in
    /// insertion order.
    pub fn children(&self, parent: Option<usize>) -> (Vec<usize>, Vec<usize>) {
        let clusters = (0..self.clusters.len())
            .filter(|&c| self.clusters[c].parent == parent)
            .collect();
        let nodes = (0..self.nodes.len())
            .filter(|&n| self.nodes[n].parent == parent)
            .collect();
        (clusters, nodes)
    }

    /// Whether `cluster` holds `node`, at any depth.
    pub fn holds(&self, cluster: usize, node: usize) -> bool {
        let mut at = self.nodes[node].parent;
        while let Some(c) = at {
            if c == cluster {
                return true;
            }
            at = self.clusters[c].parent;
        }
        false
    }

    /// A node inside `cluster` that edges to the cluster attach to (compound edges in DOT):
    /// the first visible one, else the first.
    pub fn anchor(&self, cluster: usize) -> Option<usize> {
        let inside: Vec<usize> = (0..self.nodes.len())
            .filter(|&n| self.holds(cluster, n))
            .collect();
        inside
            .iter()
            .copied()
            .find(|&n| self.nodes[n].kind != NodeKind::Anchor)
            .or_else(|| inside.first().copied())
    }
}

/// An id for DOT and Mermaid from a kind prefix and a qualified name: letters, digits and
/// `_` only (`.` becomes `__`, any other character `_`), so it needs no quoting in either.
/// Builders make ids unique with [`unique_id`].
pub fn id(prefix: &str, name: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + name.len() + 1);
    out.push_str(prefix);
    out.push('_');
    for c in name.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => out.push(c),
            '.' => out.push_str("__"),
            _ => out.push('_'),
        }
    }
    out
}

/// `base`, or `base_2`, `base_3` ... when `taken` already holds it.
pub fn unique_id(base: String, taken: &mut std::collections::HashSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}_{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// Escapes text for a Graphviz HTML-like label.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br/>"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a Graphviz quoted string (tooltips).
pub fn dot_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes text inside a quoted Mermaid label: quotes and markup characters become entity
/// codes, so a name or message can never end the label or inject HTML.
pub fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '\n' => out.push_str("<br/>"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_and_distinct() {
        assert_eq!(id("subnet", "shop.app-1"), "subnet_shop__app_1");
        let mut taken = Default::default();
        assert_eq!(unique_id("a".into(), &mut taken), "a");
        assert_eq!(unique_id("a".into(), &mut taken), "a_2");
    }

    #[test]
    fn escaping() {
        assert_eq!(html_escape("a<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
        assert_eq!(dot_string("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
        assert_eq!(
            mermaid_escape("`x` <y> #1 \"z\""),
            "`x` #lt;y#gt; #35;1 #quot;z#quot;"
        );
    }
}
