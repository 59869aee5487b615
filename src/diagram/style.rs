//! How each kind looks, shared by the DOT and Mermaid writers and the legend, so that a kind
//! has one shape and one colour everywhere. Colours follow AWS's architecture icons: purple
//! for networking, orange for compute, blue for databases, teal for shared resources, pink
//! for VPC Lattice; findings are red (errors), orange (warnings) or blue (notes).

use super::model::{ClusterKind, EdgeKind, NodeKind};
use crate::diagnostics::Severity;

pub const FONT: &str = "Helvetica,Arial,sans-serif";

/// A node's look: a Graphviz shape, Mermaid's brackets, and colours.
pub struct NodeStyle {
    pub shape: &'static str,
    /// Graphviz `style` (always with `filled`).
    pub dot_style: &'static str,
    /// Mermaid's opening and closing brackets for the shape.
    pub mermaid: (&'static str, &'static str),
    pub fill: &'static str,
    pub stroke: &'static str,
}

const NETWORK: (&str, &str) = ("#f4efff", "#8c4fff");
const COMPUTE: (&str, &str) = ("#fdf1e6", "#d45b07");
const DATABASE: (&str, &str) = ("#eceefb", "#3b48cc");
const SHARED: (&str, &str) = ("#e6f6f3", "#067f68");
const LATTICE: (&str, &str) = ("#fde8f2", "#c7105f");
const OUTSIDE: (&str, &str) = ("#f2f3f3", "#545b64");

pub fn node(kind: NodeKind) -> NodeStyle {
    let (shape, dot_style, mermaid, (fill, stroke)) = match kind {
        NodeKind::Instance => ("box", "rounded,filled", ("(\"", "\")"), COMPUTE),
        NodeKind::Function => ("parallelogram", "filled", ("[/\"", "\"/]"), COMPUTE),
        NodeKind::Database => ("cylinder", "filled", ("[(\"", "\")]"), DATABASE),
        NodeKind::LoadBalancer => ("trapezium", "filled", ("[/\"", "\"\\]"), NETWORK),
        NodeKind::NatGateway => ("hexagon", "filled", ("{{\"", "\"}}"), NETWORK),
        NodeKind::InternetGateway => ("house", "filled", (">\"", "\"]"), NETWORK),
        NodeKind::VpnGateway => ("invhouse", "filled", (">\"", "\"]"), NETWORK),
        NodeKind::GatewayEndpoint => ("cds", "filled", ("[[\"", "\"]]"), NETWORK),
        NodeKind::InterfaceEndpoint => ("component", "filled", ("[[\"", "\"]]"), NETWORK),
        NodeKind::EndpointService => ("folder", "filled", ("([\"", "\"])"), NETWORK),
        NodeKind::ResourceGateway => ("septagon", "filled", ("{{\"", "\"}}"), SHARED),
        NodeKind::ResourceConfiguration => ("note", "filled", ("[\"", "\"]"), SHARED),
        NodeKind::TransitGateway => ("doubleoctagon", "filled", ("((\"", "\"))"), NETWORK),
        NodeKind::OnPremises => ("box3d", "filled", ("[\"", "\"]"), OUTSIDE),
        NodeKind::LatticeService => ("component", "filled", ("([\"", "\"])"), LATTICE),
        NodeKind::VpcSummary => ("box", "rounded,dashed,filled", ("(\"", "\")"), NETWORK),
        NodeKind::Internet => ("ellipse", "filled", ("((\"", "\"))"), OUTSIDE),
        NodeKind::AwsService => ("tab", "filled", ("([\"", "\"])"), OUTSIDE),
        NodeKind::Address => ("box", "dashed,filled", ("[\"", "\"]"), OUTSIDE),
        NodeKind::Anchor => ("point", "invis", ("[\"", "\"]"), ("none", "none")),
    };
    NodeStyle {
        shape,
        dot_style,
        mermaid,
        fill,
        stroke,
    }
}

/// The colour family of a node kind, as the legend names it.
pub fn family(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Instance | NodeKind::Function => "compute",
        NodeKind::Database => "databases",
        NodeKind::ResourceGateway | NodeKind::ResourceConfiguration => "shared resources",
        NodeKind::LatticeService => "VPC Lattice",
        NodeKind::OnPremises | NodeKind::Internet | NodeKind::AwsService | NodeKind::Address => {
            "outside the VPCs"
        }
        NodeKind::Anchor => "",
        _ => "networking",
    }
}

/// A cluster's border and background.
pub struct ClusterStyle {
    pub stroke: &'static str,
    pub fill: &'static str,
    pub dashed: bool,
}

pub fn cluster(kind: ClusterKind) -> ClusterStyle {
    let (stroke, fill, dashed) = match kind {
        ClusterKind::Region => ("#00a4a6", "#ffffff", true),
        ClusterKind::Vpc => ("#8c4fff", "#fcfbff", false),
        ClusterKind::Az => ("#147eba", "#ffffff", true),
        ClusterKind::Subnet { public: true } => ("#7aa116", "#f2f6e8", false),
        ClusterKind::Subnet { public: false } => ("#00a4a6", "#e6f6f7", false),
        ClusterKind::ServiceNetwork => ("#c7105f", "#fff7fb", false),
    };
    ClusterStyle {
        stroke,
        fill,
        dashed,
    }
}

/// How a cluster kind is named in the legend.
pub fn cluster_name(kind: ClusterKind) -> &'static str {
    match kind {
        ClusterKind::Region => "region",
        ClusterKind::Vpc => "VPC",
        ClusterKind::Az => "availability zone",
        ClusterKind::Subnet { public: true } => "public subnet (route to an internet gateway)",
        ClusterKind::Subnet { public: false } => "private subnet",
        ClusterKind::ServiceNetwork => "Lattice service network",
    }
}

/// An edge's line.
pub struct EdgeStyle {
    pub color: &'static str,
    /// Graphviz `style`: `solid`, `dashed`, `dotted`, `bold`.
    pub line: &'static str,
    pub directed: bool,
}

pub fn edge(kind: EdgeKind) -> EdgeStyle {
    let (color, line, directed) = match kind {
        EdgeKind::Peering => ("#8c4fff", "bold", false),
        EdgeKind::Attachment => ("#8c4fff", "solid", false),
        EdgeKind::Vpn => ("#545b64", "dashed", false),
        EdgeKind::DirectConnect => ("#545b64", "bold", false),
        EdgeKind::PrivateLink => ("#8c4fff", "dashed", true),
        EdgeKind::LatticeAssociation => ("#c7105f", "dotted", false),
        EdgeKind::InternetLink => ("#545b64", "solid", false),
        EdgeKind::Uses => ("#067f68", "dotted", true),
        EdgeKind::Flow { ok: true } => ("#1d8102", "solid", true),
        EdgeKind::Flow { ok: false } => (FINDING_ERROR, "dashed", true),
        EdgeKind::Layout => ("none", "invis", false),
    };
    EdgeStyle {
        color,
        line,
        directed,
    }
}

const FINDING_ERROR: &str = "#d13212";

/// The colour of a finding's marks.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => FINDING_ERROR,
        Severity::Warning => "#e07700",
        Severity::Info => "#147eba",
    }
}

/// The background of something marked with a finding.
pub fn severity_fill(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "#fdecea",
        Severity::Warning => "#fff4e0",
        Severity::Info => "#e8f2fa",
    }
}
