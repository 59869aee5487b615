//! The legend: the colours and lines of the kinds a picture shows (only those).

use std::fmt::Write;

use super::model::{html_escape, mermaid_escape, ClusterKind, Diagram, EdgeKind, NodeKind};
use super::style;
use crate::diagnostics::Severity;

/// What a diagram shows, in a fixed order.
struct Present {
    clusters: Vec<ClusterKind>,
    nodes: Vec<NodeKind>,
    edges: Vec<EdgeKind>,
    marked: bool,
}

fn present(d: &Diagram) -> Present {
    let mut clusters: Vec<ClusterKind> = Vec::new();
    for c in &d.clusters {
        if !clusters.contains(&c.kind) {
            clusters.push(c.kind);
        }
    }
    let order = [
        ClusterKind::Region,
        ClusterKind::Vpc,
        ClusterKind::Az,
        ClusterKind::Subnet { public: true },
        ClusterKind::Subnet { public: false },
        ClusterKind::ServiceNetwork,
    ];
    clusters.sort_by_key(|k| order.iter().position(|o| o == k));
    let mut nodes: Vec<NodeKind> = d
        .nodes
        .iter()
        .map(|n| n.kind)
        .filter(|k| *k != NodeKind::Anchor)
        .collect();
    nodes.sort();
    nodes.dedup();
    let mut edges: Vec<EdgeKind> = d
        .edges
        .iter()
        .map(|e| e.kind)
        .filter(|k| *k != EdgeKind::Layout)
        .collect();
    edges.sort();
    edges.dedup();
    let marked = d.clusters.iter().any(|c| !c.marks.is_empty())
        || d.nodes.iter().any(|n| !n.marks.is_empty())
        || d.edges.iter().any(|e| !e.marks.is_empty());
    Present {
        clusters,
        nodes,
        edges,
        marked,
    }
}

/// The node kinds grouped by colour family, in kind order.
fn families(nodes: &[NodeKind]) -> Vec<(&'static str, Vec<NodeKind>)> {
    let mut out: Vec<(&'static str, Vec<NodeKind>)> = Vec::new();
    for k in nodes {
        match out.iter_mut().find(|(f, _)| *f == style::family(*k)) {
            Some((_, kinds)) => kinds.push(*k),
            None => out.push((style::family(*k), vec![*k])),
        }
    }
    out
}

/// A line drawn in text, for the legend's edge rows.
fn line_sample(line: &str) -> &'static str {
    match line {
        "dashed" => "╌╌╌╌",
        "dotted" => "┈┈┈┈",
        "bold" => "━━━━",
        _ => "────",
    }
}

/// Rows per legend column: a long legend wraps into columns instead of growing tall.
const LEGEND_ROWS: usize = 5;

/// The legend as an HTML-like table for a DOT label (the graph's, under the caption, so
/// that it never takes part in the layout). Each entry is one text cell, a coloured sample
/// then the name: a table cell stretches with the caption above it, text stays left.
pub fn dot(d: &Diagram) -> String {
    let p = present(d);
    let sample =
        |color: &str, glyph: &str| format!("<font color=\"{color}\"><b>{glyph}</b></font>");
    // (sample, text) per entry.
    let mut entries: Vec<(String, String)> = Vec::new();
    for k in &p.clusters {
        let s = style::cluster(*k);
        let glyph = if matches!(k, ClusterKind::Subnet { .. } | ClusterKind::ServiceNetwork) {
            "■"
        } else {
            "□"
        };
        entries.push((sample(s.stroke, glyph), style::cluster_name(*k).to_string()));
    }
    for (family, kinds) in families(&p.nodes) {
        let names: Vec<&str> = kinds.iter().map(|k| k.describe()).collect();
        let stroke = kinds.first().map_or("#000000", |k| style::node(*k).stroke);
        entries.push((
            sample(stroke, "■"),
            format!("{family}: {}", names.join(", ")),
        ));
    }
    for k in &p.edges {
        let s = style::edge(*k);
        entries.push((
            sample(s.color, line_sample(s.line)),
            k.describe().to_string(),
        ));
    }
    if p.marked {
        let text = "lint finding n (listed above; its message in the SVG tooltip)".to_string();
        entries.push((sample(style::severity(Severity::Error), "⚠ n"), text));
    }
    let columns = entries.len().div_ceil(LEGEND_ROWS).max(1);
    let rows_n = entries.len().div_ceil(columns);
    let mut rows = String::new();
    for r in 0..rows_n {
        rows.push_str("<tr>");
        for c in 0..columns {
            match entries.get(c * rows_n + r) {
                Some((sample, text)) => {
                    let _ = write!(
                        rows,
                        "<td align=\"left\"><font point-size=\"9\">{sample} {}</font></td>",
                        html_escape(text)
                    );
                }
                None => rows.push_str("<td></td>"),
            }
        }
        rows.push_str("</tr>");
    }
    format!(
        "<table border=\"1\" color=\"#aab7b8\" cellborder=\"0\" cellspacing=\"0\" \
         cellpadding=\"3\"><tr><td colspan=\"{columns}\" align=\"left\"><font point-size=\"10\">\
         <b>Legend</b></font></td></tr>{rows}</table>"
    )
}

/// The legend as one Mermaid text node: each node names its kind already, so it explains
/// the colours and lines (a subgraph of sample nodes would take more room than the network).
pub fn mermaid(d: &Diagram) -> String {
    let p = present(d);
    let mut lines = Vec::new();
    for (family, kinds) in families(&p.nodes) {
        let names: Vec<&str> = kinds.iter().map(|k| k.describe()).collect();
        lines.push(format!("■ {family}: {}", names.join(", ")));
    }
    for k in &p.edges {
        lines.push(format!(
            "{} {}",
            line_sample(style::edge(*k).line),
            k.describe()
        ));
    }
    if p.marked {
        lines.push("⚠ n: lint finding n (listed in the caption)".into());
    }
    let text: Vec<String> = lines.iter().map(|l| mermaid_escape(l)).collect();
    format!(
        "  legend[\"<b>Legend</b><br/>{}\"]:::legendText\n",
        text.join("<br/>")
    )
}
