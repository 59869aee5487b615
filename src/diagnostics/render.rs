//! Rendering: diagnostics located by node become diagnostics located by span, then text
//! (codespan-reporting) or JSON.

use codespan_reporting::diagnostic::{Diagnostic, Label as CsLabel, Severity as CsSeverity};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::borrow::Cow;
use std::ops::Range;

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

/// A diagnostic as it is drawn as text: its labels (the primary first) and its notes, with
/// the labels on over-long lines turned into notes that say where they are.
pub struct Drawn<'a> {
    pub severity: Severity,
    pub code: &'static str,
    pub message: &'a str,
    pub labels: Vec<DrawnLabel<'a>>,
    pub notes: Vec<Cow<'a, str>>,
}

pub struct DrawnLabel<'a> {
    pub primary: bool,
    pub file: usize,
    pub range: Range<usize>,
    pub message: &'a str,
}

/// Lines longer than this (minified or generated text) are not quoted under a diagnostic: the
/// diagnostic names the line and byte instead, so that a thousand errors on one 10 MB line
/// print a thousand short reports, not 10 GB.
const MAX_QUOTED_LINE: usize = 4096;

/// `d` as it is drawn, borrowing its words.
pub fn drawn<'a>(files: &Files, d: &'a Located) -> Drawn<'a> {
    use codespan_reporting::files::Files as _;
    let label = |primary, place: Place, message: &'a String| {
        let range = place.span.range();
        DrawnLabel {
            primary,
            file: place.file.0 as usize,
            // A span that ends before it starts (a caller's bug) is drawn as its start.
            range: range.start..range.end.max(range.start),
            message,
        }
    };
    let mut labels = Vec::with_capacity(1 + d.secondary.len());
    labels.push(label(true, d.primary, &d.primary_label));
    labels.extend(d.secondary.iter().map(|(p, m)| label(false, *p, m)));
    let mut notes = Vec::with_capacity(d.notes.len() + 2);
    labels.retain(|label| {
        let at = label.range.start;
        let line = files.line_index(label.file, at).ok();
        let range = line.and_then(|l| files.line_range(label.file, l).ok());
        match (line, range) {
            (Some(line), Some(range)) if range.len() > MAX_QUOTED_LINE => {
                let name = files.name(label.file).unwrap_or_default();
                let what = if label.message.is_empty() {
                    String::new()
                } else {
                    format!(": {}", label.message)
                };
                notes.push(Cow::Owned(format!(
                    "at {name}:{}, byte {} of the line (a line of {} bytes is not quoted){what}",
                    line + 1,
                    at - range.start + 1,
                    range.len()
                )));
                false
            }
            _ => true,
        }
    });
    notes.extend(d.notes.iter().map(|n| Cow::Borrowed(n.as_str())));
    if let Some((title, _)) = &d.fix {
        notes.push(Cow::Owned(format!("fix: {title}")));
    }
    if let Some(s) = &d.suggestion {
        if !d.primary_label.contains(s.as_str()) {
            notes.push(Cow::Owned(format!("help: replace with `{s}`")));
        }
    }
    Drawn {
        severity: d.severity,
        code: d.code.0,
        message: &d.message,
        labels,
        notes,
    }
}

/// `d` as codespan-reporting's diagnostic, which draws coloured output.
pub fn to_codespan(d: &Drawn) -> Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let labels = d
        .labels
        .iter()
        .map(|l| {
            let label = if l.primary {
                CsLabel::primary(l.file, l.range.clone())
            } else {
                CsLabel::secondary(l.file, l.range.clone())
            };
            label.with_message(l.message)
        })
        .collect();
    Diagnostic::new(severity)
        .with_code(d.code)
        .with_message(d.message)
        .with_labels(labels)
        .with_notes(d.notes.iter().map(|n| n.to_string()).collect())
}

/// Renders diagnostics as text, without colour (for snapshots and pipes).
pub fn human_string(files: &Files, diags: &[Located]) -> String {
    let mut out = String::new();
    for d in diags {
        super::plain::draw(files, &drawn(files, d), &mut out);
    }
    out
}

/// Renders diagnostics to standard output, coloured when `color` says so, a batch at a time
/// (one system call per batch, and the text held at once bounded).
///
/// Plain text is drawn on this thread: with vnet's own renderer, spreading the batches over
/// the cores cost more than it saved (thread starts and each round's wait: hub-spoke 100's
/// 2,030 findings took 3.7-4.0 ms on two cores, 2.4-2.5 ms on this one). Colour goes through
/// codespan-reporting (without colour, it took 145 million instructions for those findings
/// against this renderer's 26 million), and is drawn on every core, a round of batches at a
/// time.
pub fn human_to_stdout(files: &Files, diags: &[Located], color: bool) {
    use std::io::Write;
    const BATCH: usize = 64;
    let mut out = std::io::stdout().lock();
    if !color {
        for batch in diags.chunks(BATCH) {
            // A closed pipe (`vnetc lint | head`) ends the output, not the run.
            if out
                .write_all(human_string(files, batch).as_bytes())
                .is_err()
            {
                return;
            }
        }
        let _ = out.flush();
        return;
    }
    let config = term::Config::default();
    let batches: Vec<&[Located]> = diags.chunks(BATCH).collect();
    let round = 4 * crate::parallel::threads(batches.len());
    for batches in batches.chunks(round) {
        let rendered = crate::parallel::map_on_all_cores(
            batches,
            || (),
            |_, batch| {
                let mut buffer = termcolor::Buffer::ansi();
                for d in batch.iter() {
                    let diag = to_codespan(&drawn(files, d));
                    let _ = term::emit_to_write_style(&mut buffer, &config, files, &diag);
                }
                buffer.into_inner()
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
