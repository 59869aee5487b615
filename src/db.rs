//! The salsa database: inputs (each source file, and the workspace's file set) and the
//! tracked queries of the pipeline.
//!
//! ```text
//! SourceFile ─parse─▶ Parsed (spans, no_eq) ─syntax_tree─▶ Tree (span-free, backdates)
//!            ─file_decls─▶ FileDecls (names, kinds, nesting; backdates on value edits)
//! Workspace  ─item_index─▶ ItemIndex (every file's FileDecls + arena ids)
//! (ws, file) ─resolve_file─▶ Resolution ─lower_file─▶ Fragment (the file's entities + errors)
//! Workspace  ─lower─▶ Lowered (fragments joined by Arc copies; duplicates, propagated routes)
//!            ─compile_errors─▶ Vec<Diag> (+ crate::check) ─▶ rendered with each file's spans
//! ```
//! A one-shot command (`Database::for_one_run`) evicts every file's tree, declarations and
//! name resolution once the files are lowered; spans, syntax errors and suppressions have
//! queries of their own.
//!
//! An edit that changes only whitespace or comments re-runs `parse` and `syntax_tree` for its
//! file; `syntax_tree` returns an equal tree, so nothing after it runs again. An edit of a
//! value (a port, a CIDR block) leaves `file_decls` equal: the index is not rebuilt, only the
//! edited file is resolved and lowered again, then `lower` joins the fragments (a pointer copy
//! per entity) and `compile_errors` checks the network. A new, renamed or moved declaration
//! changes the index, and every file is resolved and lowered again.

use std::collections::HashMap;
use std::sync::Arc;

use salsa::Setter;

use crate::diagnostics::Diag;
use crate::ir::{self, FileIdx, ItemIndex, Lowered, Resolution};
use crate::syntax::{self, Parsed, Tree};

/// One `.vnet` file.
#[salsa::input(debug)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub text: String,
}

/// The set of files analysed together; names resolve across them. A separate input, so that
/// adding a file does not invalidate the per-file queries of the others.
#[salsa::input(debug)]
pub struct Workspace {
    #[returns(ref)]
    pub files: Vec<SourceFile>,
    /// Flow analysis settings (`vnet.toml`).
    pub flow: crate::flow::FlowConfig,
}

#[salsa::db]
pub trait Db: salsa::Database {}

/// The database the CLI and the language server drive.
#[salsa::db]
#[derive(Clone, Default)]
pub struct Database {
    storage: salsa::Storage<Self>,
    /// Set by [`Database::dropping_trees`].
    drops_trees: bool,
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {}

impl Database {
    /// A database that reports every salsa event to `on_event` (used to prove incrementality).
    pub fn with_event_callback(on_event: Box<dyn Fn(salsa::Event) + Send + Sync>) -> Self {
        Database {
            storage: salsa::Storage::new(Some(on_event)),
            drops_trees: false,
        }
    }

    /// Creates a workspace of `(path, text)` files, sorted by path.
    pub fn workspace(&self, mut files: Vec<(String, String)>) -> Workspace {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let inputs = files
            .into_iter()
            .map(|(path, text)| SourceFile::new(self, path, text))
            .collect();
        Workspace::new(self, inputs, crate::flow::FlowConfig::default())
    }

    /// The database of a command that analyses a workspace once and exits (`check`, `lint`,
    /// `reach`...): [`Self::prepare_all`] drops the files' syntax trees once they are lowered.
    /// A tree is several times its file's size, and nothing after lowering reads it, so a
    /// lint run's peak memory (trees, then the intended flows' traces) is lower by that much.
    /// The language server keeps every tree: it answers from them at every keystroke.
    pub fn for_one_run() -> Self {
        Database::default().dropping_trees()
    }

    /// This database, set to drop the syntax trees (and the files' declarations and name
    /// resolutions) in [`Self::prepare_all`] (see [`Self::for_one_run`]): `parse`,
    /// `syntax_tree`, `file_decls` and `resolve_file` get an LRU, which `prepare_all` sets and
    /// empties.
    pub fn dropping_trees(mut self) -> Self {
        self.set_tree_capacity(1);
        file_decls::set_lru_capacity(&mut self, 1);
        self.drops_trees = true;
        self
    }

    /// Sets the LRU capacity of the queries that hold a file's tree or what only lowering
    /// reads of it: 1 to drop them at the next eviction, [`KEEP_ALL`] to keep them through it.
    fn set_tree_capacity(&mut self, capacity: usize) {
        parse::set_lru_capacity(self, capacity);
        syntax_tree::set_lru_capacity(self, capacity);
        resolve_file::set_lru_capacity(self, capacity);
    }

    /// Parses and lowers every file of `ws` on all available cores, largest first, so that
    /// the workspace queries after it find the files' trees and fragments ready: the per-file
    /// work is most of a cold run, and files are independent once the item index (which
    /// needs every file's declarations) is built between the two rounds. Each thread works
    /// through its own handle on the same storage. Then, in a database [`Self::for_one_run`],
    /// the trees are dropped; what is read of a file later has its own query, filled here.
    /// The files' declarations are dropped as soon as the item index is built: all of them
    /// are alive with all the trees, the peak of a run on a network without many flows.
    pub fn prepare_all(&mut self, ws: Workspace) {
        // The file that is used last before each eviction (see `evict_dropped`).
        let empty = (self.drops_trees).then(|| {
            self.set_tree_capacity(KEEP_ALL);
            SourceFile::new(self, String::new(), String::new())
        });
        let mut files: Vec<SourceFile> = ws.files(self).clone();
        files.sort_by_key(|f| std::cmp::Reverse(f.text(self).len()));
        crate::parallel::map_on_all_cores(
            &files,
            || self.clone(),
            |db, file| {
                file_decls(db, *file);
                spans(db, *file);
                syntax_errors(db, *file);
                suppressions(db, *file);
                resource_ids(db, *file);
            },
        );
        item_index(self, ws);
        if let Some(empty) = empty {
            self.evict_dropped(ws, empty);
        }
        crate::parallel::map_on_all_cores(
            &files,
            || self.clone(),
            |db, file| {
                lower_file(db, ws, *file);
            },
        );
        if let Some(empty) = empty {
            self.set_tree_capacity(1);
            self.evict_dropped(ws, empty);
            crate::memory::release_freed();
        }
    }

    /// Evicts what the LRU of each query drops (see [`Self::dropping_trees`]). Salsa's LRU
    /// keeps a query's last-used memo (its capacity cannot be 0), so `empty`, an empty file
    /// outside the workspace, is made the last one used: without it, the last file lowered
    /// kept its tree to the end of the run, which in a workspace of one large file was the
    /// whole tree (7 MB of a 1.3 MB file's 29.5 MiB peak).
    fn evict_dropped(&mut self, ws: Workspace, empty: SourceFile) {
        parse(self, empty);
        syntax_tree(self, empty);
        file_decls(self, empty);
        resolve_file(self, ws, empty);
        salsa::Database::trigger_lru_eviction(self);
    }

    /// Sets the flow analysis settings of a workspace.
    pub fn set_flow_config(&mut self, ws: Workspace, config: crate::flow::FlowConfig) {
        ws.set_flow(self).to(config);
    }

    /// Replaces a file's text.
    pub fn set_text(&mut self, file: SourceFile, text: String) {
        file.set_text(self).to(text);
    }
}

/// An LRU capacity that evicts nothing: every file's tree is kept until the files are lowered.
const KEEP_ALL: usize = usize::MAX;

/// Parses one file. `no_eq`: every edit moves spans, so the result is always new.
///
/// Its memo (and [`syntax_tree`]'s) can be evicted: a one-shot run ([`Database::for_one_run`])
/// drops every tree once the files are lowered. What is read of a file after that has queries
/// of its own, kept: [`spans`], [`syntax_errors`], [`suppressions`], [`resource_ids`]. Asking
/// for an evicted tree parses the file again: correct, only slower.
#[salsa::tracked(returns(ref), no_eq, lru = 0)]
pub fn parse(db: &dyn Db, file: SourceFile) -> Parsed {
    syntax::parse(file.text(db))
}

/// Where each node of one file is. `no_eq` like [`parse`]: every edit moves spans.
#[salsa::tracked(returns(ref), no_eq)]
pub fn spans(db: &dyn Db, file: SourceFile) -> Arc<syntax::SpanTable> {
    parse(db, file).spans.clone()
}

/// The syntax errors of one file.
#[salsa::tracked(returns(ref))]
pub fn syntax_errors(db: &dyn Db, file: SourceFile) -> Vec<syntax::SyntaxError> {
    parse(db, file).errors.clone()
}

/// The inline suppressions (`# vnet: allow(...)`) of one file.
#[salsa::tracked(returns(ref))]
pub fn suppressions(db: &dyn Db, file: SourceFile) -> Vec<crate::lint::suppress::Suppression> {
    if !crate::lint::suppress::may_have(file.text(db)) {
        return Vec::new(); // most files have none: answered without their tree
    }
    let parsed = parse(db, file);
    crate::lint::suppress::find(file.text(db), &parsed.tree, &parsed.spans)
}

/// The AWS ids and CloudFormation logical ids that `vnetc import` wrote in comments before the
/// blocks of one file, by qualified resource name.
#[salsa::tracked(returns(ref))]
pub fn resource_ids(db: &dyn Db, file: SourceFile) -> crate::lint::aws_ids::ResourceIds {
    crate::lint::aws_ids::ResourceIds::of(file.text(db), || {
        let parsed = parse(db, file);
        (parsed.tree.clone(), parsed.spans.clone())
    })
}

/// The line starts of one file, for line/column positions (computed once per text, not per
/// diagnostic).
#[salsa::tracked(returns(ref))]
pub fn line_index(db: &dyn Db, file: SourceFile) -> syntax::LineIndex {
    syntax::LineIndex::new(file.text(db))
}

/// The span-free tree of one file: equal across edits that only move text, so the semantic
/// queries after it are not re-run.
#[salsa::tracked(returns(ref), lru = 0)]
pub fn syntax_tree(db: &dyn Db, file: SourceFile) -> Arc<Tree> {
    parse(db, file).tree.clone()
}

/// One file's declarations (names, kinds, nesting, node ids): equal across value edits, so
/// that the index, and every other file's resolution and lowering, are not re-run. Evicted
/// like the trees in a one-shot run: once the item index is built, nothing reads them there.
#[salsa::tracked(returns(ref), lru = 0)]
pub fn file_decls(db: &dyn Db, file: SourceFile) -> ir::FileDecls {
    ir::index::summarize(syntax_tree(db, file))
}

/// Every declaration of the workspace, by scope and name, with its arena index.
#[salsa::tracked(returns(ref))]
pub fn item_index(db: &dyn Db, ws: Workspace) -> ItemIndex {
    let summaries: Vec<&ir::FileDecls> = ws.files(db).iter().map(|f| file_decls(db, *f)).collect();
    ir::index::build(&summaries)
}

/// The position of each file in the workspace (a lookup per file, not a scan).
#[salsa::tracked(returns(ref))]
fn file_positions(db: &dyn Db, ws: Workspace) -> HashMap<SourceFile, FileIdx> {
    let files = ws.files(db).iter().enumerate();
    files.map(|(i, f)| (*f, FileIdx(i as u32))).collect()
}

/// The position of `file` in the workspace.
fn file_idx(db: &dyn Db, ws: Workspace, file: SourceFile) -> Option<FileIdx> {
    file_positions(db, ws).get(&file).copied()
}

/// Every name reference of one file, resolved against the item index. Evicted like the trees
/// in a one-shot run: once the file is lowered, only the language server reads it.
#[salsa::tracked(returns(ref), lru = 0)]
pub fn resolve_file(db: &dyn Db, ws: Workspace, file: SourceFile) -> Resolution {
    match file_idx(db, ws, file) {
        Some(idx) => ir::resolve::resolve_file(idx, syntax_tree(db, file), item_index(db, ws)),
        None => Resolution::default(),
    }
}

/// Every name reference of the workspace (what "find references" and "rename" walk).
#[salsa::tracked(returns(ref))]
pub fn resolve(db: &dyn Db, ws: Workspace) -> Resolution {
    let mut all = Resolution::default();
    for file in ws.files(db) {
        all.extend(resolve_file(db, ws, *file));
    }
    all
}

/// One file's entities and the compile errors found while building them.
#[salsa::tracked(returns(ref))]
pub fn lower_file(db: &dyn Db, ws: Workspace, file: SourceFile) -> ir::lower::Fragment {
    match file_idx(db, ws, file) {
        Some(idx) => ir::lower::lower_file(
            idx,
            syntax_tree(db, file),
            item_index(db, ws),
            resolve_file(db, ws, file),
        ),
        None => ir::lower::Fragment::default(),
    }
}

/// The IR of the workspace, joined from its files' fragments, and the compile errors found
/// while building it.
#[salsa::tracked(returns(ref))]
pub fn lower(db: &dyn Db, ws: Workspace) -> Lowered {
    let files = ws.files(db);
    let fragments: Vec<&ir::lower::Fragment> =
        files.iter().map(|f| lower_file(db, ws, *f)).collect();
    let paths = files.iter().map(|f| f.path(db).clone()).collect();
    ir::lower::assemble(paths, item_index(db, ws), &fragments)
}

/// The IR alone.
pub fn network(db: &dyn Db, ws: Workspace) -> Arc<ir::Network> {
    lower(db, ws).network.clone()
}

/// Every compile error of the workspace except syntax errors: lowering's, then the checks'.
#[salsa::tracked(returns(ref))]
pub fn compile_errors(db: &dyn Db, ws: Workspace) -> Vec<Diag> {
    let lowered = lower(db, ws);
    let mut diags = lowered.diagnostics.clone();
    diags.extend(crate::check::check(&lowered.network));
    diags
}

/// The lint findings of a workspace without compile errors (with compile errors the IR is
/// incomplete, and findings on it would mislead): every rule, on by default or not.
#[salsa::tracked(returns(ref))]
pub fn lint_findings(db: &dyn Db, ws: Workspace) -> Vec<Diag> {
    let mut all = default_lint_findings(db, ws).clone();
    all.extend(opt_in_lint_findings(db, ws).iter().cloned());
    crate::lint::in_finding_order(all)
}

/// The findings of the rules on by default. `vnetc lint` asks for the opt-in rules' separately,
/// only when the configuration selects one: they cost a quarter of a large network's lint run
/// (`missing-expect` probes every workload from the internet).
#[salsa::tracked(returns(ref))]
pub fn default_lint_findings(db: &dyn Db, ws: Workspace) -> Vec<Diag> {
    let set = crate::lint::RuleSet::Default;
    crate::lint::lint_interruptible(&lower(db, ws).network, *ws.flow(db), set, &|| {
        db.unwind_if_revision_cancelled()
    })
}

/// The findings of the rules that are off by default.
#[salsa::tracked(returns(ref))]
pub fn opt_in_lint_findings(db: &dyn Db, ws: Workspace) -> Vec<Diag> {
    let set = crate::lint::RuleSet::OptIn;
    crate::lint::lint_interruptible(&lower(db, ws).network, *ws.flow(db), set, &|| {
        db.unwind_if_revision_cancelled()
    })
}

/// The source file of a [`FileIdx`].
pub fn file_at(db: &dyn Db, ws: Workspace, idx: FileIdx) -> Option<SourceFile> {
    ws.files(db).get(idx.0 as usize).copied()
}
