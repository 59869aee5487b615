//! Data-driven compile-error tests: every `.vnet` file under `tests/fixtures/check/` is
//! checked and its rendered diagnostics are snapshotted beside its source.
//!
//! - `ok/`: must check clean.
//! - `err/EXXXX-*.vnet`: must report code `EXXXX` (and the snapshot shows everything).
//! - A directory under `multi/` is one workspace of several files.

mod common;

use std::path::Path;

fn snapshot_body(sources: &[(String, String)], rendered: &str) -> String {
    let mut body = String::new();
    for (path, text) in sources {
        body.push_str(&format!("----- SOURCE {path}\n{text}"));
        if !text.ends_with('\n') {
            body.push('\n');
        }
    }
    body.push_str("----- DIAGNOSTICS\n");
    body.push_str(if rendered.is_empty() {
        "(none)\n"
    } else {
        rendered
    });
    body
}

fn check_fixture(path: &Path) -> (Vec<(String, String)>, String, usize) {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let files = vec![(common::relative(path), text)];
    let (rendered, count) = common::check_files(files.clone());
    (files, rendered, count)
}

#[test]
fn ok_fixtures_check_clean() {
    insta::glob!("fixtures/check/ok/*.vnet", |path| {
        let (files, rendered, count) = check_fixture(path);
        assert_eq!(
            count,
            0,
            "{} should check clean:\n{rendered}",
            path.display()
        );
        insta::assert_snapshot!(snapshot_body(&files, &rendered));
    });
}

#[test]
fn error_fixtures_report_their_code() {
    insta::glob!("fixtures/check/err/*.vnet", |path| {
        let (files, rendered, count) = check_fixture(path);
        let name = path.file_name().unwrap().to_string_lossy();
        let code = name.split('-').next().unwrap();
        assert!(count > 0, "{} should report {code}", path.display());
        assert!(
            rendered.contains(&format!("error[{code}]")),
            "{} should report {code}, got:\n{rendered}",
            path.display()
        );
        insta::assert_snapshot!(snapshot_body(&files, &rendered));
    });
}

#[test]
fn multi_file_fixtures() {
    let dir = common::root().join("tests/fixtures/check/multi");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut dirs: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        let files: Vec<(String, String)> = common::vnet_files(&d)
            .into_iter()
            .map(|p| (common::relative(&p), std::fs::read_to_string(&p).unwrap()))
            .collect();
        let (rendered, _) = common::check_files(files.clone());
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(format!("multi__{name}"), snapshot_body(&files, &rendered));
    }
}
