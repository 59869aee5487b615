//! From a workspace's raw findings to what a user sees: the configured selection and
//! severities, inline suppressions (and the unused ones), and findings that a more specific
//! one explains removed.

use super::config::LintConfig;
use super::{registry, suppress};
use crate::db::{self, Db, Workspace};
use crate::diagnostics::render::{self, Located, Place};
use crate::diagnostics::{Code, Severity};
use crate::ir::FileIdx;

/// The rule id of unused suppressions.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// The findings to report, located, in file and position order.
pub fn findings(db: &dyn Db, ws: Workspace, config: &LintConfig) -> Vec<Located> {
    let files = ws.files(db);
    // The opt-in rules run only when the configuration selects one of them.
    let opt_in = registry::all()
        .iter()
        .any(|r| !r.default && config.enabled(r));
    let raw = if opt_in {
        db::lint_findings(db, ws)
    } else {
        db::default_lint_findings(db, ws)
    };
    let selected = config.apply(raw, |d| {
        files
            .get(d.primary.origin.file.0 as usize)
            .map(|f| f.path(db).clone())
            .unwrap_or_default()
    });
    let selected = super::drop_explained(selected, |(d, _)| d);
    let mut located: Vec<Located> = selected
        .into_iter()
        .map(|(d, severity)| {
            let mut d = d.clone();
            d.severity = severity;
            render::locate(db, ws, d)
        })
        .collect();

    // Inline suppressions.
    let mut out = Vec::new();
    let mut unused = Vec::new();
    let mut sups: Vec<(FileIdx, suppress::Suppression, Vec<bool>)> = Vec::new();
    // Each file's suppressions (indices into `sups`): a finding is checked against those of
    // its own file, not every suppression of the workspace.
    let mut of_file: Vec<std::ops::Range<usize>> = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let first = sups.len();
        for s in db::suppressions(db, *f).iter().cloned() {
            let used = vec![false; s.rules.len()];
            sups.push((FileIdx(i as u32), s, used));
        }
        of_file.push(first..sups.len());
    }
    for finding in located.drain(..) {
        let mut suppressed = false;
        let in_file = of_file.get(finding.primary.file.0 as usize).cloned();
        for (_, s, used) in &mut sups[in_file.unwrap_or_default()] {
            if !(s.covers.start <= finding.primary.span.start
                && finding.primary.span.end <= s.covers.end)
            {
                continue;
            }
            if let Some(i) = s.rules.iter().position(|r| r == finding.code.0) {
                used[i] = true;
                suppressed = true;
            }
        }
        if !suppressed {
            out.push(finding);
        }
    }
    let unused_rule = registry::find(UNUSED_SUPPRESSION);
    if unused_rule.is_some_and(|r| config.enabled(r)) {
        for (file, s, used) in &sups {
            for (rule, was_used) in s.rules.iter().zip(used) {
                if *was_used {
                    continue;
                }
                let why = match registry::find(rule) {
                    None => format!("`{rule}` is not a rule id (`vnetc rules` lists them)"),
                    Some(r) if !config.enabled(r) => {
                        format!("`{rule}` is not enabled, so there is nothing to suppress")
                    }
                    Some(_) => format!("no `{rule}` finding in the statement it covers"),
                };
                unused.push(Located {
                    code: Code(UNUSED_SUPPRESSION),
                    severity: Severity::Warning,
                    message: format!("unused suppression: {why}"),
                    primary: Place { file: *file, span: s.comment },
                    primary_label: format!("allows `{rule}`"),
                    secondary: Vec::new(),
                    notes: vec!["remove it from the comment, so that a finding it should cover is not hidden later".to_string()],
                    suggestion: None,
                    resource: None,
                    fix: None,
                });
            }
        }
    }
    out.extend(unused);
    out.sort_by(|a, b| a.primary.cmp(&b.primary).then(a.code.cmp(&b.code)));
    out
}
