//! Overlap checks on Graphviz's own layout (`dot -Tjson`, positions in points): no two
//! visible nodes overlap, every node lies inside its clusters, clusters nest without
//! crossing, and no label (an edge's or a cluster's) lies on a node, on a cluster's border
//! or on another label.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

#[derive(Clone, Copy, Debug)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// Slack for rounding in Graphviz's output, in points.
const EPS: f64 = 0.5;

impl Rect {
    fn intersects(&self, o: &Rect) -> bool {
        self.x0 + EPS < o.x1 && o.x0 + EPS < self.x1 && self.y0 + EPS < o.y1 && o.y0 + EPS < self.y1
    }
    fn holds(&self, (x, y): (f64, f64)) -> bool {
        self.x0 < x && x < self.x1 && self.y0 < y && y < self.y1
    }
    fn shrunk(&self, by: f64) -> Rect {
        Rect {
            x0: self.x0 + by,
            y0: self.y0 + by,
            x1: self.x1 - by,
            y1: self.y1 - by,
        }
    }
    fn inside(&self, o: &Rect) -> bool {
        self.x0 + EPS >= o.x0
            && self.x1 <= o.x1 + EPS
            && self.y0 + EPS >= o.y0
            && self.y1 <= o.y1 + EPS
    }
}

fn bb(v: &Value) -> Option<Rect> {
    let n: Vec<f64> = v
        .as_str()?
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    match n.as_slice() {
        [x0, y0, x1, y1] => Some(Rect {
            x0: *x0,
            y0: *y0,
            x1: *x1,
            y1: *y1,
        }),
        _ => None,
    }
}

fn node_rect(n: &Value) -> Option<Rect> {
    let pos: Vec<f64> = n["pos"]
        .as_str()?
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    let w: f64 = n["width"].as_str()?.parse().ok()?;
    let h: f64 = n["height"].as_str()?.parse().ok()?;
    let (x, y) = (*pos.first()?, *pos.get(1)?);
    Some(Rect {
        x0: x - w * 36.0,
        y0: y - h * 36.0,
        x1: x + w * 36.0,
        y1: y + h * 36.0,
    })
}

/// The boxes of the text a `_ldraw_` list draws (one per line of text).
fn text_rects(ops: &Value) -> Vec<Rect> {
    let mut size = 14.0;
    let mut out = Vec::new();
    for op in ops.as_array().into_iter().flatten() {
        match op["op"].as_str() {
            Some("F") => size = op["size"].as_f64().unwrap_or(size),
            Some("T") => {
                let (Some(x), Some(y)) = (op["pt"][0].as_f64(), op["pt"][1].as_f64()) else {
                    continue;
                };
                let w = op["width"].as_f64().unwrap_or(0.0);
                let x0 = match op["align"].as_str() {
                    Some("l") => x,
                    Some("r") => x - w,
                    _ => x - w / 2.0,
                };
                out.push(Rect {
                    x0,
                    y0: y - 0.2 * size,
                    x1: x0 + w,
                    y1: y + 0.75 * size,
                });
            }
            _ => {}
        }
    }
    out
}

/// Lays `dot` out with Graphviz and returns every overlap found, described.
pub fn overlaps(dot: &str) -> Vec<String> {
    let mut child = Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("dot runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot.as_bytes())
        .expect("dot reads");
    let out = child.wait_with_output().expect("dot lays out");
    let g: Value = serde_json::from_slice(&out.stdout).expect("dot -Tjson is JSON");
    let objects = g["objects"].as_array().cloned().unwrap_or_default();
    let mut problems = Vec::new();

    let name = |o: &Value| o["name"].as_str().unwrap_or("?").to_string();
    let nodes: Vec<(String, Rect)> = objects
        .iter()
        .filter(|o| o.get("pos").is_some() && o["style"].as_str() != Some("invis"))
        .filter_map(|o| Some((name(o), node_rect(o)?)))
        .collect();
    let clusters: Vec<(String, Rect, &Value)> = objects
        .iter()
        .filter(|o| name(o).starts_with("cluster_"))
        .filter_map(|o| Some((name(o), bb(&o["bb"])?, o)))
        .collect();

    for (i, (a, ra)) in nodes.iter().enumerate() {
        for (b, rb) in &nodes[i + 1..] {
            if ra.intersects(rb) {
                problems.push(format!("nodes {a} and {b} overlap"));
            }
        }
    }
    for (c, rc, o) in &clusters {
        for id in o["nodes"].as_array().into_iter().flatten() {
            let Some(n) = id.as_u64().and_then(|i| objects.get(i as usize)) else {
                continue;
            };
            if n["style"].as_str() == Some("invis") {
                continue;
            }
            if let Some(rn) = node_rect(n) {
                if !rn.inside(rc) {
                    problems.push(format!("node {} sticks out of {c}", name(n)));
                }
            }
        }
    }
    for (i, (a, ra, _)) in clusters.iter().enumerate() {
        for (b, rb, _) in &clusters[i + 1..] {
            if ra.intersects(rb) && !ra.inside(rb) && !rb.inside(ra) {
                problems.push(format!("clusters {a} and {b} cross"));
            }
        }
    }

    // Labels: every edge's, and every cluster's title.
    // (owner, description, box): the lines of one label may touch each other.
    let mut labels: Vec<(usize, String, Rect)> = Vec::new();
    let node_name = |v: &Value| {
        v.as_u64()
            .and_then(|i| objects.get(i as usize))
            .map_or("?".to_string(), name)
    };
    for (i, e) in g["edges"].as_array().into_iter().flatten().enumerate() {
        let what = format!(
            "label {:?} of {} -> {}",
            e["label"].as_str().unwrap_or(""),
            node_name(&e["tail"]),
            node_name(&e["head"])
        );
        labels.extend(
            text_rects(&e["_ldraw_"])
                .into_iter()
                .map(|r| (i, what.clone(), r)),
        );
    }
    for (i, (c, _, o)) in clusters.iter().enumerate() {
        let owner = usize::MAX - i;
        labels.extend(
            text_rects(&o["_ldraw_"])
                .into_iter()
                .map(|r| (owner, format!("label of {c}"), r)),
        );
    }
    for (i, (owner, what, r)) in labels.iter().enumerate() {
        for (n, rn) in &nodes {
            if r.intersects(rn) {
                problems.push(format!("{what} lies on node {n}"));
            }
        }
        for (c, rc, _) in &clusters {
            if r.intersects(rc) && !r.inside(rc) {
                problems.push(format!("{what} lies on the border of {c}"));
            }
        }
        for (other_owner, other, ro) in &labels[i + 1..] {
            if r.intersects(ro) && owner != other_owner {
                problems.push(format!("{what} and {other} overlap"));
            }
        }
    }
    // Edge lines: through no node but their own ends, and through no label.
    for e in g["edges"].as_array().into_iter().flatten() {
        if e["style"].as_str() == Some("invis") {
            continue;
        }
        let (tail, head) = (node_name(&e["tail"]), node_name(&e["head"]));
        let points = curve_points(&e["_draw_"]);
        for (n, rn) in &nodes {
            if *n != tail && *n != head && points.iter().any(|p| rn.shrunk(2.0).holds(*p)) {
                problems.push(format!("edge {tail} -> {head} crosses node {n}"));
            }
        }
        for (_, what, r) in &labels {
            if points.iter().any(|p| r.holds(*p)) {
                problems.push(format!("edge {tail} -> {head} crosses {what}"));
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// Points along the Bézier curves a `_draw_` list draws.
fn curve_points(ops: &Value) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for op in ops.as_array().into_iter().flatten() {
        if op["op"].as_str() != Some("b") {
            continue;
        }
        let pts: Vec<(f64, f64)> = op["points"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
            .collect();
        for seg in pts.windows(4).step_by(3) {
            for i in 0..=20 {
                let t = i as f64 / 20.0;
                let u = 1.0 - t;
                let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                let x = (0..4).map(|k| w[k] * seg[k].0).sum();
                let y = (0..4).map(|k| w[k] * seg[k].1).sum();
                out.push((x, y));
            }
        }
    }
    out
}

/// The VPCs whose AZs are not left to right in name order (`cluster_az_VPC__AZ`).
pub fn az_order(dot: &str) -> Vec<String> {
    let mut child = Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("dot runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot.as_bytes())
        .expect("dot reads");
    let out = child.wait_with_output().expect("dot lays out");
    let g: Value = serde_json::from_slice(&out.stdout).expect("dot -Tjson is JSON");
    let mut azs: std::collections::BTreeMap<String, Vec<(f64, String)>> = Default::default();
    for o in g["objects"].as_array().into_iter().flatten() {
        let Some(rest) = o["name"]
            .as_str()
            .and_then(|n| n.strip_prefix("cluster_az_"))
        else {
            continue;
        };
        let (Some((vpc, az)), Some(r)) = (rest.split_once("__"), bb(&o["bb"])) else {
            continue;
        };
        azs.entry(vpc.to_string())
            .or_default()
            .push((r.x0, az.to_string()));
    }
    let mut problems = Vec::new();
    for (vpc, mut list) in azs {
        list.sort_by(|a, b| a.0.total_cmp(&b.0));
        let order: Vec<String> = list.into_iter().map(|(_, az)| az).collect();
        let mut sorted = order.clone();
        sorted.sort();
        if order != sorted {
            problems.push(format!("the AZs of VPC {vpc} are drawn as {order:?}"));
        }
    }
    problems
}
