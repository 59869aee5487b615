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

/// The fuzzer's first find: implicit main route tables were numbered by VPC, not by the VPCs
/// that need one. Every subnet must use a table of its own VPC.
#[test]
fn every_subnet_uses_a_route_table_of_its_own_vpc() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz/main-route-table-ids.vnet");
    let text = std::fs::read_to_string(path).unwrap();
    let db = Database::default();
    let ws = db.workspace(vec![("net.vnet".into(), text)]);
    assert!(render::compile_diagnostics(&db, ws).is_empty());
    let net = db::network(&db, ws);
    for subnet in &net.subnets {
        let table = &net.route_tables[subnet.route_table.index()];
        assert_eq!(table.vpc, subnet.vpc, "{} uses {}", subnet.name, table.name);
    }
    assert_eq!(
        net.route_tables.len(),
        3,
        "ledger.internal, bi.main, ops.main"
    );
}
