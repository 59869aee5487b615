//! `docs/rules.md` is generated from the rule registry; this test keeps it in step (the
//! language server's `codeDescription` links point at its anchors). Regenerate with
//! `UPDATE_DOCS=1 cargo test --test rules_doc`.

#[test]
fn docs_rules_md_matches_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let expected = vnet::lint::registry::markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &expected).expect("write docs/rules.md");
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is out of date: run `UPDATE_DOCS=1 cargo test --test rules_doc`"
    );
}
