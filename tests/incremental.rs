//! Incrementality, proven by counting query executions: an edit to one file of a
//! multi-file workspace re-parses only that file; an edit of a value (a port, a CIDR block)
//! re-resolves and re-lowers only that file, then joins the files' fragments and checks the
//! network; an edit that changes only whitespace or comments re-runs no semantic query (the
//! span-free tree is equal, so salsa backdates it).

use std::sync::{Arc, Mutex};

use vnet::db::{self, Database, SourceFile, Workspace};
use vnet::diagnostics::render;

/// The queries that ran, as `name(Id(n))`.
type Log = Arc<Mutex<Vec<String>>>;

fn database() -> (Database, Log) {
    let log: Log = Arc::default();
    let sink = log.clone();
    let db = Database::with_event_callback(Box::new(move |event| {
        if let salsa::EventKind::WillExecute { database_key } = event.kind {
            sink.lock().unwrap().push(format!("{database_key:?}"));
        }
    }));
    (db, log)
}

/// Query names that ran since the last call, and for which inputs.
fn take(log: &Log) -> Vec<String> {
    let mut ran = std::mem::take(&mut *log.lock().unwrap());
    ran.sort();
    ran
}

fn count(ran: &[String], query: &str) -> usize {
    ran.iter()
        .filter(|r| r.starts_with(&format!("{query}(")))
        .count()
}

fn ran_for(ran: &[String], query: &str, file: SourceFile) -> bool {
    let key = format!("{query}({:?})", salsa::plumbing::AsId::as_id(&file));
    ran.contains(&key)
}

const A: &str = "\
vpc a {
  region us-east-1
  cidr 10.0.0.0/16
  subnet one { az us-east-1a  cidr 10.0.1.0/24 }
}
";

const B: &str = "\
vpc b {
  region us-east-1
  cidr 10.1.0.0/16
  subnet two { az us-east-1b  cidr 10.1.1.0/24  route_table rt }
  route_table rt { route 10.0.0.0/16 -> a_to_b }
}
";

const C: &str = "\
peering a_to_b {
  requester a
  accepter b
}
expect a.one -> b.two tcp 443 allowed
";

const SEMANTIC_QUERIES: &[&str] = &[
    "file_decls",
    "item_index",
    "resolve_file",
    "lower_file",
    "lower",
    "compile_errors",
];

/// The workspace of A, B and C.
fn three_files(db: &Database) -> Workspace {
    db.workspace(vec![
        ("a.vnet".into(), A.into()),
        ("b.vnet".into(), B.into()),
        ("c.vnet".into(), C.into()),
    ])
}

#[test]
fn editing_one_file_reparses_only_that_file() {
    let (mut db, log) = database();
    let ws = three_files(&db);
    let files = ws.files(&db).clone();
    assert!(db::compile_errors(&db, ws).is_empty());
    let cold = take(&log);
    assert_eq!(
        count(&cold, "parse"),
        3,
        "cold run parses every file: {cold:?}"
    );

    // A semantic edit to b.vnet: a new subnet.
    let edited = B.replace(
        "  route_table rt",
        "  subnet three { az us-east-1c  cidr 10.1.2.0/24 }\n  route_table rt",
    );
    db.set_text(files[1], edited);
    assert!(db::compile_errors(&db, ws).is_empty());
    let ran = take(&log);
    assert_eq!(
        count(&ran, "parse"),
        1,
        "only the edited file is parsed: {ran:?}"
    );
    assert!(ran_for(&ran, "parse", files[1]), "{ran:?}");
    assert!(!ran_for(&ran, "parse", files[0]) && !ran_for(&ran, "parse", files[2]));
    // A new declaration changes the index: every file is resolved and lowered again.
    assert!(ran_for(&ran, "file_decls", files[1]), "{ran:?}");
    assert_eq!(count(&ran, "file_decls"), 1, "{ran:?}");
    for q in ["item_index", "lower", "compile_errors"] {
        assert_eq!(
            count(&ran, q),
            1,
            "{q} re-runs after a new declaration: {ran:?}"
        );
    }
    for q in ["resolve_file", "lower_file"] {
        assert_eq!(count(&ran, q), 3, "{q} re-runs for every file: {ran:?}");
    }
    let network = db::network(&db, ws);
    assert_eq!(network.subnets.len(), 3);
}

#[test]
fn editing_a_value_relowers_only_that_file() {
    let (mut db, log) = database();
    let ws = three_files(&db);
    let files = ws.files(&db).clone();
    assert!(db::compile_errors(&db, ws).is_empty());
    take(&log);

    // A value edit to b.vnet: the subnet's CIDR block moves. No name, kind or nesting changes.
    db.set_text(files[1], B.replace("10.1.1.0/24", "10.1.3.0/24"));
    assert!(db::compile_errors(&db, ws).is_empty());
    let ran = take(&log);
    for q in ["parse", "syntax_tree", "file_decls"] {
        assert_eq!(count(&ran, q), 1, "{q} runs for b.vnet only: {ran:?}");
        assert!(ran_for(&ran, q, files[1]), "{q} runs for b.vnet: {ran:?}");
    }
    assert_eq!(count(&ran, "item_index"), 0, "the index is equal: {ran:?}");
    for q in ["resolve_file", "lower_file"] {
        assert_eq!(count(&ran, q), 1, "{q} re-runs for b.vnet only: {ran:?}");
    }
    for q in ["lower", "compile_errors"] {
        assert_eq!(count(&ran, q), 1, "{q} joins and checks again: {ran:?}");
    }
    assert_eq!(ran.len(), 7, "nothing else runs: {ran:?}");
    let network = db::network(&db, ws);
    let cidr = network.subnets[1].cidr.as_ref().map(|c| c.cidr.to_string());
    assert_eq!(cidr.as_deref(), Some("10.1.3.0/24"));

    // The same after a cold start: the joined network equals a fresh database's.
    let fresh = Database::default();
    let texts = files
        .iter()
        .map(|f| (f.path(&db).clone(), f.text(&db).clone()))
        .collect();
    let fresh_ws = fresh.workspace(texts);
    assert_eq!(db::network(&fresh, fresh_ws), network);
}

#[test]
fn whitespace_and_comment_edits_rerun_no_semantic_query() {
    let (mut db, log) = database();
    let ws = three_files(&db);
    let files = ws.files(&db).clone();
    let _ = db::compile_errors(&db, ws);
    take(&log);

    // Reindent, add blank lines and comments: the meaning is unchanged.
    let reformatted = format!(
        "# The second VPC.\n\n{}",
        B.replace("  ", "    ")
            .replace("{ route", "{\n  # to a\n  route")
    );
    db.set_text(files[1], reformatted);
    let _ = db::compile_errors(&db, ws);
    let ran = take(&log);
    assert_eq!(
        ran.len(),
        2,
        "only parse and syntax_tree of b.vnet run: {ran:?}"
    );
    assert!(ran_for(&ran, "parse", files[1]) && ran_for(&ran, "syntax_tree", files[1]));
    for q in SEMANTIC_QUERIES {
        assert_eq!(count(&ran, q), 0, "{q} must not re-run: {ran:?}");
    }
}

#[test]
fn diagnostics_follow_moved_text_without_rerunning_analysis() {
    let (mut db, log) = database();
    let broken = B.replace("-> a_to_b", "-> a_to_c");
    let ws = db.workspace(vec![
        ("a.vnet".into(), A.into()),
        ("b.vnet".into(), broken.clone()),
        ("c.vnet".into(), C.into()),
    ]);
    let files = ws.files(&db).clone();
    let before = render::compile_diagnostics(&db, ws);
    assert_eq!(before.len(), 1);
    let json_before = render::to_json(&db, ws, &before[0]);
    take(&log);

    // Three comment lines above the error move it down three lines.
    db.set_text(files[1], format!("# one\n# two\n# three\n{broken}"));
    let after = render::compile_diagnostics(&db, ws);
    let ran = take(&log);
    assert_eq!(count(&ran, "compile_errors"), 0, "{ran:?}");
    let json_after = render::to_json(&db, ws, &after[0]);
    assert_eq!(json_after.place.line, json_before.place.line + 3);
    assert_eq!(json_after.message, json_before.message);
}

#[test]
fn a_one_shot_run_drops_the_trees_and_parses_each_file_once() {
    let (db, log) = database();
    let mut db = db.dropping_trees();
    let ws = three_files(&db);
    db.prepare_all(ws);
    let ran = take(&log);
    assert!(ws.files(&db).iter().all(|f| ran_for(&ran, "parse", *f)));
    // One more: the empty file that `prepare_all` uses last, so that no file's tree is kept.
    assert_eq!(count(&ran, "parse"), 4, "{ran:?}");

    // Everything a `vnetc lint` run reads after lowering has its own query, kept.
    let errors = render::compile_diagnostics(&db, ws);
    assert!(errors.is_empty(), "{errors:?}");
    let config = vnet::lint::config::LintConfig::default();
    let findings = vnet::lint::report::findings(&db, ws, &config);
    let files = render::files(&db, ws);
    let _ = render::human_string(&files, &findings);
    assert_eq!(count(&take(&log), "parse"), 0, "no file parsed again");

    // The trees were dropped: asking for them parses every file again.
    for file in ws.files(&db) {
        let _ = db::syntax_tree(&db, *file);
    }
    let ran = take(&log);
    for file in ws.files(&db) {
        assert!(ran_for(&ran, "parse", *file), "{ran:?}");
    }
}

#[test]
fn a_one_shot_run_of_one_file_drops_its_tree_too() {
    // Salsa's LRU keeps a query's last-used memo: with one file, that was the whole tree.
    let (db, log) = database();
    let mut db = db.dropping_trees();
    let ws = db.workspace(vec![("a.vnet".into(), A.into())]);
    db.prepare_all(ws);
    let file = ws.files(&db)[0];
    assert!(ran_for(&take(&log), "parse", file));
    let _ = db::syntax_tree(&db, file);
    let _ = db::file_decls(&db, file);
    let ran = take(&log);
    assert!(ran_for(&ran, "parse", file), "{ran:?}");
    assert!(ran_for(&ran, "syntax_tree", file), "{ran:?}");
    assert!(ran_for(&ran, "file_decls", file), "{ran:?}");
}

#[test]
fn the_language_servers_database_keeps_the_trees() {
    let (mut db, log) = database();
    let ws = three_files(&db);
    db.prepare_all(ws);
    assert_eq!(count(&take(&log), "parse"), 3);
    let _ = db::syntax_tree(&db, ws.files(&db)[0]);
    assert_eq!(count(&take(&log), "parse"), 0);
}
