//! A snapshot of the state for one piece of work on a worker thread: a clone of the database
//! (cancelled when the main loop next writes) and the roots as they were.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gen_lsp_types::{Location, Position, Uri};
use vnet::db::{self, Database, SourceFile, Workspace};
use vnet::diagnostics::render::Place;
use vnet::ir::{FileIdx, Origin};
use vnet::syntax::Span;

use crate::convert::{self, Lines};
use crate::state::Root;

pub struct Snapshot {
    pub db: Database,
    pub roots: Arc<Vec<Root>>,
    /// The URIs the client opened documents under (kept as the client spelled them).
    pub uris: Arc<HashMap<PathBuf, Uri>>,
}

/// A file of the workspace, found from a URI.
#[derive(Clone, Copy)]
pub struct FileRef<'a> {
    pub root: &'a Root,
    pub file: SourceFile,
    pub idx: FileIdx,
}

impl FileRef<'_> {
    pub fn ws(&self) -> Workspace {
        self.root.ws
    }
}

impl Snapshot {
    /// The workspace file a URI names.
    pub fn file(&self, uri: &Uri) -> Option<FileRef<'_>> {
        self.file_at_path(&convert::path_of(uri))
    }

    pub fn file_at_path(&self, path: &Path) -> Option<FileRef<'_>> {
        for root in self.roots.iter() {
            if let Some(&file) = root.files.get(path) {
                let idx = root.ws.files(&self.db).iter().position(|f| *f == file)?;
                return Some(FileRef {
                    root,
                    file,
                    idx: FileIdx(idx as u32),
                });
            }
        }
        None
    }

    pub fn text(&self, file: SourceFile) -> &str {
        file.text(&self.db)
    }

    /// The URI of a workspace file: the client's for open documents.
    pub fn uri(&self, file: SourceFile) -> Option<Uri> {
        let path = PathBuf::from(file.path(&self.db));
        match self.uris.get(&path) {
            Some(uri) => Some(uri.clone()),
            None => convert::uri_of(&path),
        }
    }

    /// The byte offset of a position in a file.
    pub fn offset(&self, file: SourceFile, position: Position) -> usize {
        Lines::new(self.text(file)).offset(position)
    }

    /// The span of a node.
    pub fn span(&self, ws: Workspace, origin: Origin) -> Span {
        vnet::diagnostics::render::place(&self.db, ws, origin).span
    }

    /// The location of a place of a workspace.
    pub fn location(&self, ws: Workspace, place: Place) -> Option<Location> {
        let file = db::file_at(&self.db, ws, place.file)?;
        Some(Location {
            uri: self.uri(file)?,
            range: Lines::new(self.text(file)).range(place.span),
        })
    }

    pub fn origin_location(&self, ws: Workspace, origin: Origin) -> Option<Location> {
        self.location(
            ws,
            Place {
                file: origin.file,
                span: self.span(ws, origin),
            },
        )
    }
}

impl Snapshot {
    /// The file and byte offset of a request's position.
    pub fn position(
        &self,
        params: &gen_lsp_types::TextDocumentPositionParams,
    ) -> Option<(FileRef<'_>, usize)> {
        let file = self.file(&params.text_document.uri)?;
        let offset = self.offset(file.file, params.position);
        Some((file, offset))
    }
}
