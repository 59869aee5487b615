//! Edges in DOT. An edge to a cluster is drawn to a node inside it and clipped at the
//! cluster's border (`lhead`, `ltail`). An edge laid out upwards ([`Rank::Up`]) is written
//! reversed with its arrow at its tail, so that it routes like the structure.
//!
//! Graphviz places an edge's label halfway along it, where it can fall on a cluster's
//! border (for an edge between two VPCs, or from the internet into one), stick out of the
//! cluster, or, for an edge between two nodes of one row, land in a new row at the top of the
//! picture. So a label is a node of its own, in the innermost cluster that holds both ends:
//! Graphviz never puts a node on a cluster it does not belong to.

use std::fmt::Write;

use super::dot::{mark_lines, tooltip, worst};
use super::model::{dot_string, html_escape, ClusterKind, Diagram, Edge, EdgeKind, End, Rank};
use super::style;

/// The clusters around an edge end, innermost first.
fn chain(d: &Diagram, end: End) -> Vec<usize> {
    let mut at = match end {
        End::Node(n) => d.nodes[n].parent,
        End::Cluster(c) => Some(c),
    };
    let mut out = Vec::new();
    while let Some(c) = at {
        out.push(c);
        at = d.clusters[c].parent;
    }
    out
}

/// The text an edge shows: its label, then its findings' marks.
fn text(edge: &Edge) -> String {
    let mut text = edge.label.clone();
    for line in mark_lines(&edge.marks) {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&line);
    }
    text
}

/// Where an edge's label is drawn as a node: the innermost cluster that holds both ends
/// (`Some(None)`: the top level); `None` when it has no label.
fn label_host(d: &Diagram, edge: &Edge) -> Option<Option<usize>> {
    if text(edge).is_empty() || edge.kind == EdgeKind::Layout {
        return None;
    }
    let to = chain(d, edge.to);
    Some(chain(d, edge.from).into_iter().find(|c| to.contains(c)))
}

fn color(edge: &Edge) -> &'static str {
    if edge.marks.is_empty() {
        style::edge(edge.kind).color
    } else {
        style::severity(worst(&edge.marks))
    }
}

/// An edge label with a margin, so that no line runs along its text.
fn padded(text: &str) -> String {
    format!(
        "<<table border=\"0\" cellborder=\"0\" cellpadding=\"3\" cellspacing=\"0\"><tr><td>{}</td></tr></table>>",
        html_escape(text)
    )
}

/// Writes the label nodes that belong in `parent`.
pub fn label_nodes(d: &Diagram, parent: Option<usize>, pad: &str, out: &mut String) {
    for (index, edge) in d.edges.iter().enumerate() {
        if label_host(d, edge) != Some(parent) {
            continue;
        }
        let _ = writeln!(
            out,
            "{pad}edge_label_{index} [shape=plain, fontsize=9, fontcolor={}, label={}, tooltip={}];",
            dot_string(color(edge)),
            padded(&text(edge)),
            dot_string(&tooltip(&edge.tooltip, &edge.marks)),
        );
    }
}

/// The id of the node that shows a VPC's or a subnet's label.
pub fn info_node(d: &Diagram, cluster: usize) -> String {
    format!("info_{}", d.clusters[cluster].id)
}

/// The node an edge end attaches to, and the cluster to clip at.
/// A VPC or a subnet is reached at its label node, on its top row at its left.
fn attach(d: &Diagram, end: End) -> Option<(String, Option<usize>)> {
    match end {
        End::Node(n) => Some((d.nodes[n].id.clone(), None)),
        End::Cluster(c) if has_label_node(d, c) => Some((info_node(d, c), Some(c))),
        End::Cluster(c) => Some((d.nodes[d.anchor(c)?].id.clone(), Some(c))),
    }
}

/// Whether a cluster's label is drawn as a node (see [`super::dot`]).
pub fn has_label_node(d: &Diagram, c: usize) -> bool {
    matches!(
        d.clusters[c].kind,
        ClusterKind::Vpc | ClusterKind::Subnet { .. }
    )
}

/// Whether cluster `c` holds an edge end.
fn holds(d: &Diagram, c: usize, end: End) -> bool {
    match end {
        End::Node(n) => d.holds(c, n),
        End::Cluster(x) => chain(d, End::Cluster(x)).contains(&c),
    }
}

/// One DOT edge statement: `tail -> head` with `dir`, clipping and the shared attributes.
fn statement(
    d: &Diagram,
    (tail, tail_clip): (&str, Option<usize>),
    (head, head_clip): (&str, Option<usize>),
    dir: &str,
    attrs: &[String],
) -> String {
    let mut all = attrs.to_vec();
    all.push(format!("dir={dir}"));
    if let Some(c) = tail_clip {
        all.push(format!("ltail=cluster_{}", d.clusters[c].id));
    }
    if let Some(c) = head_clip {
        all.push(format!("lhead=cluster_{}", d.clusters[c].id));
    }
    format!("  {tail} -> {head} [{}];\n", all.join(", "))
}

pub fn write(d: &Diagram, index: usize, edge: &Edge, out: &mut String) {
    let (Some((from, mut from_clip)), Some((to, mut to_clip))) =
        (attach(d, edge.from), attach(d, edge.to))
    else {
        return;
    };
    // Graphviz rejects clipping at a cluster that holds the other end.
    if from_clip.is_some_and(|c| holds(d, c, edge.to)) {
        from_clip = None;
    }
    if to_clip.is_some_and(|c| holds(d, c, edge.from)) {
        to_clip = None;
    }
    let (a, b) = (from.as_str(), to.as_str());
    if edge.kind == EdgeKind::Layout {
        let _ = writeln!(out, "  {a} -> {b} [style=invis];");
        return;
    }
    let s = style::edge(edge.kind);
    let mut attrs = vec![
        format!("color={}", dot_string(color(edge))),
        format!("style={}", s.line),
    ];
    if !edge.marks.is_empty() {
        attrs.push("penwidth=2.5".into());
    }
    let tip = tooltip(&edge.tooltip, &edge.marks);
    if !tip.is_empty() {
        attrs.push(format!("tooltip={}", dot_string(&tip)));
    }
    let (arrow, back) = if s.directed {
        ("forward", "back")
    } else {
        ("none", "none")
    };
    let (a, b) = ((a, from_clip), (b, to_clip));
    if label_host(d, edge).is_some() {
        // Through the label node: above it for an edge down, below it for one up; for a
        // free one both ends come down to it.
        let label = format!("edge_label_{index}");
        let l = (label.as_str(), None);
        let (first, second) = match edge.rank {
            Rank::Down => (
                statement(d, a, l, "none", &attrs),
                statement(d, l, b, arrow, &attrs),
            ),
            Rank::Up => (
                statement(d, b, l, back, &attrs),
                statement(d, l, a, "none", &attrs),
            ),
            Rank::Free => (
                statement(d, a, l, "none", &attrs),
                statement(d, b, l, back, &attrs),
            ),
        };
        out.push_str(&first);
        out.push_str(&second);
        return;
    }
    let line = match edge.rank {
        Rank::Up => statement(d, b, a, back, &attrs),
        Rank::Down => statement(d, a, b, arrow, &attrs),
        Rank::Free => {
            attrs.push("constraint=false".into());
            statement(d, a, b, arrow, &attrs)
        }
    };
    out.push_str(&line);
}
