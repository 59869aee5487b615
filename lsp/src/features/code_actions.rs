//! Code actions: the fix of every finding or error that has one (the same edits as
//! `vnetc lint --fix`), "did you mean" replacements, suppressing a finding with a
//! `# vnet: allow(rule)` comment, and all the fixes of a file at once (`source.fixAll`).

use std::collections::HashMap;

use gen_lsp_types::{CodeActionParams, TextEdit, Uri};
use serde_json::{json, Value};
use vnet::db;
use vnet::diagnostics::codes;
use vnet::diagnostics::fix::TextEdit as TextEditBytes;
use vnet::diagnostics::render::Located;
use vnet::ir::FileIdx;

use crate::convert::Lines;
use crate::diagnostics;
use crate::snapshot::{FileRef, Snapshot};
use crate::Failure;

pub fn code_actions(snap: &Snapshot, params: CodeActionParams) -> Result<Vec<Value>, Failure> {
    let Some(file) = snap.file(&params.text_document.uri) else {
        return Ok(Vec::new());
    };
    let text = snap.text(file.file);
    let lines = Lines::new(text);
    // Whole lines: editors often send just the cursor, which may sit before the finding.
    let mut wanted = lines.span(params.range);
    let start = text[..wanted.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[wanted.end as usize..]
        .find('\n')
        .map_or(text.len(), |i| wanted.end as usize + i);
    wanted = vnet::syntax::Span::new(start, end);
    let mut out = Vec::new();
    let located = diagnostics::located(snap, file.root);
    for d in &located {
        let span = d.primary.span;
        let touches = span.start <= wanted.end && wanted.start <= span.end;
        if d.primary.file != file.idx || !touches {
            continue;
        }
        let diagnostic = diagnostics::to_lsp(snap, file.root, d);
        if let Some((title, edits)) = &d.fix {
            let changes = text_edits(snap, file, edits.iter());
            out.push(action(format!("Fix: {title}"), &diagnostic, changes, true));
        }
        if let Some(replacement) = &d.suggestion {
            let uri = params.text_document.uri.clone();
            let edit = TextEdit {
                range: lines.range(span),
                new_text: replacement.clone(),
            };
            let changes = HashMap::from([(uri, vec![edit])]);
            out.push(action(
                format!("Replace with `{replacement}`"),
                &diagnostic,
                changes,
                true,
            ));
        }
        if d.code.0 != codes::SYNTAX.0 && !d.code.0.starts_with('E') {
            if let Some(a) = suppress(snap, file, &params.text_document.uri, d, &diagnostic) {
                out.push(a);
            }
        }
    }
    out.extend(fix_all(snap, file, &located));
    Ok(out)
}

/// Every fix of the findings reported in this file at once (`source.fixAll`), as
/// `vnetc lint --fix` applies them: an edit that overlaps an earlier one waits for a second run.
fn fix_all(snap: &Snapshot, file: FileRef<'_>, located: &[Located]) -> Option<Value> {
    let fixes: Vec<&(String, Vec<(FileIdx, TextEditBytes)>)> = located
        .iter()
        .filter(|d| d.primary.file == file.idx)
        .filter_map(|d| d.fix.as_ref())
        .collect();
    if fixes.len() < 2 {
        return None;
    }
    let mut edits: Vec<&(FileIdx, TextEditBytes)> = fixes.iter().flat_map(|(_, e)| e).collect();
    edits.sort_by_key(|(f, e)| (*f, e.start, e.end));
    let mut kept: Vec<&(FileIdx, TextEditBytes)> = Vec::new();
    for edit in edits {
        let overlaps = kept
            .last()
            .is_some_and(|(f, e)| *f == edit.0 && edit.1.start < e.end.max(e.start + 1));
        if !overlaps {
            kept.push(edit);
        }
    }
    let changes = text_edits(snap, file, kept.into_iter());
    Some(json!({
        "title": format!("Fix all {} fixable findings in this file", fixes.len()),
        "kind": "source.fixAll.vnet",
        "edit": { "changes": changes },
    }))
}

/// Byte edits of the workspace's files as the protocol's edits, by URI.
fn text_edits<'a>(
    snap: &Snapshot,
    file: FileRef<'_>,
    edits: impl Iterator<Item = &'a (FileIdx, TextEditBytes)>,
) -> HashMap<Uri, Vec<TextEdit>> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (idx, edit) in edits {
        let Some(source) = db::file_at(&snap.db, file.ws(), *idx) else {
            continue;
        };
        let Some(uri) = snap.uri(source) else {
            continue;
        };
        let lines = Lines::new(snap.text(source));
        changes.entry(uri).or_default().push(TextEdit {
            range: lines.range(vnet::syntax::Span::new(edit.start, edit.end)),
            new_text: edit.replacement.clone(),
        });
    }
    changes
}

fn action(
    title: String,
    diagnostic: &Option<gen_lsp_types::Diagnostic>,
    changes: HashMap<Uri, Vec<TextEdit>>,
    preferred: bool,
) -> Value {
    json!({
        "title": title,
        "kind": "quickfix",
        "diagnostics": diagnostic.iter().collect::<Vec<_>>(),
        "isPreferred": preferred,
        "edit": { "changes": changes },
    })
}

/// Suppress a finding: a `# vnet: allow(rule)` line above the line it is reported on.
fn suppress(
    snap: &Snapshot,
    file: FileRef<'_>,
    uri: &Uri,
    d: &Located,
    diagnostic: &Option<gen_lsp_types::Diagnostic>,
) -> Option<Value> {
    if d.code.0 == vnet::lint::report::UNUSED_SUPPRESSION {
        return None;
    }
    let text = snap.text(file.file);
    let at = d.primary.span.start as usize;
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let lines = Lines::new(text);
    let position = lines.position(line_start);
    let edit = TextEdit {
        range: gen_lsp_types::Range {
            start: position,
            end: position,
        },
        new_text: format!("{indent}# vnet: allow({}) reason\n", d.code.0),
    };
    let changes = HashMap::from([(uri.clone(), vec![edit])]);
    Some(action(
        format!("Suppress `{}` here with a comment", d.code.0),
        diagnostic,
        changes,
        false,
    ))
}
