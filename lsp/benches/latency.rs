//! Latency from `didChange` to `publishDiagnostics`, through the whole server (in process,
//! over `Connection::memory()`): on a generated workspace of 100 files, and on one file of 100
//! VPCs. Each edit toggles a security group rule between port 443 and port 22 open to the
//! world, so the lint findings change (and are published) every time: a full re-check and
//! re-lint of the workspace, the worst case of a keystroke. Prints p50 and p95.
//!
//! `cargo bench -p vnet-lsp --bench latency` (figures in BENCHMARKS.md).

#[path = "../tests/protocol/support.rs"]
#[allow(dead_code)]
mod support;

#[path = "../tests/protocol/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::Client;

const EDITS: usize = 40;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Times `EDITS` edits of `file` in a workspace of `files`, alternating between the text and
/// a variant whose findings differ.
fn measure(name: &str, files: Vec<(String, String)>, file: &str) {
    let root = tempfile::tempdir().expect("temp dir");
    for (path, text) in &files {
        std::fs::write(root.path().join(path), text).expect("write");
    }
    let text = files
        .iter()
        .find(|(p, _)| p == file)
        .map(|(_, t)| t.clone())
        .expect("file");
    let variant = text.replacen(
        "ingress tcp 443  from 0.0.0.0/0",
        "ingress tcp 22  from 0.0.0.0/0",
        1,
    );
    let mut client = Client::start_with(root, json!({}));
    client.open(file);
    client.diagnostics(file);
    let count = |d: &Value| d.as_array().map_or(0, Vec::len);
    let mut times = Vec::new();
    let mut findings = (0, 0);
    for i in 0..EDITS {
        let (next, expect_more) = if i % 2 == 0 {
            (&variant, true)
        } else {
            (&text, false)
        };
        let before = Instant::now();
        client.change_full(file, i as i32 + 2, next);
        let diagnostics = client.diagnostics(file);
        times.push(before.elapsed());
        if expect_more {
            findings.1 = count(&diagnostics);
        } else {
            findings.0 = count(&diagnostics);
        }
    }
    times.sort();
    let lines: usize = files.iter().map(|(_, t)| t.lines().count()).sum();
    println!(
        "{name}: {} files, {lines} lines, {EDITS} edits ({} / {} findings in the edited file): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        files.len(),
        findings.0,
        findings.1,
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.95).as_secs_f64() * 1000.0,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
    client.shutdown();
    compiler_alone(&files, file, &text, &variant);
}

/// The same edits applied to a database directly, with the same queries the server runs for
/// diagnostics (compile errors, then the configured lint findings): the compiler's share of the
/// latency above.
fn compiler_alone(files: &[(String, String)], file: &str, text: &str, variant: &str) {
    use vnet::db::Database;
    let mut db = Database::default();
    let ws = db.workspace(files.to_vec());
    let edited = ws
        .files(&db)
        .iter()
        .copied()
        .find(|f| f.path(&db) == file)
        .expect("file");
    let config = vnet::lint::config::LintConfig::default();
    let mut times = Vec::new();
    for i in 0..EDITS {
        let next = if i % 2 == 0 { variant } else { text };
        let before = Instant::now();
        db.set_text(edited, next.to_string());
        let errors = vnet::diagnostics::render::compile_diagnostics(&db, ws);
        assert!(errors.is_empty());
        let findings = vnet::lint::report::findings(&db, ws, &config);
        std::hint::black_box(findings);
        times.push(before.elapsed());
    }
    times.sort();
    println!(
        "  compiler alone (same edits, check + lint queries): p50 {:.1} ms, p95 {:.1} ms",
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.95).as_secs_f64() * 1000.0,
    );
}

fn main() {
    // `cargo test --benches` runs benches with `--bench` absent: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    measure(
        "workspace of 100 files",
        generate::many_files(100),
        "v50.vnet",
    );
    measure(
        "one large file",
        vec![("big.vnet".to_string(), generate::one_file(100))],
        "big.vnet",
    );
}
