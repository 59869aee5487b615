//! Graphviz DOT from the model. Clusters nest as `subgraph cluster_*`; an edge to a cluster
//! is drawn to a node inside it, clipped at the cluster's border (`compound=true`, `lhead`).
//! Labels are HTML-like (bold name, small details), every text escaped.

use std::fmt::Write;

use super::dot_edges as edges;
use super::legend;
use super::model::{dot_string, html_escape, ClusterKind, Diagram, Mark, NodeKind};
use super::style::{self, FONT};

/// The DOT text of a diagram.
pub fn write(d: &Diagram) -> String {
    let mut out = String::new();
    out.push_str("digraph vnet {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, compound=true, newrank=true, nodesep=0.35, ranksep=0.45, \
         fontname={font}, fontsize=12, labelloc=t, labeljust=l, label=<{caption}>];",
        font = dot_string(FONT),
        caption = caption(d)
    );
    let _ = writeln!(
        out,
        "  node [fontname={font}, fontsize=11, margin=\"0.12,0.04\", penwidth=1.2];",
        font = dot_string(FONT)
    );
    let _ = writeln!(
        out,
        "  edge [fontname={font}, fontsize=9, penwidth=1.2, arrowsize=0.7];",
        font = dot_string(FONT)
    );
    write_children(d, None, 1, &mut out);
    for (index, edge) in d.edges.iter().enumerate() {
        edges::write(d, index, edge, &mut out);
    }
    out.push_str("}\n");
    out
}

/// The graph's label: the title, the findings (each in its severity's colour), then the
/// legend, one table row each so that lines keep their spacing.
fn caption(d: &Diagram) -> String {
    let row = |text: String| format!("<tr><td align=\"left\">{text}</td></tr>");
    let mut rows = row(format!(
        "<font point-size=\"14\"><b>{}</b></font>",
        html_escape(&d.title)
    ));
    for (severity, line) in &d.caption {
        let color = severity.map_or("#414d5c", style::severity);
        rows.push_str(&row(format!(
            "<font color=\"{color}\">{}</font>",
            html_escape(line)
        )));
    }
    rows.push_str(&row(legend::dot(d)));
    format!("<table border=\"0\" cellspacing=\"0\" cellpadding=\"2\">{rows}</table>")
}

/// A label: the title in bold, details in small grey text, then the findings' marks, as a
/// table so that lines keep their spacing (descenders never touch the next line).
pub fn label(
    title: &str,
    details: &[String],
    marks: &[Mark],
    title_size: u32,
    align: &str,
) -> String {
    let row = |text: String| format!("<tr><td align=\"{align}\">{text}</td></tr>");
    let mut rows = row(format!(
        "<font point-size=\"{title_size}\"><b>{}</b></font>",
        html_escape(title)
    ));
    for line in details.iter().filter(|l| !l.is_empty()) {
        rows.push_str(&row(format!(
            "<font point-size=\"9\" color=\"#414d5c\">{}</font>",
            html_escape(line)
        )));
    }
    for line in mark_lines(marks) {
        rows.push_str(&row(format!(
            "<font point-size=\"10\" color=\"{}\"><b>{}</b></font>",
            style::severity(worst(marks)),
            html_escape(&line)
        )));
    }
    format!(
        "<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">{rows}</table>>"
    )
}

/// `⚠ 1 expect-violated`, one line per rule.
pub fn mark_lines(marks: &[Mark]) -> Vec<String> {
    let mut rules: Vec<(&str, Vec<usize>)> = Vec::new();
    for m in marks {
        match rules.iter_mut().find(|(r, _)| *r == m.rule) {
            Some((_, numbers)) => numbers.push(m.number),
            None => rules.push((&m.rule, vec![m.number])),
        }
    }
    rules
        .into_iter()
        .map(|(rule, numbers)| {
            let numbers: Vec<String> = numbers.iter().map(usize::to_string).collect();
            format!("⚠ {} {rule}", numbers.join(", "))
        })
        .collect()
}

/// The most severe mark's severity.
pub fn worst(marks: &[Mark]) -> crate::diagnostics::Severity {
    marks
        .iter()
        .map(|m| m.severity)
        .min()
        .unwrap_or(crate::diagnostics::Severity::Info)
}

/// The tooltip: what the thing is, then each finding's message.
pub fn tooltip(base: &str, marks: &[Mark]) -> String {
    let mut text = base.to_string();
    for m in marks {
        let _ = write!(text, "\n⚠ {} [{}] {}", m.number, m.rule, m.message);
        if let Some(here) = &m.here {
            let _ = write!(text, " (here: {here})");
        }
    }
    text
}

fn write_children(d: &Diagram, parent: Option<usize>, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let (clusters, nodes) = d.children(parent);
    edges::label_nodes(d, parent, &pad, out);
    for n in nodes {
        write_node(d, n, &pad, out);
    }
    for c in clusters {
        let cluster = &d.clusters[c];
        let s = style::cluster(cluster.kind);
        let (stroke, pen, line) = match (cluster.marks.is_empty(), s.dashed) {
            (true, true) => (s.stroke, "1.2", "rounded,dashed,filled"),
            (true, false) => (s.stroke, "1.2", "rounded,filled"),
            (false, _) => (
                style::severity(worst(&cluster.marks)),
                "2.5",
                "rounded,bold,filled",
            ),
        };
        let tip = dot_string(&tooltip(&cluster.tooltip, &cluster.marks));
        let text = label(&cluster.title, &cluster.details, &cluster.marks, 12, "left");
        // A VPC's and a subnet's label is a node at the left of its top row: edges route
        // around nodes, but cross a cluster's label.
        let as_node = edges::has_label_node(d, c);
        let _ = writeln!(out, "{pad}subgraph cluster_{} {{", cluster.id);
        let _ = writeln!(
            out,
            "{pad}  id={}; style={}; color={}; fillcolor={}; penwidth={pen}; labeljust=l; \
             margin=10; tooltip={tip}; label={};",
            dot_string(&format!("cluster_{}", cluster.id)),
            dot_string(line),
            dot_string(stroke),
            dot_string(s.fill),
            if as_node { "<>" } else { text.as_str() },
        );
        if as_node {
            label_node(d, c, &text, &tip, &format!("{pad}  "), out);
        }
        write_children(d, Some(c), depth + 1, out);
        let _ = writeln!(out, "{pad}}}");
    }
}

/// A cluster's label as a node on the cluster's top row, left of the row's nodes. A VPC's
/// also keeps its AZs left to right in name order: its invisible edges to each AZ's first
/// subnet, written in that order, are kept in that order (`ordering=out`).
fn label_node(d: &Diagram, c: usize, text: &str, tip: &str, pad: &str, out: &mut String) {
    let info = edges::info_node(d, c);
    let _ = writeln!(
        out,
        "{pad}{info} [shape=plain, ordering=out, label={text}, tooltip={tip}];"
    );
    let (azs, row) = d.children(Some(c));
    for n in row {
        let m = &d.nodes[n].id;
        let _ = writeln!(
            out,
            "{pad}{{ rank=same; {info}; {m}; }} {info} -> {m} [style=invis];"
        );
    }
    if d.clusters[c].kind != ClusterKind::Vpc {
        return;
    }
    for az in azs {
        if let Some(&s) = d.children(Some(az)).0.first() {
            let _ = writeln!(
                out,
                "{pad}{info} -> {} [style=invis];",
                edges::info_node(d, s)
            );
        }
    }
}

fn write_node(d: &Diagram, n: usize, pad: &str, out: &mut String) {
    let node = &d.nodes[n];
    if node.kind == NodeKind::Anchor {
        let _ = writeln!(
            out,
            "{pad}{} [shape=point, style=invis, width=0.3];",
            node.id
        );
        return;
    }
    let s = style::node(node.kind);
    let (fill, stroke, pen) = if node.marks.is_empty() {
        (s.fill, s.stroke, "1.2")
    } else {
        let w = worst(&node.marks);
        (style::severity_fill(w), style::severity(w), "2.5")
    };
    let _ = writeln!(
        out,
        "{pad}{id} [id={id}, shape={}, style={}, fillcolor={}, color={}, penwidth={pen}, \
         label={}, tooltip={}];",
        s.shape,
        dot_string(s.dot_style),
        dot_string(fill),
        dot_string(stroke),
        label(&node.title, &node.details, &node.marks, 11, "center"),
        dot_string(&tooltip(&node.tooltip, &node.marks)),
        id = node.id,
    );
}
