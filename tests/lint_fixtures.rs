//! Lint rule fixtures: `tests/fixtures/lint/<rule-id>/fires-*.vnet` must report the rule,
//! `ok-*.vnet` (near misses) must not. Each runs with the default rules plus the rule itself
//! (so that opt-in rules are tested too), and its snapshot shows the human and the JSON output
//! a user sees. Every registered rule has at least one of each.

mod common;

use std::path::{Path, PathBuf};

use vnet::db::Database;
use vnet::diagnostics::render;
use vnet::lint::config::LintConfig;
use vnet::lint::{registry, report};

fn lint_file(path: &Path, rule: &str) -> (String, serde_json::Value, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let db = Database::default();
    let ws = db.workspace(vec![(common::relative(path), text)]);
    let errors = render::compile_diagnostics(&db, ws);
    assert!(
        errors.is_empty(),
        "{} has compile errors:\n{}",
        path.display(),
        render::human_string(&render::files(&db, ws), &errors)
    );
    let mut config = LintConfig::default();
    let mut select: Vec<String> = registry::all()
        .iter()
        .filter(|r| r.default)
        .map(|r| r.id.to_string())
        .collect();
    select.push(rule.to_string());
    config.select = Some(select);
    let findings = report::findings(&db, ws, &config);
    let human = render::human_string(&render::files(&db, ws), &findings);
    // `vnetc lint` runs the rules outside the database and moves the findings: the same.
    let once = report::findings_once(&db, ws, &config);
    assert_eq!(once, findings, "{}", path.display());
    let json: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let p = render::json_place(&db, ws, f.primary);
            serde_json::json!({
                "rule": f.code.0, "severity": f.severity, "resource": f.resource,
                "line": p.line, "column": p.column, "message": f.message,
                "fix": f.fix.as_ref().map(|(title, _)| title),
            })
        })
        .collect();
    let rules = findings.iter().map(|f| f.code.0.to_string()).collect();
    (human, serde_json::Value::Array(json), rules)
}

fn fixture_dirs() -> Vec<PathBuf> {
    let root = common::root().join("tests/fixtures/lint");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|e| {
            e.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

#[test]
fn every_rule_has_firing_and_clean_fixtures() {
    for rule in registry::all() {
        let dir = common::root().join("tests/fixtures/lint").join(rule.id);
        let files: Vec<String> = common::vnet_files(&dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        assert!(
            files.iter().any(|f| f.starts_with("fires")),
            "{}: no fires-*.vnet fixture",
            rule.id
        );
        assert!(
            files.iter().any(|f| f.starts_with("ok")),
            "{}: no ok-*.vnet fixture",
            rule.id
        );
    }
}

#[test]
fn lint_fixtures() {
    for dir in fixture_dirs() {
        let rule = dir.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            registry::find(&rule).is_some(),
            "{}: not a rule id",
            dir.display()
        );
        for path in common::vnet_files(&dir) {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let (human, json, rules) = lint_file(&path, &rule);
            if name.starts_with("fires") {
                assert!(
                    rules.contains(&rule),
                    "{}: `{rule}` should fire:\n{human}",
                    path.display()
                );
            } else {
                assert!(
                    !rules.contains(&rule),
                    "{}: `{rule}` should not fire:\n{human}",
                    path.display()
                );
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let body = format!(
                "----- SOURCE {}\n{source}----- HUMAN\n{}----- JSON\n{}\n",
                common::relative(&path),
                if human.is_empty() {
                    "(no findings)\n"
                } else {
                    &human
                },
                serde_json::to_string_pretty(&json).unwrap()
            );
            insta::assert_snapshot!(format!("{rule}__{name}"), body);
        }
    }
}

#[test]
fn reference_programs_produce_exactly_their_stated_findings() {
    let expected: &[(&str, &[(&str, &str)])] = &[
        ("two-tier.vnet", &[]),
        (
            "nat-detour.vnet",
            &[("nat-instead-of-gateway-endpoint", "batch.private")],
        ),
        (
            "db-return.vnet",
            &[("nacl-missing-return", "shop.data_acl")],
        ),
        ("hub.vnet", &[]),
    ];
    for (file, findings) in expected {
        let path = common::root().join("examples").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let db = Database::default();
        let ws = db.workspace(vec![(file.to_string(), text)]);
        let got: Vec<(String, String)> = report::findings(&db, ws, &LintConfig::default())
            .iter()
            .map(|f| (f.code.0.to_string(), f.resource.clone().unwrap_or_default()))
            .collect();
        let want: Vec<(String, String)> = findings
            .iter()
            .map(|(r, res)| (r.to_string(), res.to_string()))
            .collect();
        assert_eq!(got, want, "{file}");
    }
}
