//! SARIF output validated by Microsoft's SARIF Multitool against the official SARIF 2.1.0
//! JSON schema (both from the npm package `@microsoft/sarif-multitool-linux`, which `.ci/run`
//! installs and points to with `SARIF_MULTITOOL` and `SARIF_SCHEMA`). Outside CI, without
//! them, the test says so and returns.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn tool() -> Option<(PathBuf, PathBuf)> {
    let multitool = std::env::var_os("SARIF_MULTITOOL").map(PathBuf::from);
    let schema = std::env::var_os("SARIF_SCHEMA").map(PathBuf::from);
    match (multitool, schema) {
        (Some(m), Some(s)) if m.exists() && s.exists() => Some((m, s)),
        _ => None,
    }
}

#[test]
fn sarif_output_is_valid_against_the_official_schema() {
    let Some((multitool, schema)) = tool() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must provide SARIF_MULTITOOL and SARIF_SCHEMA (see .ci/run)"
        );
        eprintln!("SARIF_MULTITOOL/SARIF_SCHEMA not set: skipping the SARIF validation (.ci/run sets them)");
        return;
    };
    let dir = common::scratch("sarif");
    // Findings with fixes and related locations, by relative and by absolute path.
    let absolute = dir.join("db-return.vnet");
    std::fs::copy(common::root().join("examples/db-return.vnet"), &absolute).unwrap();
    let inputs = [
        "examples/nat-detour.vnet".to_string(),
        absolute.to_string_lossy().to_string(),
        "tests/fixtures/lint/endpoint-unused/fires-interface-nobody-uses.vnet".to_string(),
        // Compile errors come out as SARIF results too.
        "tests/fixtures/check/err/E0001-three-blocks.vnet".to_string(),
    ];
    for (i, input) in inputs.iter().enumerate() {
        let out = Command::new(env!("CARGO_BIN_EXE_vnetc"))
            .args(["lint", "--format", "sarif", input])
            .current_dir(common::root())
            .output()
            .unwrap();
        let sarif = dir.join(format!("{i}.sarif"));
        std::fs::write(&sarif, &out.stdout).unwrap();
        let log = dir.join(format!("{i}.validation.sarif"));
        let status = Command::new(&multitool)
            .arg("validate")
            .arg("-j")
            .arg(&schema)
            .arg(&sarif)
            .arg("-o")
            .arg(&log)
            .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stdout)
        );
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
        let problems: Vec<String> = report["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter(|r| r["level"] != "note")
            .map(|r| format!("{} {}", r["ruleId"], r["message"]))
            .collect();
        assert!(problems.is_empty(), "{input}: {problems:#?}");
    }
}
