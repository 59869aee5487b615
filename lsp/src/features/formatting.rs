//! Document formatting: the place for `vnetc fmt`'s formatter (another engineer's work, not
//! written here). Once the library exposes it, call it from [`format_document`] and advertise
//! `documentFormattingProvider` in [`crate::capabilities::server`]; until then the request is
//! answered with no edits.

use gen_lsp_types::{DocumentFormattingParams, TextEdit};

use crate::snapshot::Snapshot;
use crate::Failure;

pub fn format_document(
    _snap: &Snapshot,
    _params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, Failure> {
    Ok(None)
}
