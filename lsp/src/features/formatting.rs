//! Document and range formatting: `vnetc fmt`'s formatter ([`vnet::fmt`]), so the editor and
//! the CLI agree on every byte. A document that does not parse is not formatted (its syntax
//! errors are already published as diagnostics): the answer is no edits.

use gen_lsp_types::{
    DocumentFormattingParams, DocumentRangeFormattingParams, Range, TextEdit, Uri,
};
use vnet::fmt::{self, FormatError};

use crate::convert::Lines;
use crate::snapshot::Snapshot;
use crate::Failure;

pub fn format_document(
    snap: &Snapshot,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, Failure> {
    edits(snap, &params.text_document.uri, None)
}

pub fn format_range(
    snap: &Snapshot,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>, Failure> {
    edits(snap, &params.text_document.uri, Some(params.range))
}

fn edits(
    snap: &Snapshot,
    uri: &Uri,
    range: Option<Range>,
) -> Result<Option<Vec<TextEdit>>, Failure> {
    let Some(file) = snap.file(uri) else {
        return Ok(None);
    };
    let text = snap.text(file.file);
    let lines = Lines::new(text);
    let bytes = range.map(|r| {
        let span = lines.span(r);
        span.start as usize..span.end as usize
    });
    match fmt::format_range(text, bytes) {
        Ok(edits) => Ok(Some(
            edits
                .into_iter()
                .map(|e| TextEdit {
                    range: Range {
                        start: lines.position(e.range.start),
                        end: lines.position(e.range.end),
                    },
                    new_text: e.new_text,
                })
                .collect(),
        )),
        Err(FormatError::Syntax(_)) => Ok(None),
        Err(e @ FormatError::Unsafe(_)) => Err(Failure(e.to_string())),
    }
}
