//! From a workspace's raw findings to what a user sees: the configured selection and
//! severities, inline suppressions (and the unused ones), and findings that a more specific
//! one explains removed.

use super::config::LintConfig;
use super::{registry, suppress};
use crate::db::{self, Db, Workspace};
use crate::diagnostics::render::{self, Located, Place};
use crate::diagnostics::{Code, Diag, Severity};
use crate::ir::FileIdx;

/// The rule id of unused suppressions.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// The findings to report, located, in file and position order. The rules' findings are the
/// database's (kept for the next ask: the language server, `--fix`'s rounds), and those
/// reported are copied.
pub fn findings(db: &dyn Db, ws: Workspace, config: &LintConfig) -> Vec<Located> {
    let raw = if opt_in(config) {
        db::lint_findings(db, ws)
    } else {
        db::default_lint_findings(db, ws)
    };
    let located = selected(db, ws, config, raw)
        .into_iter()
        .map(|(i, severity)| locate_as(db, ws, raw[i].clone(), severity))
        .collect();
    suppressed(db, ws, config, located)
}

/// [`findings`] for a run that reports them once and exits (`vnetc lint`): the rules run
/// outside the database, and each finding reported is moved into its located form, not
/// copied. A network with thousands of findings held them twice at the run's end
/// (`bench/shapes.py lbnacl 100`: 6,720 findings, 6 MB each way). The flow engine's answers
/// are left to the system, not freed ([`crate::lint::lint_before_exit`]).
pub fn findings_once(db: &dyn Db, ws: Workspace, config: &LintConfig) -> Vec<Located> {
    use crate::lint::RuleSet;
    let set = if opt_in(config) {
        RuleSet::All
    } else {
        RuleSet::Default
    };
    let raw = crate::lint::lint_before_exit(&db::lower(db, ws).network, *ws.flow(db), set);
    let chosen = selected(db, ws, config, &raw);
    let mut raw: Vec<Option<Diag>> = raw.into_iter().map(Some).collect();
    let located = chosen
        .into_iter()
        .filter_map(|(i, severity)| Some(locate_as(db, ws, raw[i].take()?, severity)))
        .collect();
    suppressed(db, ws, config, located)
}

/// Whether the configuration selects an opt-in rule: only then do they run.
fn opt_in(config: &LintConfig) -> bool {
    registry::all()
        .iter()
        .any(|r| !r.default && config.enabled(r))
}

/// The findings of `raw` to report (by index, with their severities): the configured
/// selection, less those a more specific finding explains.
fn selected(
    db: &dyn Db,
    ws: Workspace,
    config: &LintConfig,
    raw: &[Diag],
) -> Vec<(usize, Severity)> {
    let files = ws.files(db);
    let selected = config.apply(raw, |d| {
        files
            .get(d.primary.origin.file.0 as usize)
            .map(|f| f.path(db).clone())
            .unwrap_or_default()
    });
    super::drop_explained(selected, |&(i, _)| &raw[i])
}

fn locate_as(db: &dyn Db, ws: Workspace, mut d: Diag, severity: Severity) -> Located {
    d.severity = severity;
    render::locate(db, ws, d)
}

/// `located` less the findings an inline suppression covers, with the unused suppressions
/// (when their rule is enabled), in file and position order.
fn suppressed(
    db: &dyn Db,
    ws: Workspace,
    config: &LintConfig,
    mut located: Vec<Located>,
) -> Vec<Located> {
    let files = ws.files(db);
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
