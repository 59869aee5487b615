//! Code actions: the fix of every finding or error that has one (the same edits as
//! `vnetc lint --fix`), "did you mean" replacements, suppressing a finding with a
//! `# vnet: allow(rule)` comment, and all the fixes of a file at once (`source.fixAll`).

use std::collections::{BTreeMap, HashMap};

use gen_lsp_types::{CodeActionParams, TextEdit, Uri};
use serde_json::{json, Value};
use vnet::db::{self, Database};
use vnet::diagnostics::codes;
use vnet::diagnostics::fix::{self, TextEdit as TextEditBytes};
use vnet::diagnostics::render::{self, Located};
use vnet::ir::FileIdx;
use vnet::lint::autofix;

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
/// `vnetc lint --fix` applies them: the fixes together when the workspace still compiles with
/// all of them (the common case, and cheap), otherwise `--fix`'s own loop, which keeps a fix
/// only if the workspace compiles with it and computes the others again on the new text (two
/// reply rules for one NACL must not take the same rule number).
fn fix_all(snap: &Snapshot, file: FileRef<'_>, located: &[Located]) -> Option<Value> {
    let fixes: Vec<&(String, Vec<(FileIdx, TextEditBytes)>)> = located
        .iter()
        .filter(|d| d.primary.file == file.idx)
        .filter_map(|d| d.fix.as_ref())
        .collect();
    if fixes.len() < 2 {
        return None;
    }
    let mut by_file: BTreeMap<FileIdx, Vec<TextEditBytes>> = BTreeMap::new();
    for (idx, edit) in fixes.iter().flat_map(|(_, e)| e) {
        by_file.entry(*idx).or_default().push(edit.clone());
    }
    let sources = file.ws().files(&snap.db);
    let texts: Vec<(String, String)> = sources
        .iter()
        .map(|f| (f.path(&snap.db).clone(), f.text(&snap.db).clone()))
        .collect();
    let together: Vec<(String, String)> = texts
        .iter()
        .enumerate()
        .map(|(i, (path, text))| match by_file.get(&FileIdx(i as u32)) {
            Some(edits) => (path.clone(), fix::apply(text, edits.clone()).0),
            None => (path.clone(), text.clone()),
        })
        .collect();
    let fresh = Database::default();
    let ws = fresh.workspace(together.clone());
    let changes = if render::compile_diagnostics(&fresh, ws).is_empty() {
        whole_file_edits(snap, file, &texts, &together)
    } else {
        let mut fresh = Database::default();
        let ws = fresh.workspace(texts.clone());
        fresh.set_flow_config(ws, *file.ws().flow(&snap.db));
        let path = file.file.path(&snap.db);
        let only = ws.files(&fresh).iter().position(|f| f.path(&fresh) == path);
        let only = FileIdx(only? as u32);
        let outcome = autofix::fix_all(&mut fresh, ws, &file.root.config.lint, Some(only));
        let after: Vec<(String, String)> = texts
            .iter()
            .map(|(path, text)| {
                let fixed = outcome.changed.iter().find(|(p, _, _)| p == path);
                (path.clone(), fixed.map_or(text, |(_, _, a)| a).clone())
            })
            .collect();
        whole_file_edits(snap, file, &texts, &after)
    };
    if changes.is_empty() {
        return None;
    }
    Some(json!({
        "title": format!("Fix all {} fixable findings in this file", fixes.len()),
        "kind": "source.fixAll.vnet",
        "edit": { "changes": changes },
    }))
}

/// One edit per changed file, replacing its whole text (`before` and `after` are the
/// workspace's files, in its order).
fn whole_file_edits(
    snap: &Snapshot,
    file: FileRef<'_>,
    before: &[(String, String)],
    after: &[(String, String)],
) -> HashMap<Uri, Vec<TextEdit>> {
    let mut changes = HashMap::new();
    for (i, ((_, old), (_, new))) in before.iter().zip(after).enumerate() {
        if old == new {
            continue;
        }
        let Some(source) = db::file_at(&snap.db, file.ws(), FileIdx(i as u32)) else {
            continue;
        };
        let Some(uri) = snap.uri(source) else {
            continue;
        };
        let lines = Lines::new(old);
        let edit = TextEdit {
            range: lines.range(vnet::syntax::Span::new(0, old.len())),
            new_text: new.clone(),
        };
        changes.insert(uri, vec![edit]);
    }
    changes
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
