//! `--fix`: apply the findings' fixes so that the workspace still compiles.
//!
//! Each fix is computed against the text the lint ran on, alone. Two fixes can be right
//! alone and wrong together (two reply rules for one NACL choosing the same free rule
//! number), so fixes are accepted one at a time, each only if the workspace with it and
//! every fix accepted before it still compiles; the rest wait for the next round, where the
//! lint runs again on the new text and computes them afresh (ruff's fix loop does the same).

use std::collections::{BTreeMap, HashSet};

use crate::db::{self, Database, Workspace};
use crate::diagnostics::fix::{self, TextEdit};
use crate::diagnostics::render;
use crate::ir::FileIdx;

use super::config::LintConfig;
use super::report;

/// At most this many rounds of lint-then-fix: a round applies every fix that does not
/// conflict; later rounds only pick up fixes that earlier ones displaced.
const MAX_ROUNDS: usize = 10;

/// What `fix_all` did.
#[derive(Debug, Default)]
pub struct FixOutcome {
    /// Every file that changed: (path, text before, text after).
    pub changed: Vec<(String, String, String)>,
    /// How many fixes were applied.
    pub applied: usize,
    /// The fixes that could not be applied without a compile error or a clash with another
    /// fix: (rule id, fix title).
    pub skipped: Vec<(String, String)>,
}

/// Applies the fixes of the findings of `ws` in `database` (its texts are updated in place)
/// and returns what changed. The workspace compiles after every accepted fix. With `only`,
/// just the findings reported in that file are fixed (the editor's "fix all in this file").
pub fn fix_all(
    database: &mut Database,
    ws: Workspace,
    config: &LintConfig,
    only: Option<FileIdx>,
) -> FixOutcome {
    let files: Vec<_> = ws.files(database).clone();
    let originals: Vec<String> = files.iter().map(|f| f.text(database).clone()).collect();
    let mut applied_titles: HashSet<(String, String, String)> = HashSet::new();
    let mut outcome = FixOutcome::default();

    for _ in 0..MAX_ROUNDS {
        let findings = report::findings(&*database, ws, config);
        let base: Vec<String> = files.iter().map(|f| f.text(database).clone()).collect();
        let mut accepted: BTreeMap<FileIdx, Vec<TextEdit>> = BTreeMap::new();
        let mut skipped = Vec::new();
        let mut progress = false;
        for finding in &findings {
            let Some((title, edits)) = &finding.fix else {
                continue;
            };
            if only.is_some_and(|f| f != finding.primary.file) {
                continue;
            }
            // The item is part of the key: two items can have fixes of the same words (the
            // same rule replaced in two VPCs' groups), and each is applied.
            let key = (
                finding.code.to_string(),
                title.clone(),
                finding.resource.clone().unwrap_or_default(),
            );
            if applied_titles.contains(&key) {
                // Applied in an earlier round and the finding is still here: applying it
                // again would repeat the edit, not fix anything.
                skipped.push((key.0, key.1));
                continue;
            }
            let mut trial = accepted.clone();
            for (file, edit) in edits {
                trial.entry(*file).or_default().push(edit.clone());
            }
            if try_texts(database, ws, &base, &trial) {
                accepted = trial;
                applied_titles.insert(key);
                outcome.applied += 1;
                progress = true;
            } else {
                skipped.push((key.0, key.1));
            }
        }
        // The database holds the texts of the last accepted trial.
        set_texts(database, ws, &base, &accepted);
        outcome.skipped = skipped;
        if !progress {
            break;
        }
    }

    for (i, file) in files.iter().enumerate() {
        let after = file.text(database);
        if *after != originals[i] {
            outcome.changed.push((
                file.path(database).clone(),
                originals[i].clone(),
                after.clone(),
            ));
        }
    }
    outcome
}

/// Sets the files of `edits` to `base` with those edits applied; true when every edit
/// applied (none overlaps another) and the workspace then compiles.
fn try_texts(
    database: &mut Database,
    ws: Workspace,
    base: &[String],
    edits: &BTreeMap<FileIdx, Vec<TextEdit>>,
) -> bool {
    for (file, file_edits) in edits {
        let Some(before) = base.get(file.0 as usize) else {
            return false;
        };
        let (_, applied) = fix::apply(before, file_edits.clone());
        if applied != file_edits.len() {
            return false;
        }
    }
    set_texts(database, ws, base, edits);
    render::compile_diagnostics(&*database, ws).is_empty()
}

/// Sets every file's text to its `base` text with its `edits` applied.
fn set_texts(
    database: &mut Database,
    ws: Workspace,
    base: &[String],
    edits: &BTreeMap<FileIdx, Vec<TextEdit>>,
) {
    for (i, text) in base.iter().enumerate() {
        let idx = FileIdx(i as u32);
        let Some(file) = db::file_at(&*database, ws, idx) else {
            continue;
        };
        let wanted = match edits.get(&idx) {
            Some(e) => fix::apply(text, e.clone()).0,
            None => text.clone(),
        };
        if *file.text(&*database) != wanted {
            database.set_text(file, wanted);
        }
    }
}
