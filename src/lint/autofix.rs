//! `--fix`: apply the findings' fixes so that the workspace still compiles.
//!
//! Each fix is computed against the text the lint ran on, alone. Two fixes can be right
//! alone and wrong together (two reply rules for one NACL choosing the same free rule
//! number), so a round's fixes are accepted only as far as the workspace with them compiles:
//! all together when it does, else each half in turn (see `Round::accept`). The rest wait
//! for the next round, where the lint runs again on the new text and computes them afresh
//! (ruff's fix loop does the same).

use std::collections::{BTreeMap, HashMap};

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
/// and returns what changed. The workspace compiles after every round. With `only`,
/// just the findings reported in that file are fixed (the editor's "fix all in this file").
pub fn fix_all(
    database: &mut Database,
    ws: Workspace,
    config: &LintConfig,
    only: Option<FileIdx>,
) -> FixOutcome {
    let files: Vec<_> = ws.files(database).clone();
    let originals: Vec<String> = files.iter().map(|f| f.text(database).clone()).collect();
    // How many times each fix was applied, and the most findings that offered it in one round.
    let mut applied: HashMap<FixKey, usize> = HashMap::new();
    let mut most_offered: HashMap<FixKey, usize> = HashMap::new();
    let mut outcome = FixOutcome::default();

    for _ in 0..MAX_ROUNDS {
        let findings = report::findings(&*database, ws, config);
        let base: Vec<String> = files.iter().map(|f| f.text(database).clone()).collect();
        // The fixes of this round, in finding order, with the key that tells them apart.
        let offers: Vec<Candidate> = (findings.iter().enumerate())
            .filter(|(_, f)| only.is_none_or(|file| file == f.primary.file))
            .filter_map(|(at, f)| {
                let (title, edits) = f.fix.as_ref()?;
                // The item is part of the key: two items can have fixes of the same words
                // (the same rule replaced in two VPCs' groups), and each is applied.
                let key = (
                    f.code.to_string(),
                    title.clone(),
                    f.resource.clone().unwrap_or_default(),
                );
                Some(Candidate { at, key, edits })
            })
            .collect();
        let mut offered: HashMap<&FixKey, usize> = HashMap::new();
        for offer in &offers {
            *offered.entry(&offer.key).or_default() += 1;
        }
        for (key, n) in offered {
            let most = most_offered.entry(key.clone()).or_default();
            *most = (*most).max(n);
        }
        // A fix is applied at most as many times as findings offered it in one round (a group
        // with the same redundant rule written twice has two findings of the same words): once
        // those are applied, a finding still offering it is one the fix did not mend, and
        // applying it again would repeat the edit.
        let mut admitted: HashMap<FixKey, usize> = HashMap::new();
        let (candidates, refused): (Vec<Candidate>, Vec<Candidate>) =
            offers.into_iter().partition(|offer| {
                let earlier = applied.get(&offer.key).copied().unwrap_or(0);
                let now = admitted.entry(offer.key.clone()).or_default();
                *now += 1;
                earlier + *now <= most_offered.get(&offer.key).copied().unwrap_or(0)
            });
        let skipped = (refused.into_iter())
            .map(|offer| (offer.at, offer.key.0, offer.key.1))
            .collect();
        let mut round = Round {
            base: &base,
            accepted: BTreeMap::new(),
            applied: Vec::new(),
            skipped,
        };
        round.accept(database, ws, &candidates);
        let progress = !round.applied.is_empty();
        outcome.applied += round.applied.len();
        for key in round.applied {
            *applied.entry(key).or_default() += 1;
        }
        let (accepted, mut skipped) = (round.accepted, round.skipped);
        set_texts(database, ws, &base, &accepted);
        skipped.sort_by_key(|s| s.0);
        outcome.skipped = skipped
            .into_iter()
            .map(|(_, rule, title)| (rule, title))
            .collect();
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

/// What tells fixes apart: the rule, the fix's words and the item.
type FixKey = (String, String, String);

/// A fix offered in a round: its key and its edits.
struct Candidate<'f> {
    /// Where its finding is in the round's findings.
    at: usize,
    key: FixKey,
    edits: &'f [(FileIdx, TextEdit)],
}

/// One round's accepted edits, from the texts the round's lint ran on.
struct Round<'b> {
    base: &'b [String],
    accepted: BTreeMap<FileIdx, Vec<TextEdit>>,
    /// The keys of the fixes accepted, in finding order.
    applied: Vec<FixKey>,
    /// The fixes refused: (where the finding is, rule id, fix title).
    skipped: Vec<(usize, String, String)>,
}

impl Round<'_> {
    /// Accepts `fixes` if the workspace with them and the fixes accepted before compiles, else
    /// each half in turn, down to single fixes, which are refused when they do not compile
    /// with what was accepted before them. A compile re-lowers the whole network: one per fix
    /// made hub-spoke 100's 922 fixes take 14 s. When a batch compiles, one compile accepts
    /// it; a fix that breaks the compile is isolated in as many compiles as halvings.
    fn accept(&mut self, database: &mut Database, ws: Workspace, fixes: &[Candidate]) {
        if fixes.is_empty() {
            return;
        }
        let mut trial = self.accepted.clone();
        for fix in fixes {
            for (file, edit) in fix.edits {
                trial.entry(*file).or_default().push(edit.clone());
            }
        }
        if try_texts(database, ws, self.base, &trial) {
            self.accepted = trial;
            self.applied.extend(fixes.iter().map(|f| f.key.clone()));
        } else if let [fix] = fixes {
            self.skipped
                .push((fix.at, fix.key.0.clone(), fix.key.1.clone()));
        } else {
            let (first, second) = fixes.split_at(fixes.len() / 2);
            self.accept(database, ws, first);
            self.accept(database, ws, second);
        }
    }
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
        if fix::apply(before, file_edits.clone()).1 > 0 {
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
