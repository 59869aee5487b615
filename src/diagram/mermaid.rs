//! Mermaid (`flowchart`) from the model, for Markdown renderers (GitHub, GitLab, docs
//! sites). Clusters are subgraphs, kinds are `classDef`s, edge colours are `linkStyle`s by
//! index. Mermaid has no tooltips without `securityLevel: loose`, so findings show as marks
//! in labels and in the caption.

use std::fmt::Write;

use super::dot::{mark_lines, worst};
use super::legend;
use super::model::{mermaid_escape, Diagram, Edge, EdgeKind, End, Mark, NodeKind};
use super::style;
use crate::diagnostics::Severity;

/// The Mermaid text of a diagram.
pub fn write(d: &Diagram) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "%% {}", d.title.replace('\n', " "));
    out.push_str("flowchart TB\n");
    if !d.caption.is_empty() {
        let lines: Vec<&str> = d.caption.iter().map(|(_, l)| l.as_str()).collect();
        let _ = writeln!(
            out,
            "  caption[\"{}\"]:::caption",
            mermaid_escape(&lines.join("\n"))
        );
    }
    write_children(d, None, 1, &mut out);
    // `linkStyle` numbers links in the order they are written, invisible ones included.
    let mut link_styles = Vec::new();
    for (link, edge) in d.edges.iter().enumerate() {
        if let Some(style) = write_edge(d, edge, &mut out) {
            link_styles.push(format!("  linkStyle {link} {style}"));
        }
    }
    out.push_str(&legend::mermaid(d));
    for line in link_styles {
        let _ = writeln!(out, "{line}");
    }
    write_classes(d, &mut out);
    out
}

/// The class of a node kind.
pub fn class_name(kind: NodeKind) -> String {
    format!("{kind:?}").to_lowercase()
}

fn label(title: &str, details: &[String], marks: &[Mark]) -> String {
    let mut text = format!("<b>{}</b>", mermaid_escape(title));
    for line in details.iter().filter(|l| !l.is_empty()) {
        let _ = write!(text, "<br/><small>{}</small>", mermaid_escape(line));
    }
    for line in mark_lines(marks) {
        let _ = write!(text, "<br/><b>{}</b>", mermaid_escape(&line));
    }
    text
}

/// A subgraph's title on one line (Mermaid leaves room for one line only): the name, the
/// first detail (the CIDR blocks), the marks.
fn title(title: &str, details: &[String], marks: &[Mark]) -> String {
    let mut parts = vec![format!("<b>{}</b>", mermaid_escape(title))];
    parts.extend(
        details
            .first()
            .filter(|l| !l.is_empty())
            .map(|l| mermaid_escape(l)),
    );
    parts.extend(
        mark_lines(marks)
            .iter()
            .map(|l| format!("<b>{}</b>", mermaid_escape(l))),
    );
    parts.join(" · ")
}

fn write_children(d: &Diagram, parent: Option<usize>, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let (clusters, nodes) = d.children(parent);
    for n in nodes {
        let node = &d.nodes[n];
        if node.kind == NodeKind::Anchor {
            let _ = writeln!(out, "{pad}{}[\" \"]:::anchor", node.id);
            continue;
        }
        let s = style::node(node.kind);
        let _ = writeln!(
            out,
            "{pad}{}{}{}{}:::{}",
            node.id,
            s.mermaid.0,
            label(&node.title, &node.details, &node.marks),
            s.mermaid.1,
            class_name(node.kind)
        );
    }
    for c in clusters {
        let cluster = &d.clusters[c];
        let _ = writeln!(
            out,
            "{pad}subgraph {}[\"{}\"]",
            cluster.id,
            title(&cluster.title, &cluster.details, &cluster.marks)
        );
        write_children(d, Some(c), depth + 1, out);
        let _ = writeln!(out, "{pad}end");
    }
}

fn end_id(d: &Diagram, end: End) -> &str {
    match end {
        End::Node(n) => &d.nodes[n].id,
        End::Cluster(c) => &d.clusters[c].id,
    }
}

/// Writes one link; returns its `linkStyle`, if it needs one.
fn write_edge(d: &Diagram, edge: &Edge, out: &mut String) -> Option<String> {
    let (a, b) = (end_id(d, edge.from), end_id(d, edge.to));
    if edge.kind == EdgeKind::Layout {
        let _ = writeln!(out, "  {a} ~~~ {b}");
        return None;
    }
    let s = style::edge(edge.kind);
    let arrow = match (s.line, s.directed) {
        ("bold", true) => "==>",
        ("bold", false) => "===",
        ("dashed" | "dotted", true) => "-.->",
        ("dashed" | "dotted", false) => "-.-",
        (_, true) => "-->",
        (_, false) => "---",
    };
    let mut text = edge.label.clone();
    for line in mark_lines(&edge.marks) {
        text.push('\n');
        text.push_str(&line);
    }
    if text.is_empty() {
        let _ = writeln!(out, "  {a} {arrow} {b}");
    } else {
        let _ = writeln!(out, "  {a} {arrow}|\"{}\"| {b}", mermaid_escape(&text));
    }
    let color = if edge.marks.is_empty() {
        s.color
    } else {
        style::severity(worst(&edge.marks))
    };
    let dash = if s.line == "dotted" {
        ",stroke-dasharray:2 3"
    } else {
        ""
    };
    Some(format!("stroke:{color},color:{color}{dash}"))
}

fn write_classes(d: &Diagram, out: &mut String) {
    let mut kinds: Vec<NodeKind> = d.nodes.iter().map(|n| n.kind).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let s = style::node(kind);
        let dashed = if s.dot_style.contains("dashed") {
            ",stroke-dasharray:4 3"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  classDef {} fill:{},stroke:{},color:#16191f{dashed}",
            class_name(kind),
            s.fill,
            s.stroke
        );
    }
    out.push_str("  classDef caption fill:#ffffff,stroke:#ffffff,color:#d13212,text-align:left\n");
    out.push_str(
        "  classDef legendText fill:#ffffff,stroke:#aab7b8,color:#16191f,text-align:left\n",
    );
    for c in &d.clusters {
        let s = style::cluster(c.kind);
        let (stroke, width) = if c.marks.is_empty() {
            (s.stroke, 1)
        } else {
            (style::severity(worst(&c.marks)), 3)
        };
        let dash = if s.dashed {
            ",stroke-dasharray:5 4"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  style {} fill:{},stroke:{stroke},stroke-width:{width}px{dash}",
            c.id, s.fill
        );
    }
    for severity in [Severity::Info, Severity::Warning, Severity::Error] {
        let marked: Vec<&str> = d
            .nodes
            .iter()
            .filter(|n| !n.marks.is_empty() && worst(&n.marks) == severity)
            .map(|n| n.id.as_str())
            .collect();
        if marked.is_empty() {
            continue;
        }
        let name = format!("finding{severity:?}").to_lowercase();
        let _ = writeln!(
            out,
            "  classDef {name} fill:{},stroke:{},stroke-width:3px,color:#16191f",
            style::severity_fill(severity),
            style::severity(severity)
        );
        let _ = writeln!(out, "  class {} {name}", marked.join(","));
    }
}
