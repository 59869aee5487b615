//! `vnetc diagram` as a user runs it: DOT and Mermaid snapshots of every example (network
//! view, and with `--flows`), SVG through Graphviz checked as XML that names every subnet,
//! Graphviz's own layout checked for overlaps, and the command's errors.
//!
//! Graphviz (`dot`) is needed for the SVG and layout tests. Outside CI they are skipped with a
//! notice when it is missing; in CI (`CI=true`, where `.ci/run` installs it) they fail.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

fn vnetc(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vnetc"))
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .output()
        .expect("vnetc runs");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `vnetc diagram ARGS... FILE` for an example, which must succeed; its standard output.
fn diagram(path: &Path, args: &[&str]) -> String {
    let file = common::relative(path);
    let mut all = vec!["diagram"];
    all.extend_from_slice(args);
    all.push(&file);
    let (code, stdout, stderr) = vnetc(&all);
    assert_eq!(code, 0, "vnetc {all:?} failed: {stderr}");
    String::from_utf8(stdout).expect("text output is UTF-8")
}

#[test]
fn dot_snapshots() {
    insta::glob!("../examples", "*.vnet", |path| {
        insta::assert_snapshot!(diagram(path, &["--format", "dot"]));
    });
}

#[test]
fn dot_flows_snapshots() {
    insta::glob!("../examples", "*.vnet", |path| {
        insta::assert_snapshot!(diagram(path, &["--format", "dot", "--flows"]));
    });
}

#[test]
fn mermaid_snapshots() {
    insta::glob!("../examples", "*.vnet", |path| {
        insta::assert_snapshot!(diagram(path, &["--format", "mermaid"]));
    });
}

#[test]
fn mermaid_flows_snapshots() {
    insta::glob!("../examples", "*.vnet", |path| {
        insta::assert_snapshot!(diagram(path, &["--format", "mermaid", "--flows"]));
    });
}

#[test]
fn one_vpc_and_what_it_connects_to() {
    let hub = common::root().join("examples/hub.vnet");
    let dot = diagram(&hub, &["--vpc", "spoke"]);
    // The spoke in full, the hub as one node behind the transit gateway.
    assert!(dot.contains("subgraph cluster_vpc_spoke"), "{dot}");
    assert!(!dot.contains("subgraph cluster_vpc_hub"), "{dot}");
    assert!(dot.contains("vpc_hub [id=vpc_hub"), "{dot}");
    assert!(dot.contains("tgw_core"), "{dot}");
    insta::assert_snapshot!(dot);
}

#[test]
fn output_is_deterministic() {
    let path = common::root().join("examples/hybrid.vnet");
    for format in ["dot", "mermaid"] {
        let first = diagram(&path, &["--format", format, "--flows"]);
        let second = diagram(&path, &["--format", format, "--flows"]);
        assert_eq!(first, second);
    }
}

#[test]
fn findings_are_marked_where_they_apply() {
    let path = common::root().join("examples/db-return.vnet");
    let dot = diagram(&path, &[]);
    // The data subnet's NACL drops the replies: the subnet is marked, in red, with the
    // finding's message as its tooltip.
    let data = dot
        .lines()
        .skip_while(|l| !l.contains("subgraph cluster_subnet_shop__data"))
        .nth(1)
        .expect("the data subnet is drawn");
    assert!(data.contains("color=\"#d13212\""), "{data}");
    assert!(data.contains("⚠ 1"), "{data}");
    assert!(data.contains("drops the replies"), "{data}");
    // The caption lists the finding.
    assert!(dot.contains("⚠ 1 nacl-missing-return"), "{dot}");
    // The broken flow: dashed and red, through its label.
    let flows = diagram(&path, &["--flows"]);
    let label = flows
        .lines()
        .find(|l| l.contains("tcp 5432 ✗ reply dropped"))
        .expect("the flow's label is drawn");
    assert!(label.contains("fontcolor=\"#d13212\""), "{label}");
    let id = label.trim().split(' ').next().unwrap_or_default();
    let edge = flows
        .lines()
        .find(|l| l.contains(&format!("wl_shop__api__app -> {id} [")))
        .expect("the flow is drawn");
    assert!(edge.contains("style=dashed"), "{edge}");
    assert!(edge.contains("color=\"#d13212\""), "{edge}");
}

#[test]
fn errors_are_one_line_with_exit_codes() {
    let (code, _, stderr) = vnetc(&["diagram", "--vpc", "spok", "examples/hub.vnet"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("did you mean `spoke`?"), "{stderr}");

    let (code, _, stderr) = vnetc(&["diagram", "no/such/file.vnet"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let out = std::env::temp_dir().join("vnet-diagram-no-such-dir/x.dot");
    let out = out.to_string_lossy();
    let (code, _, stderr) = vnetc(&["diagram", "-o", &out, "examples/hub.vnet"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let (code, stdout, stderr) = vnetc(&[
        "diagram",
        "tests/fixtures/check/err/E0002-unknown-name-did-you-mean.vnet",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("nothing drawn"), "{stderr}");
}

#[test]
fn missing_graphviz_names_the_package() {
    let out = Command::new(env!("CARGO_BIN_EXE_vnetc"))
        .args(["diagram", "--format", "svg", "examples/hub.vnet"])
        .current_dir(common::root())
        .env("PATH", "")
        .output()
        .expect("vnetc runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("`graphviz`"), "{stderr}");
}

/// Whether Graphviz's `dot` runs; in CI its absence is a failure.
fn graphviz() -> bool {
    let found = Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "Graphviz's `dot` is not installed (apt-get install graphviz)"
        );
        eprintln!("note: Graphviz's `dot` is not installed; skipping (apt-get install graphviz)");
    }
    found
}

/// The local names of the subnets of an example.
fn subnets(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("example is readable");
    let db = vnet::db::Database::default();
    let ws = db.workspace(vec![(common::relative(path), text)]);
    vnet::db::network(&db, ws)
        .subnets
        .iter()
        .map(|s| {
            s.name
                .split_once('.')
                .map_or(&*s.name, |(_, n)| n)
                .to_string()
        })
        .collect()
}

#[test]
fn svg_is_well_formed_and_names_every_subnet() {
    if !graphviz() {
        return;
    }
    insta::glob!("../examples", "*.vnet", |path| {
        for flows in [false, true] {
            let mut args = vec!["diagram", "--format", "svg"];
            if flows {
                args.push("--flows");
            }
            let file = common::relative(path);
            args.push(&file);
            let (code, stdout, stderr) = vnetc(&args);
            assert_eq!(code, 0, "{stderr}");
            let svg = String::from_utf8(stdout).expect("SVG is UTF-8");
            // Graphviz writes a DOCTYPE.
            let options = roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            };
            let doc = roxmltree::Document::parse_with_options(&svg, options)
                .unwrap_or_else(|e| panic!("{file}: SVG is not well-formed XML: {e}"));
            assert_eq!(doc.root_element().tag_name().name(), "svg");
            let texts: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .collect();
            for subnet in subnets(path) {
                assert!(
                    texts.contains(&subnet.as_str()),
                    "{file}: no subnet `{subnet}` in the SVG"
                );
            }
        }
    });
}

#[test]
fn png_is_a_png() {
    if !graphviz() {
        return;
    }
    let dir = common::scratch("diagram");
    let out = dir.join("hub.png");
    let out_s = out.to_string_lossy().into_owned();
    let (code, _, stderr) = vnetc(&[
        "diagram",
        "--format",
        "png",
        "-o",
        &out_s,
        "examples/hub.vnet",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(&out).expect("the PNG is written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[path = "diagram/layout.rs"]
mod layout;

#[test]
fn nothing_overlaps() {
    if !graphviz() {
        return;
    }
    let mut problems = Vec::new();
    for path in common::vnet_files(&common::root().join("examples")) {
        for flows in [false, true] {
            let mut args = vec!["--format", "dot"];
            if flows {
                args.push("--flows");
            }
            let dot = diagram(&path, &args);
            let mut found = layout::overlaps(&dot);
            // AZs in name order: guaranteed for the network view only (flows may make
            // Graphviz reorder them to avoid crossings).
            if !flows {
                found.extend(layout::az_order(&dot));
            }
            for p in found {
                problems.push(format!("{} (flows: {flows}): {p}", common::relative(&path)));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
