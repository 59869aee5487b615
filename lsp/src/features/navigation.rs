//! Go to definition, find references and document highlight: the occurrences of the
//! declaration under the cursor.

use gen_lsp_types::{
    DefinitionParams, DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams, Location,
    ReferenceParams,
};
use vnet::db;
use vnet::diagnostics::render::Place;

use super::names::{self, Occurrence};
use crate::convert::Lines;
use crate::snapshot::{FileRef, Snapshot};
use crate::Failure;

/// The declaration under the cursor and all its occurrences in the root.
fn occurrences_here<'a>(
    snap: &'a Snapshot,
    params: &gen_lsp_types::TextDocumentPositionParams,
) -> Option<(FileRef<'a>, Occurrence, Vec<Occurrence>)> {
    let (file, offset) = snap.position(params)?;
    let here = names::at(snap, file, offset)?;
    let all = names::occurrences(snap, file.root)
        .into_iter()
        .filter(|o| o.decl == here.decl)
        .collect();
    Some((file, here, all))
}

pub fn definition(snap: &Snapshot, params: DefinitionParams) -> Result<Vec<Location>, Failure> {
    let Some((file, _, all)) = occurrences_here(snap, &params.text_document_position_params) else {
        return Ok(Vec::new());
    };
    Ok(all
        .iter()
        .filter(|o| o.is_decl)
        .filter_map(|o| location(snap, file, o))
        .collect())
}

pub fn references(snap: &Snapshot, params: ReferenceParams) -> Result<Vec<Location>, Failure> {
    let include_declaration = params.context.include_declaration;
    let Some((file, _, all)) = occurrences_here(snap, &params.text_document_position_params) else {
        return Ok(Vec::new());
    };
    Ok(all
        .iter()
        .filter(|o| include_declaration || !o.is_decl)
        .filter_map(|o| location(snap, file, o))
        .collect())
}

pub fn highlight(
    snap: &Snapshot,
    params: DocumentHighlightParams,
) -> Result<Vec<DocumentHighlight>, Failure> {
    let Some((file, _, all)) = occurrences_here(snap, &params.text_document_position_params) else {
        return Ok(Vec::new());
    };
    let lines = Lines::new(snap.text(file.file));
    Ok(all
        .iter()
        .filter(|o| o.file == file.idx)
        .map(|o| DocumentHighlight {
            range: lines.range(o.span),
            kind: Some(if o.is_decl {
                DocumentHighlightKind::Write
            } else {
                DocumentHighlightKind::Read
            }),
        })
        .collect())
}

fn location(snap: &Snapshot, file: FileRef<'_>, o: &Occurrence) -> Option<Location> {
    db::file_at(&snap.db, file.ws(), o.file)?;
    snap.location(
        file.ws(),
        Place {
            file: o.file,
            span: o.span,
        },
    )
}
