//! Every input the fuzzer (bench/fuzz.rs) found a panic with, kept under
//! `tests/fixtures/fuzz/`: each goes through every stage again without a panic.

use vnet::db::{self, Database};
use vnet::diagnostics::render;

#[test]
fn fuzz_findings_no_longer_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return; // no crash found yet
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "vnet") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let _ = vnet::syntax::parse(&text);
        let db = Database::default();
        let ws = db.workspace(vec![("fuzz.vnet".into(), text)]);
        let diags = render::compile_diagnostics(&db, ws);
        let _ = render::human_string(&render::files(&db, ws), &diags);
        if diags.is_empty() {
            let _ = db::lint_findings(&db, ws);
        }
    }
}
