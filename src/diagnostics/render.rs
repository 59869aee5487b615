//! Rendering: diagnostics located by node become diagnostics located by span, then text
//! (codespan-reporting) or JSON.

use codespan_reporting::diagnostic::{Diagnostic, Label as CsLabel, Severity as CsSeverity};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

pub use super::files::Files;
use super::{codes, Code, Diag, Severity};
use crate::db::{self, Db, Workspace};
use crate::ir::{FileIdx, Origin};
use crate::syntax::Span;

/// A place in a file of the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: FileIdx,
    pub span: Span,
}

/// A diagnostic located by spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Place,
    pub primary_label: String,
    pub secondary: Vec<(Place, String)>,
    pub notes: Vec<String>,
    pub suggestion: Option<String>,
    /// Lint findings: the resource the fix goes in.
    pub resource: Option<String>,
    /// The fix's title and its edits, resolved to byte ranges per file.
    pub fix: Option<(String, Vec<(FileIdx, super::fix::TextEdit)>)>,
}

/// The span of a node of a workspace file.
pub fn place(db: &dyn Db, ws: Workspace, origin: Origin) -> Place {
    let span = db::file_at(db, ws, origin.file)
        .map(|f| db::spans(db, f).get(origin.node))
        .unwrap_or_default();
    Place {
        file: origin.file,
        span,
    }
}

/// A diagnostic with its places resolved, its words moved (a lint run's findings are
/// megabytes of text on a large network: a copy at each step was a run's peak).
pub fn locate(db: &dyn Db, ws: Workspace, diag: Diag) -> Located {
    Located {
        code: diag.code,
        severity: diag.severity,
        primary: place(db, ws, diag.primary.origin),
        primary_label: diag.primary.message,
        secondary: diag
            .secondary
            .into_iter()
            .map(|l| (place(db, ws, l.origin), l.message))
            .collect(),
        fix: diag
            .fix
            .as_ref()
            .map(|f| (f.title.clone(), resolve_fix(db, ws, f))),
        message: diag.message,
        notes: diag.notes,
        suggestion: diag.suggestion,
        resource: diag.resource,
    }
}

/// A fix's edits as byte ranges of the workspace's files.
pub fn resolve_fix(
    db: &dyn Db,
    ws: Workspace,
    fix: &super::Fix,
) -> Vec<(FileIdx, super::fix::TextEdit)> {
    fix.edits
        .iter()
        .filter_map(|e| {
            let file = db::file_at(db, ws, e.anchor.file)?;
            let span = db::spans(db, file).get(e.anchor.node);
            Some((e.anchor.file, super::fix::resolve(e, file.text(db), span)))
        })
        .collect()
}

/// Every compile error of the workspace (syntax errors first within each file), in file and
/// position order.
pub fn compile_diagnostics(db: &dyn Db, ws: Workspace) -> Vec<Located> {
    let mut out = Vec::new();
    for (i, file) in ws.files(db).iter().enumerate() {
        for e in db::syntax_errors(db, *file) {
            out.push(Located {
                code: codes::SYNTAX,
                severity: Severity::Error,
                message: e.message.clone(),
                primary: Place {
                    file: FileIdx(i as u32),
                    span: e.span,
                },
                primary_label: String::new(),
                secondary: Vec::new(),
                notes: Vec::new(),
                suggestion: None,
                resource: None,
                fix: None,
            });
        }
    }
    for diag in db::compile_errors(db, ws) {
        out.push(locate(db, ws, diag.clone()));
    }
    out.sort_by(|a, b| a.primary.cmp(&b.primary).then(a.code.cmp(&b.code)));
    out.dedup();
    out
}

/// The workspace's files in codespan's form (file id = [`FileIdx`]).
pub fn files(db: &dyn Db, ws: Workspace) -> Files<'_> {
    Files::new(
        ws.files(db)
            .iter()
            .map(|f| (f.path(db).as_str(), f.text(db).as_str())),
    )
}

pub fn to_codespan(d: &Located) -> Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let mut labels = vec![
        CsLabel::primary(d.primary.file.0 as usize, d.primary.span.range())
            .with_message(&d.primary_label),
    ];
    for (place, message) in &d.secondary {
        labels.push(
            CsLabel::secondary(place.file.0 as usize, place.span.range()).with_message(message),
        );
    }
    let mut notes = d.notes.clone();
    if let Some((title, _)) = &d.fix {
        notes.push(format!("fix: {title}"));
    }
    if let Some(s) = &d.suggestion {
        if !d.primary_label.contains(s.as_str()) {
            notes.push(format!("help: replace with `{s}`"));
        }
    }
    Diagnostic::new(severity)
        .with_code(d.code.0)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Lines longer than this (minified or generated text) are not quoted under a diagnostic: the
/// diagnostic names the line and byte instead, so that a thousand errors on one 10 MB line
/// print a thousand short reports, not 10 GB.
const MAX_QUOTED_LINE: usize = 4096;

/// `to_codespan`, with the labels that sit on an over-long line replaced by a note that
/// says where they are.
fn to_codespan_bounded(files: &Files, d: &Located) -> Diagnostic<usize> {
    use codespan_reporting::files::Files as _;
    let mut diag = to_codespan(d);
    let mut notes = Vec::new();
    diag.labels.retain(|label| {
        let at = label.range.start;
        let line = files.line_index(label.file_id, at).ok();
        let range = line.and_then(|l| files.line_range(label.file_id, l).ok());
        match (line, range) {
            (Some(line), Some(range)) if range.len() > MAX_QUOTED_LINE => {
                let name = files
                    .name(label.file_id)
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                let what = if label.message.is_empty() {
                    String::new()
                } else {
                    format!(": {}", label.message)
                };
                notes.push(format!(
                    "at {name}:{}, byte {} of the line (a line of {} bytes is not quoted){what}",
                    line + 1,
                    at - range.start + 1,
                    range.len()
                ));
                false
            }
            _ => true,
        }
    });
    notes.append(&mut diag.notes);
    diag.notes = notes;
    diag
}

/// Renders diagnostics as text, without colour (for snapshots and pipes).
pub fn human_string(files: &Files, diags: &[Located]) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for d in diags {
        if let Ok(s) = term::emit_into_string(&config, files, &to_codespan_bounded(files, d)) {
            out.push_str(&s);
        }
    }
    out
}

/// Renders diagnostics to standard output, coloured when `color` says so.
///
/// Rendering is most of the output's cost when a large network has thousands of findings:
/// batches of diagnostics are rendered on every core, a round at a time (so that the text
/// held at once stays bounded), and written in order with one system call per batch.
pub fn human_to_stdout(files: &Files, diags: &[Located], color: bool) {
    use std::io::Write;
    const BATCH: usize = 64;
    let config = term::Config::default();
    let batches: Vec<&[Located]> = diags.chunks(BATCH).collect();
    let round = 4 * crate::parallel::threads(batches.len());
    let mut out = std::io::stdout().lock();
    for batches in batches.chunks(round) {
        let rendered = crate::parallel::map_on_all_cores(
            batches,
            || (),
            |_, batch| {
                let diags = batch.iter().map(|d| to_codespan_bounded(files, d));
                if color {
                    let mut buffer = termcolor::Buffer::ansi();
                    for diag in diags {
                        let _ = term::emit_to_write_style(&mut buffer, &config, files, &diag);
                    }
                    buffer.into_inner()
                } else {
                    // Plain bytes, without a colour buffer's layers under each character
                    // that codespan writes.
                    let mut buffer = Vec::new();
                    for diag in diags {
                        let _ = term::emit_to_io_write(&mut buffer, &config, files, &diag);
                    }
                    buffer
                }
            },
        );
        for text in rendered {
            // A closed pipe (`vnetc lint | head`) ends the output, not the run.
            if out.write_all(&text).is_err() {
                return;
            }
        }
    }
    let _ = out.flush();
}

/// A position in JSON output: 1-based lines and columns (columns in characters).
#[derive(Clone, Debug, Serialize)]
pub struct JsonPlace {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct JsonLabel {
    #[serde(flatten)]
    pub place: JsonPlace,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    #[serde(flatten)]
    pub place: JsonPlace,
    pub label: String,
    pub related: Vec<JsonLabel>,
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

pub fn json_place(db: &dyn Db, ws: Workspace, place: Place) -> JsonPlace {
    let Some(file) = db::file_at(db, ws, place.file) else {
        return JsonPlace {
            file: String::new(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        };
    };
    let text = file.text(db);
    let index = db::line_index(db, file);
    let (line, column) = index.line_col(text, place.span.start as usize);
    let (end_line, end_column) = index.line_col(text, place.span.end as usize);
    JsonPlace {
        file: file.path(db).clone(),
        line,
        column,
        end_line,
        end_column,
    }
}

pub fn to_json(db: &dyn Db, ws: Workspace, d: &Located) -> JsonDiagnostic {
    JsonDiagnostic {
        code: d.code,
        severity: d.severity,
        message: d.message.clone(),
        place: json_place(db, ws, d.primary),
        label: d.primary_label.clone(),
        related: d
            .secondary
            .iter()
            .map(|(p, m)| JsonLabel {
                place: json_place(db, ws, *p),
                message: m.clone(),
            })
            .collect(),
        notes: d.notes.clone(),
        suggestion: d.suggestion.clone(),
    }
}
