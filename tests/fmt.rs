//! `vnetc fmt`: on every example and fixture, on random networks and on random re-layouts of
//! all of them, formatting is idempotent, keeps every comment, and leaves the syntax tree,
//! the IR, the compile errors and the lint findings exactly as they were. Layout decisions are
//! pinned by snapshots of `tests/fixtures/fmt/`.

mod common;

#[path = "fmt/generate.rs"]
mod generate;

use std::path::PathBuf;

use vnet::db::{self, Database};
use vnet::fmt::{comments, format_range, format_source, FormatError};
use vnet::syntax;

/// Every `.vnet` file of the examples and fixtures.
fn corpus() -> Vec<PathBuf> {
    let root = common::root();
    let mut files = common::vnet_files(&root.join("examples"));
    files.extend(common::vnet_files(&root.join("tests/fixtures")));
    assert!(
        files.len() > 100,
        "examples and fixtures found: {}",
        files.len()
    );
    files
}

/// The meaning of one file: what the compiler makes of it, spans excluded (the IR and
/// diagnostics locate by node id).
fn meaning(text: &str) -> (syntax::Tree, vnet::ir::Network, Vec<String>) {
    let db = Database::default();
    let ws = db.workspace(vec![("net.vnet".to_string(), text.to_string())]);
    let network = (*db::network(&db, ws)).clone();
    let mut diags: Vec<String> = db::compile_errors(&db, ws)
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    diags.extend(db::lint_findings(&db, ws).iter().map(|d| format!("{d:?}")));
    ((*syntax::parse(text).tree).clone(), network, diags)
}

fn sorted_comments(text: &str) -> Vec<String> {
    let mut c = comments(text);
    c.sort();
    c
}

/// Formats `text` and checks every property; returns the formatted text.
fn check(name: &str, text: &str) -> String {
    let once = match format_source(text) {
        Ok(f) => f,
        Err(e) => panic!("{name}: not formatted: {e:?}\n{text}"),
    };
    let twice = format_source(&once).unwrap_or_else(|e| panic!("{name}: second pass: {e:?}"));
    assert_eq!(
        once, twice,
        "{name}: formatting is not idempotent\n--- input\n{text}"
    );
    assert_eq!(
        sorted_comments(text),
        sorted_comments(&once),
        "{name}: comments differ"
    );
    assert!(
        meaning(text) == meaning(&once),
        "{name}: the meaning changed\n--- input\n{text}\n--- formatted\n{once}"
    );
    once
}

#[test]
fn examples_and_fixtures_keep_their_meaning_and_comments() {
    let mut formatted = 0;
    for path in corpus() {
        let name = common::relative(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        if !syntax::parse(&text).errors.is_empty() {
            assert!(
                matches!(format_source(&text), Err(FormatError::Syntax(_))),
                "{name}: a file that does not parse must be refused"
            );
            continue;
        }
        check(&name, &text);
        formatted += 1;
    }
    assert!(formatted > 100, "formatted {formatted} files");
}

#[test]
fn random_relayouts_of_every_file_format_the_same_way_twice() {
    let mut rng = fastrand::Rng::with_seed(6);
    for path in corpus() {
        let name = common::relative(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        if !syntax::parse(&text).errors.is_empty() {
            continue;
        }
        for _ in 0..2 {
            let messy = generate::relayout(&text, &mut rng);
            // The re-layout only moves tokens and adds comments: same tree.
            assert_eq!(
                syntax::parse(&messy).tree,
                syntax::parse(&text).tree,
                "{name}"
            );
            check(&name, &messy);
        }
    }
}

#[test]
fn generated_networks() {
    let mut rng = fastrand::Rng::with_seed(42);
    for i in 0..100 {
        let text = generate::network(&mut rng);
        assert!(
            syntax::parse(&text).errors.is_empty(),
            "network {i} does not parse:\n{text}"
        );
        let formatted = check(&format!("generated network {i}"), &text);
        for line in formatted.lines() {
            let code = line.split(" #").next().unwrap_or(line);
            assert!(
                code.chars().count() <= vnet::fmt::WIDTH,
                "network {i}: line longer than the width: {line}"
            );
        }
    }
}

#[test]
fn formatted_files_are_canonical() {
    insta::glob!("fixtures/fmt/*.vnet", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let formatted = check(&common::relative(path), &text);
        insta::assert_snapshot!(formatted);
    });
}

/// The reference programs of the language design are written in the layout the formatter
/// produces: it must leave them exactly as they are.
#[test]
fn reference_programs_are_already_canonical() {
    for name in ["two-tier", "hub", "db-return", "nat-detour"] {
        let path = common::root().join(format!("examples/{name}.vnet"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(format_source(&text).unwrap(), text, "{name}");
    }
}

#[test]
fn a_file_that_does_not_parse_is_refused_with_its_errors() {
    match format_source("vpc a {\n  subnet b { az cidr 10.0.0.0/24 }\n}\n") {
        Err(FormatError::Syntax(errors)) => {
            assert_eq!(errors.len(), 1);
            assert!(
                errors[0].message.contains("availability zone"),
                "{:?}",
                errors
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn windows_line_endings_are_kept() {
    let text = "vpc a {\r\nregion us-east-1   # here\r\n}\r\n";
    let formatted = check("crlf", text);
    assert_eq!(formatted, "vpc a {\r\n  region us-east-1   # here\r\n}\r\n");
}

#[test]
fn a_byte_order_mark_is_kept() {
    let text = "\u{feff}vpc a {\nregion us-east-1\n}\n";
    let formatted = check("bom", text);
    assert_eq!(formatted, "\u{feff}vpc a {\n  region us-east-1\n}\n");
}

#[test]
fn range_formatting_touches_only_the_lines_in_range() {
    let text =
        "vpc a {\n region us-east-1\n   cidr 10.0.0.0/16\n}\nvpc b {\n      region us-east-1\n}\n";
    let all = format_range(text, None).unwrap();
    assert!(all.len() >= 2, "{all:?}");
    // Only the second VPC's line.
    let start = text.find("      region").unwrap();
    let edits = format_range(text, Some(start..start + 3)).unwrap();
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert!(edits[0].range.start >= text.find("vpc b").unwrap());
    let mut out = text.to_string();
    for e in all.iter().rev() {
        out.replace_range(e.range.clone(), &e.new_text);
    }
    assert_eq!(out, format_source(text).unwrap());
}

fn vnetc(args: &[&str], dir: &std::path::Path, stdin: Option<&str>) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_vnetc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vnetc runs");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const MESSY: &str = "vpc a {\nregion us-east-1\n    cidr 10.0.0.0/16 # main\n}\n";
const CLEAN: &str = "vpc a {\n  region us-east-1\n  cidr 10.0.0.0/16   # main\n}\n";

#[test]
fn cli_check_exits_1_and_names_the_files_that_would_change() {
    let dir = common::scratch("check");
    std::fs::write(dir.join("messy.vnet"), MESSY).unwrap();
    std::fs::write(dir.join("clean.vnet"), CLEAN).unwrap();
    let (code, stdout, stderr) = vnetc(&["fmt", "--check", "."], &dir, None);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(stdout.trim(), "./messy.vnet");
    assert!(stderr.contains("would reformat 1 of 2 files"), "{stderr}");
    // Nothing written.
    assert_eq!(
        std::fs::read_to_string(dir.join("messy.vnet")).unwrap(),
        MESSY
    );

    let (code, stdout, _) = vnetc(&["fmt", "--diff", "messy.vnet"], &dir, None);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "-    cidr 10.0.0.0/16 # main\n+  region us-east-1\n+  cidr 10.0.0.0/16   # main"
        ),
        "{stdout}"
    );

    let (code, _, stderr) = vnetc(&["fmt", "."], &dir, None);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("reformatted 1 of 2 files"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("messy.vnet")).unwrap(),
        CLEAN
    );
    let (code, stdout, _) = vnetc(&["fmt", "--check", "."], &dir, None);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn cli_refuses_a_file_that_does_not_parse() {
    let dir = common::scratch("broken");
    let broken = "vpc a {\n  subnet b { az cidr 10.0.0.0/24 }\n}\n";
    std::fs::write(dir.join("broken.vnet"), broken).unwrap();
    let (code, _, stderr) = vnetc(&["fmt", "broken.vnet"], &dir, None);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[E0001]"), "{stderr}");
    assert!(stderr.contains("broken.vnet:2:17"), "{stderr}");
    assert!(stderr.contains("not formatted"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("broken.vnet")).unwrap(),
        broken
    );
}

#[test]
fn cli_formats_standard_input_and_reports_usage_errors() {
    let dir = common::scratch("stdin");
    let (code, stdout, _) = vnetc(&["fmt", "-"], &dir, Some(MESSY));
    assert_eq!((code, stdout.as_str()), (0, CLEAN));
    let (code, stdout, _) = vnetc(&["fmt", "--check", "-"], &dir, Some(MESSY));
    assert_eq!((code, stdout.as_str()), (1, ""));
    let (code, _, stderr) = vnetc(&["fmt", "missing.vnet"], &dir, None);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("missing.vnet: no such file or directory"),
        "{stderr}"
    );
}
