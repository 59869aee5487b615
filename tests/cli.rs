//! `vnetc` as a user runs it: exit codes, one-line usage and I/O errors, output formats.

mod common;

use std::path::Path;
use std::process::Command;

fn vnetc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vnetc"))
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .output()
        .expect("vnetc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn examples_check_clean() {
    let (code, stdout, stderr) = vnetc(&["check", "examples"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("no errors"), "{stderr}");
}

#[test]
fn compile_errors_exit_1_with_codes_and_locations() {
    let (code, stdout, _) = vnetc(&["check", "tests/fixtures/check/err/E0001-three-blocks.vnet"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("error[E0001]"), "{stdout}");
    assert!(stdout.contains("E0001-three-blocks.vnet:10:5"), "{stdout}");
}

#[test]
fn json_output_carries_code_and_position() {
    let (code, stdout, _) = vnetc(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/check/err/E0001-three-blocks.vnet",
    ]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(report["version"], 1);
    let first = &report["diagnostics"][0];
    assert_eq!(first["code"], "E0001");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["line"], 10);
    assert_eq!(first["column"], 5);
    assert!(first["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `route_table`"));
    assert!(report["summary"]["errors"].as_u64().unwrap() >= 3);
}

#[test]
fn missing_path_is_a_usage_error() {
    let (code, stdout, stderr) = vnetc(&["check", "no/such/file.vnet"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr.trim(),
        "error: no/such/file.vnet: no such file or directory"
    );
}

#[test]
fn non_utf8_file_is_an_io_error() {
    let dir = common::scratch("utf8");
    let file = dir.join("bad.vnet");
    std::fs::write(&file, b"vpc a {\xff\xfe}\n").unwrap();
    let (code, _, stderr) = vnetc(&["check", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("not UTF-8 text (invalid byte at offset 7)"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn directory_without_vnet_files_is_a_usage_error() {
    let dir = common::scratch("empty");
    std::fs::write(dir.join("notes.txt"), "nothing").unwrap();
    let (code, _, stderr) = vnetc(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no .vnet file in this directory"),
        "{stderr}"
    );
}

#[test]
fn directory_is_searched_recursively_and_names_resolve_across_files() {
    let dir = common::scratch("multi");
    std::fs::create_dir_all(dir.join("vpcs")).unwrap();
    std::fs::write(
        dir.join("vpcs/a.vnet"),
        "vpc a { region us-east-1  cidr 10.0.0.0/16 }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("links.vnet"),
        "peering p { requester a  accepter b }\n",
    )
    .unwrap();
    let (code, stdout, _) = vnetc(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.contains("unknown name `b`"), "{stdout}");
    assert!(!stdout.contains("unknown name `a`"), "{stdout}");
}

#[test]
fn explain_prints_the_error_documentation() {
    let (code, stdout, _) = vnetc(&["explain", "E0002"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("E0002: unknown name"), "{stdout}");
    let (code, _, stderr) = vnetc(&["explain", "E9999"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown code"), "{stderr}");
}

#[test]
fn every_code_is_documented() {
    for (code, _) in vnet::diagnostics::codes::ALL {
        let text = vnet::diagnostics::codes::explain(code.0).expect("documented");
        assert!(!text.contains("TODO"), "{code} is not documented yet");
        assert!(text.lines().count() > 4, "{code}: {text}");
    }
}

#[test]
fn help_explains_each_subcommand() {
    let (code, stdout, _) = vnetc(&["--help"]);
    assert_eq!(code, 0);
    for sub in ["check", "build", "explain"] {
        assert!(stdout.contains(sub), "{stdout}");
    }
    let (code, _, stderr) = vnetc(&["check", "--format", "xml"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn build_emits_versioned_ir() {
    let (code, stdout, stderr) = vnetc(&["build", "--emit", "ir", "examples/hub.vnet"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["version"], vnet::ir::IR_VERSION);
    let network = &doc["network"];
    assert_eq!(network["vpcs"][0]["name"], "hub");
    assert_eq!(network["transit_gateways"][0]["name"], "core");
    // AWS defaults are explicit: every VPC has a default NACL and its route tables local routes.
    assert!(network["nacls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["default"] == true));
    assert!(Path::new("docs/ir.md").exists() || common::root().join("docs/ir.md").exists());
}

#[test]
fn reach_answers_with_verdict_hops_and_exit_code() {
    let (code, stdout, _) = vnetc(&[
        "reach",
        "api",
        "orders",
        "--port",
        "5432",
        "examples/db-return.vnet",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.starts_with("api -> orders tcp 5432: reply dropped"),
        "{stdout}"
    );
    assert!(
        stdout.contains("security_group shop.db_sg ingress"),
        "{stdout}"
    );
    assert!(
        stdout.contains("no rule matches, implicit deny (*)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("outbound 110 allow tcp 1024-65535 to 172.16.1.0/24"),
        "{stdout}"
    );

    let (code, stdout, _) = vnetc(&["reach", "internet", "web", "examples/two-tier.vnet"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.starts_with("internet -> web tcp 443: delivered and answered"),
        "{stdout}"
    );
}

#[test]
fn reach_json_carries_explanation_codes() {
    let (code, stdout, _) = vnetc(&[
        "reach",
        "api",
        "orders",
        "--port",
        "5432",
        "--format",
        "json",
        "examples/db-return.vnet",
    ]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["outcome"], "reply_dropped");
    assert_eq!(doc["delivered_any"], true);
    let drop = &doc["traces"][0]["drops"][0];
    assert_eq!(drop["explanation"], "SUBNET_ACL_RESTRICTION");
    assert_eq!(drop["leg"], "reply");
    assert_eq!(drop["ports"], "1024-5431, 5433-65535");
    assert_eq!(drop["component"], "nacl shop.data_acl outbound");
}

#[test]
fn reach_usage_errors_exit_2() {
    let (code, _, stderr) = vnetc(&["reach", "apj", "orders", "examples/db-return.vnet"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `shop.api`"), "{stderr}");
    let (code, _, stderr) = vnetc(&[
        "reach",
        "api",
        "orders",
        "--port",
        "70000",
        "examples/db-return.vnet",
    ]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = vnetc(&[
        "reach",
        "api",
        "orders",
        "--proto",
        "icmp",
        "--port",
        "1",
        "examples/db-return.vnet",
    ]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = vnetc(&["reach", "api"]);
    assert_eq!(code, 2);
}

#[test]
fn ephemeral_ports_come_from_vnet_toml() {
    let dir = common::scratch("toml");
    let net = std::fs::read_to_string(common::root().join("examples/db-return.vnet")).unwrap();
    // Replies only to Linux's ephemeral range, which the NACL lets out once widened to it.
    let net = net.replace(
        "outbound 100 allow tcp 5432 to   172.16.1.0/24",
        "outbound 100 allow tcp 32768-60999 to 172.16.1.0/24",
    );
    std::fs::write(dir.join("net.vnet"), net).unwrap();
    let dir_s = dir.to_str().unwrap();
    let (code, stdout, _) = vnetc(&["reach", "api", "orders", "--port", "5432", dir_s]);
    assert_eq!(
        code, 1,
        "default 1024-65535 replies are partly dropped: {stdout}"
    );
    std::fs::write(dir.join("vnet.toml"), "ephemeral_ports = \"32768-60999\"\n").unwrap();
    let (code, stdout, _) = vnetc(&["reach", "api", "orders", "--port", "5432", dir_s]);
    assert_eq!(code, 0, "{stdout}");
    std::fs::write(dir.join("vnet.toml"), "ephemeral_ports = \"9-1\"\n").unwrap();
    let (code, _, stderr) = vnetc(&["reach", "api", "orders", "--port", "5432", dir_s]);
    assert_eq!(code, 2);
    assert!(stderr.contains("vnet.toml"), "{stderr}");
}

#[test]
fn lint_reports_findings_with_exit_codes() {
    // db-return: the violated expect is reported once, as the NACL finding that explains it.
    let (code, stdout, _) = vnetc(&["lint", "examples/db-return.vnet"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[nacl-missing-return]"), "{stdout}");
    assert!(!stdout.contains("expect-violated"), "{stdout}");
    let (code, _, _) = vnetc(&["lint", "examples/two-tier.vnet"]);
    assert_eq!(code, 0);
    let (code, stdout, _) = vnetc(&["lint", "--format", "json", "examples/db-return.vnet"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "nacl-missing-return");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["resource"], "shop.data_acl");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(17), Some(8))
    );
    assert!(f["end_line"].is_u64() && f["end_column"].is_u64());
    assert_eq!(
        f["fix"]["edits"][0]["replacement"],
        "    outbound 110 allow tcp 1024-65535 to 172.16.1.0/24\n"
    );
    let (code, stdout, _) = vnetc(&[
        "lint",
        "tests/fixtures/lint/expect-violated/fires-no-route.vnet",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.contains("error[expect-violated]"), "{stdout}");
    // Warnings fail by default, not with --fail-on error.
    let (code, _, _) = vnetc(&["lint", "examples/nat-detour.vnet"]);
    assert_eq!(code, 1);
    let (code, _, _) = vnetc(&["lint", "--fail-on", "error", "examples/nat-detour.vnet"]);
    assert_eq!(code, 0);
    let (code, _, _) = vnetc(&["lint", "--ignore", "cost", "examples/nat-detour.vnet"]);
    assert_eq!(code, 0);
    let (code, _, stderr) = vnetc(&[
        "lint",
        "--select",
        "nat-instead-of-gateway-endpont",
        "examples/nat-detour.vnet",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean `nat-instead-of-gateway-endpoint`"),
        "{stderr}"
    );
    let (code, _, _) = vnetc(&["lint", "tests/fixtures/check/err/E0001-three-blocks.vnet"]);
    assert_eq!(code, 2, "compile errors stop linting");
}

#[test]
fn lint_fix_round_trips() {
    for example in ["db-return.vnet", "nat-detour.vnet"] {
        let dir = common::scratch(&format!("fix-{example}"));
        let file = dir.join(example);
        std::fs::copy(common::root().join("examples").join(example), &file).unwrap();
        let before = std::fs::read_to_string(&file).unwrap();
        let (code, diff, _) = vnetc(&["lint", "--diff", file.to_str().unwrap()]);
        assert_eq!(code, 1);
        assert!(diff.contains("+++ "), "{diff}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            before,
            "--diff writes nothing"
        );
        let (code, _, stderr) = vnetc(&["lint", "--fix", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
        let after = std::fs::read_to_string(&file).unwrap();
        for comment in before.lines().filter_map(|l| l.find('#').map(|i| &l[i..])) {
            assert!(after.contains(comment), "comment lost: {comment}");
        }
        let (code, _, _) = vnetc(&["check", file.to_str().unwrap()]);
        assert_eq!(code, 0);
    }
}

#[test]
fn sarif_and_github_formats() {
    let (code, stdout, _) = vnetc(&["lint", "--format", "sarif", "examples/db-return.vnet"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "vnetc");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "nacl-missing-return");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        17
    );
    assert!(
        result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
            .is_string()
    );
    let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][rule_index]["id"],
        "nacl-missing-return"
    );
    let (_, stdout, _) = vnetc(&["lint", "--format", "github", "examples/db-return.vnet"]);
    assert!(
        stdout.starts_with("::error file=examples/db-return.vnet,line=17,col=8,"),
        "{stdout}"
    );
}

#[test]
fn rules_and_explain_come_from_the_registry() {
    let (code, stdout, _) = vnetc(&["rules"]);
    assert_eq!(code, 0);
    for rule in vnet::lint::registry::all() {
        assert!(stdout.contains(rule.id), "{}", rule.id);
        let (code, text, _) = vnetc(&["explain", rule.id]);
        assert_eq!(code, 0);
        assert!(
            text.contains("**What it does.**") && text.contains("**Fix.**"),
            "{}: {text}",
            rule.id
        );
    }
}

#[test]
fn flows_lists_intended_flows_with_verdicts() {
    let (code, stdout, _) = vnetc(&["flows", "examples/two-tier.vnet"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("ok   internet -> prod.web tcp 443: delivered and answered"),
        "{stdout}"
    );
    assert!(
        stdout.contains("prod.web -> prod.app_1 tcp 8080"),
        "{stdout}"
    );
    assert!(stdout.contains("prod.app_1 -> s3 tcp 443"), "{stdout}");
    let (code, stdout, _) = vnetc(&["flows", "examples/db-return.vnet"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("FAIL shop.api -> shop.orders tcp 5432: reply dropped"),
        "{stdout}"
    );
}

/// A scratch copy of `tests/fixtures/fix/NAME` (for `--fix` to rewrite): the directory (kept
/// while the test runs), the file and its text before.
fn copy_of_fix_fixture(name: &str) -> (common::Scratch, std::path::PathBuf, String) {
    let dir = common::scratch(&format!("fix-{name}"));
    let file = dir.join(name);
    std::fs::copy(common::root().join("tests/fixtures/fix").join(name), &file).unwrap();
    let before = std::fs::read_to_string(&file).unwrap();
    (dir, file, before)
}

/// Every comment of `before` is still in `after`.
fn assert_comments_kept(before: &str, after: &str) {
    for comment in before.lines().filter_map(|l| l.find('#').map(|i| &l[i..])) {
        assert!(after.contains(comment), "comment lost: {comment}\n{after}");
    }
}

/// `tests/fixtures/fix/NAME` after `vnetc lint --fix` on a scratch copy, which must exit 0,
/// keep every comment and leave nothing for `vnetc lint` to report.
struct Fixed {
    /// The scratch directory, kept while the test runs.
    _dir: common::Scratch,
    file: std::path::PathBuf,
    /// The file after the fix.
    after: String,
    /// What `--fix` printed (stdout, then stderr).
    said: String,
}

fn fixed_clean(name: &str) -> Fixed {
    let (dir, file, before) = copy_of_fix_fixture(name);
    let (code, stdout, stderr) = vnetc(&["lint", "--fix", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert_comments_kept(&before, &after);
    let (code, lint, _) = vnetc(&["lint", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{lint}");
    Fixed {
        _dir: dir,
        file,
        after,
        said: format!("{stdout}{stderr}"),
    }
}

#[test]
fn lint_fix_applies_clashing_fixes_one_at_a_time() {
    // Both reply fixes would take rule 80 of the same NACL: the second is recomputed after
    // the first is applied, and the file compiles after every step.
    let fixed = fixed_clean("clashing-fixes.vnet");
    let (code, _, stderr) = vnetc(&["check", fixed.file.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    // Nothing is left to fix.
    let (code, diff, _) = vnetc(&["lint", "--diff", fixed.file.to_str().unwrap()]);
    assert_eq!((code, diff.as_str()), (0, ""));
}

#[test]
fn lint_fix_applies_fixes_of_the_same_words_to_each_item() {
    // Two VPCs, the same mistake, fixes of the same words: both are applied (a fix was known
    // by its words alone, and the second was skipped as if already applied).
    let Fixed { after, said, .. } = fixed_clean("same-fix-two-vpcs.vnet");
    assert!(said.contains("applied 2 fixes in 1 file"), "{said}");
    assert!(!said.contains("fix not applied"), "{said}");
    assert_eq!(
        after.matches("ingress tcp 80 from 0.0.0.0/0").count(),
        2,
        "{after}"
    );
}

#[test]
fn lint_fix_removes_a_rule_written_twice_twice() {
    // Two findings, fixes of the same words on the same group, each removing its own line:
    // both are applied (the second was taken for the first, already applied, and left).
    let Fixed { after, said, .. } = fixed_clean("same-rule-written-twice.vnet");
    assert!(said.contains("applied 2 fixes in 1 file"), "{said}");
    assert!(!said.contains("fix not applied"), "{said}");
    assert!(!after.contains("ingress tcp 8080"), "{after}");
}

#[test]
fn lint_fix_adds_one_gateway_endpoint_for_every_table_of_a_vpc() {
    // Three tables send S3 through NAT gateways: each finding's fix is the same endpoint on
    // all three, added once (three endpoints of one name would not compile, and two tables
    // were left for later runs).
    let Fixed { after, said, .. } = fixed_clean("one-endpoint-many-tables.vnet");
    assert!(said.contains("applied 3 fixes in 1 file"), "{said}");
    assert!(!said.contains("fix not applied"), "{said}");
    assert_eq!(after.matches("\n  endpoint ").count(), 1, "{after}");
    assert!(
        after.contains("route_tables [private_a, private_b, private_c]"),
        "{after}"
    );
}

#[test]
fn lint_fix_adds_a_table_to_the_gateway_endpoint_a_vpc_has() {
    // The VPC's S3 endpoint gains the table, on its own line (whose comment stays), and no
    // second endpoint is added.
    let Fixed { after, .. } = fixed_clean("endpoint-misses-a-table.vnet");
    assert_eq!(after.matches("\n  endpoint ").count(), 1, "{after}");
    assert!(
        after.contains("route_tables [private_a, private_b]   # zone b was added later"),
        "{after}"
    );
}

#[test]
fn lint_fix_routes_spokes_from_one_pool_back_as_one_block() {
    // The spokes' blocks and the shared VPC's own make up 10.0.0.0/14: one route back in each
    // table, but in the one whose 10.2.0.0/15 route would win over two spokes' addresses,
    // which gets 10.0.0.0/15 and a route for each of those two; the subnet on the implicit
    // main table gets a `main true` table of its own. Statements added to a compact block are
    // two spaces apart.
    let Fixed { after, said, .. } = fixed_clean("spokes-from-one-pool.vnet");
    assert!(said.contains("applied 3 fixes in 1 file"), "{said}");
    assert!(
        after.contains("route_table svc_rt { route 10.0.0.0/14 -> core }"),
        "{after}"
    );
    assert!(
        after.contains(
            "route_table legacy_rt { route 10.2.0.0/15 -> firewall  route 10.0.0.0/15 -> core  route 10.2.0.0/16 -> core  route 10.3.0.0/16 -> core }"
        ),
        "{after}"
    );
    assert!(
        after.contains("route_table main_rt {\n    main true\n    route 10.0.0.0/14 -> core\n  }"),
        "{after}"
    );
}

#[test]
fn examples_are_in_the_canonical_layout() {
    let (code, stdout, stderr) = vnetc(&["fmt", "--check", "examples"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// Colour output is drawn by codespan-reporting and plain output by vnet's own renderer
/// (`diagnostics/plain.rs`, for speed): without its colour codes, the first is the second, on
/// findings and on compile errors of every shape the fixtures have.
#[test]
fn colour_and_plain_output_say_the_same() {
    fn without_colour(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                // `ESC [ ... m`
                chars.by_ref().find(|&c| c == 'm');
            } else {
                out.push(c);
            }
        }
        out
    }
    let mut runs: Vec<Vec<String>> = vec![vec!["lint".into(), "examples".into()]];
    for entry in std::fs::read_dir(common::root().join("tests/fixtures/check/err")).unwrap() {
        let path = entry.unwrap().path();
        runs.push(vec!["check".into(), path.display().to_string()]);
    }
    for dir in std::fs::read_dir(common::root().join("tests/fixtures/lint")).unwrap() {
        runs.push(vec![
            "lint".into(),
            dir.unwrap().path().display().to_string(),
        ]);
    }
    let mut compared = 0;
    for run in &runs {
        let args: Vec<&str> = run.iter().map(String::as_str).collect();
        let (_, plain, _) = vnetc(&args);
        let (_, coloured, _) = vnetc(&[&args[..], &["--color", "always"]].concat());
        assert!(coloured.contains('\u{1b}') || plain.is_empty(), "{run:?}");
        assert_eq!(without_colour(&coloured), plain, "{run:?}");
        compared += usize::from(!plain.is_empty());
    }
    assert!(compared > 50, "only {compared} runs had output");
}
