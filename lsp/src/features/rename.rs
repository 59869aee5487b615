//! Rename: a declaration and every reference to it, across the files of its root. The new
//! name must be a name the grammar accepts and must not be taken in the declaration's scope.

use std::collections::HashMap;

use gen_lsp_types::{PrepareRenameParams, RenameParams, TextEdit, Uri, WorkspaceEdit};
use serde_json::{json, Value};
use vnet::db;

use super::names;
use crate::convert::Lines;
use crate::snapshot::Snapshot;
use crate::Failure;

pub fn prepare(snap: &Snapshot, params: PrepareRenameParams) -> Result<Option<Value>, Failure> {
    let Some((file, offset)) = snap.position(&params.text_document_position_params) else {
        return Ok(None);
    };
    let Some(here) = names::at(snap, file, offset) else {
        return Err(Failure(
            "only the name of a declaration or a reference to one can be renamed".to_string(),
        ));
    };
    let text = snap.text(file.file);
    let lines = Lines::new(text);
    Ok(Some(json!({
        "range": lines.range(here.span),
        "placeholder": text.get(here.span.range()).unwrap_or_default(),
    })))
}

/// Whether `name` is an identifier of the grammar (`[A-Za-z_][A-Za-z0-9_-]*`).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

pub fn rename(snap: &Snapshot, params: RenameParams) -> Result<Option<WorkspaceEdit>, Failure> {
    let Some((file, offset)) = snap.position(&params.text_document_position_params) else {
        return Ok(None);
    };
    let Some(here) = names::at(snap, file, offset) else {
        return Err(Failure("nothing to rename here".to_string()));
    };
    let new_name = params.new_name.trim();
    if !is_identifier(new_name) {
        return Err(Failure(format!(
            "`{new_name}` is not a valid name: a letter or `_`, then letters, digits, `_` or `-`"
        )));
    }
    let ws = file.ws();
    let index = db::item_index(&snap.db, ws);
    let decl = &index.decls[here.decl];
    if decl.name == new_name {
        return Ok(Some(WorkspaceEdit::default()));
    }
    if let Some(taken) = index.lookup(decl.scope, new_name) {
        let kind = index.decls[taken].kind.describe();
        return Err(Failure(format!(
            "`{new_name}` is already the name of {kind} in this scope"
        )));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for o in names::occurrences(snap, file.root) {
        if o.decl != here.decl {
            continue;
        }
        let Some(source) = db::file_at(&snap.db, ws, o.file) else {
            continue;
        };
        let Some(uri) = snap.uri(source) else {
            continue;
        };
        let range = Lines::new(snap.text(source)).range(o.span);
        changes.entry(uri).or_default().push(TextEdit {
            range,
            new_text: new_name.to_string(),
        });
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}
