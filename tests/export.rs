//! `vnetc build --emit cloudformation|terraform` on every example: the CloudFormation
//! template passes `cfn-lint` with no errors; the Terraform JSON is parsed by Checkov with no
//! parsing errors and every reference in it names a resource, data source or variable it
//! declares; snapshots of both for two examples.
//!
//! The tools come from PyPI (`.ci/run` installs them and sets `CFN_LINT` and `CHECKOV`);
//! without them the tool checks are skipped with a note, except under `CI=true`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn emit(kind: &str, example: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vnetc"))
        .args(["build", "--emit", kind])
        .arg(example)
        .output()
        .expect("vnetc runs");
    assert!(
        out.status.success(),
        "{}: {}",
        example.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn examples() -> Vec<PathBuf> {
    common::vnet_files(&common::root().join("examples"))
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// The tool named by `env` (or found on PATH as `name`); `None` with a note when missing,
/// a failure under CI.
fn tool(env: &str, name: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(name));
    let works = Command::new(&candidate)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(candidate);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{name} is required in CI (set {env}; .ci/run installs it)"
    );
    eprintln!("note: {name} not found (set {env}); skipping its check");
    None
}

#[test]
fn cloudformation_passes_cfn_lint_on_every_example() {
    let dir = common::scratch("cfn");
    let mut files = Vec::new();
    for example in examples() {
        let text = emit("cloudformation", &example);
        let doc: serde_json::Value = serde_json::from_str(&text).expect("the template is JSON");
        assert!(
            doc["Resources"].as_object().is_some_and(|r| !r.is_empty()),
            "{}",
            example.display()
        );
        let file = dir.join(format!("{}.json", stem(&example)));
        std::fs::write(&file, text).expect("write template");
        files.push(file);
    }
    let Some(cfn_lint) = tool("CFN_LINT", "cfn-lint") else {
        return;
    };
    let out = Command::new(cfn_lint)
        .args(["--format", "json"])
        .args(&files)
        .output()
        .expect("cfn-lint runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint output: {e}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let errors: Vec<String> = report
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["Level"] == "Error")
        .map(|m| format!("{}: {} {}", m["Filename"], m["Rule"]["Id"], m["Message"]))
        .collect();
    assert!(errors.is_empty(), "cfn-lint errors:\n{}", errors.join("\n"));
}

/// Every `${type.name...}`, `${data.type.name...}` and `${var.name}` in `value`.
fn references(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(start) = rest.find("${") {
                let after = &rest[start + 2..];
                let end = after.find('}').unwrap_or(after.len());
                let expr = &after[..end];
                // `cidrsubnet(aws_vpc.x.ipv6_cidr_block, 8, 1)`: the reference inside.
                let expr = expr
                    .split(['(', ',', ')'])
                    .map(str::trim)
                    .find(|p| p.contains('.'))
                    .unwrap_or(expr);
                let parts: Vec<&str> = expr.split('.').collect();
                let key = match parts.as_slice() {
                    ["var", name, ..] => format!("var.{name}"),
                    ["data", kind, name, ..] => format!("data.{kind}.{name}"),
                    ["path", ..] => String::new(),
                    [kind, name, ..] => format!("{kind}.{name}"),
                    _ => expr.to_string(),
                };
                if !key.is_empty() {
                    out.insert(key);
                }
                rest = &after[end..];
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if k == "depends_on" {
                    for d in v
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|d| d.as_str())
                    {
                        out.insert(d.to_string());
                    }
                } else {
                    references(v, out);
                }
            }
        }
        _ => {}
    }
}

fn declared(doc: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (prefix, key) in [("", "resource"), ("data.", "data")] {
        for (kind, by_name) in doc[key].as_object().into_iter().flatten() {
            for name in by_name.as_object().into_iter().flatten().map(|(n, _)| n) {
                out.insert(format!("{prefix}{kind}.{name}"));
            }
        }
    }
    for name in doc["variable"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(n, _)| n)
    {
        out.insert(format!("var.{name}"));
    }
    out
}

#[test]
fn terraform_references_resolve_and_checkov_parses_every_example() {
    let dir = common::scratch("tf");
    let mut files = Vec::new();
    let mut all_resources = BTreeSet::new();
    for example in examples() {
        let text = emit("terraform", &example);
        let doc: serde_json::Value =
            serde_json::from_str(&text).expect("the configuration is JSON");
        let declared = declared(&doc);
        let mut used = BTreeSet::new();
        references(&doc["resource"], &mut used);
        references(&doc["data"], &mut used);
        let dangling: Vec<&String> = used.difference(&declared).collect();
        assert!(
            dangling.is_empty(),
            "{}: references to undeclared {dangling:?}",
            example.display()
        );
        assert!(
            declared.iter().any(|d| d.starts_with("aws_vpc.")),
            "{}",
            example.display()
        );
        all_resources.extend(
            declared
                .into_iter()
                .filter(|d| !d.starts_with("var.") && !d.starts_with("data.")),
        );
        let file = dir.join(format!("{}.tf.json", stem(&example)));
        std::fs::write(&file, text).expect("write configuration");
        files.push(file);
    }
    let Some(checkov) = tool("CHECKOV", "checkov") else {
        return;
    };
    let mut cmd = Command::new(checkov);
    cmd.args([
        "--framework",
        "terraform_json",
        "--skip-download",
        "--soft-fail",
        "-o",
        "json",
        "--quiet",
    ]);
    for f in &files {
        cmd.arg("-f").arg(f);
    }
    let out = cmd.output().expect("checkov runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "checkov output: {e}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let report = if report.is_array() {
        report[0].clone()
    } else {
        report
    };
    assert_eq!(
        report["summary"]["parsing_errors"], 0,
        "checkov could not parse: {report}"
    );
    // Checkov read the resources: every resource it checked is one the exporter wrote.
    let checked: BTreeSet<String> = ["passed_checks", "failed_checks"]
        .iter()
        .flat_map(|k| report["results"][k].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["resource"].as_str().map(str::to_string))
        .collect();
    assert!(
        checked.iter().any(|r| r.starts_with("aws_vpc.")),
        "checkov checked no VPC: {checked:?}"
    );
    // Some checks (graph checks) name a resource `resource.NAME`, without its type.
    let names: BTreeSet<String> = all_resources
        .iter()
        .filter_map(|r| r.split_once('.'))
        .map(|(_, n)| format!("resource.{n}"))
        .collect();
    let unknown: Vec<&String> = checked
        .iter()
        .filter(|r| !all_resources.contains(*r) && !names.contains(*r))
        .collect();
    assert!(
        unknown.is_empty(),
        "checkov saw resources the exporter did not write: {unknown:?}"
    );
}

#[test]
fn exported_snapshots() {
    for name in ["two-tier", "hub"] {
        let example = common::root().join(format!("examples/{name}.vnet"));
        insta::assert_snapshot!(
            format!("export_cloudformation_{name}"),
            emit("cloudformation", &example)
        );
        insta::assert_snapshot!(
            format!("export_terraform_{name}"),
            emit("terraform", &example)
        );
    }
}
