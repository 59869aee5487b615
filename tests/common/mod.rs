//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use vnet::db::Database;
use vnet::diagnostics::render;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path relative to the repository root, with `/` separators (stable in snapshots).
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Compiles the given files and renders every compile error as `vnetc check` prints it.
pub fn check_files(files: Vec<(String, String)>) -> (String, usize) {
    let db = Database::default();
    let ws = db.workspace(files);
    let diags = render::compile_diagnostics(&db, ws);
    let files = render::files(&db, ws);
    (render::human_string(&files, &diags), diags.len())
}

/// Every `.vnet` file under `dir`, sorted.
pub fn vnet_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "vnet"))
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
