//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use vnet::db::Database;
use vnet::diagnostics::render;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary directory for one test, removed when the test ends (passed or failed).
pub struct Scratch(tempfile::TempDir);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

/// A fresh temporary directory whose name starts with `vnet-{name}-`.
pub fn scratch(name: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("vnet-{name}-"))
        .tempdir()
        .expect("a temporary directory");
    Scratch(dir)
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
