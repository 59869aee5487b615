//! What the main loop owns: the salsa database, the workspace roots with their files and
//! settings, and the open documents. Only the main loop changes it (every setter cancels the
//! work running on clones); requests and diagnostics read a [`Snapshot`].

mod roots;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gen_lsp_types::Uri;
use salsa::Setter;
use vnet::config::Config;
use vnet::db::{Database, SourceFile, Workspace};

use crate::convert;
use crate::snapshot::Snapshot;

/// A workspace root: every `.vnet` file below its directory, compiled together, with the
/// `vnet.toml` that applies to it. A file opened outside every root is a root of its own.
#[derive(Clone)]
pub struct Root {
    /// `None` for a file opened outside every root folder.
    pub dir: Option<PathBuf>,
    pub ws: Workspace,
    /// Its files by path (the order of the workspace's files).
    pub files: BTreeMap<PathBuf, SourceFile>,
    pub config: Config,
    /// Why `vnet.toml` could not be used, if it could not.
    pub config_error: Option<String>,
}

/// An open document: the editor's text wins over the disk's.
pub struct OpenDoc {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
}

#[derive(Default)]
pub struct State {
    pub db: Database,
    pub roots: Arc<Vec<Root>>,
    pub open: HashMap<PathBuf, OpenDoc>,
    /// Bumped on every change; diagnostics computed for an older one are dropped.
    pub generation: u64,
}

impl State {
    pub fn snapshot(&self) -> Snapshot {
        let uris = self
            .open
            .iter()
            .map(|(p, d)| (p.clone(), d.uri.clone()))
            .collect();
        Snapshot {
            db: self.db.clone(),
            roots: self.roots.clone(),
            uris: Arc::new(uris),
        }
    }

    /// The root that holds `path`, if any.
    pub fn root_of(&self, path: &Path) -> Option<usize> {
        self.roots.iter().position(|r| r.files.contains_key(path))
    }

    /// Opens a document: its text replaces the disk's; a file outside every root gets a root
    /// of its own.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) {
        let path = convert::path_of(&uri);
        self.set_file_text(&path, text.clone());
        self.open.insert(path, OpenDoc { uri, version, text });
        self.generation += 1;
    }

    /// Applies an edit of an open document (whole text or ranges, in order).
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<gen_lsp_types::TextDocumentContentChangeEvent>,
    ) {
        use gen_lsp_types::TextDocumentContentChangeEvent as Change;
        let path = convert::path_of(uri);
        let Some(doc) = self.open.get_mut(&path) else {
            return;
        };
        for change in changes {
            match change {
                Change::TextDocumentContentChangeWholeDocument(whole) => doc.text = whole.text,
                Change::TextDocumentContentChangePartial(part) => {
                    convert::apply_change(&mut doc.text, part.range, &part.text)
                }
            }
        }
        doc.version = version;
        let text = doc.text.clone();
        self.set_file_text(&path, text);
        self.generation += 1;
    }

    /// Closes a document: the file goes back to its disk text, or leaves the workspace when
    /// it is not on disk or belongs to no root folder.
    pub fn close(&mut self, uri: &Uri) {
        let path = convert::path_of(uri);
        self.open.remove(&path);
        let Some(i) = self.root_of(&path) else {
            return;
        };
        let detached = self.roots[i].dir.is_none();
        match std::fs::read_to_string(&path) {
            Ok(text) if !detached => self.set_file_text(&path, text),
            _ => self.remove_file(&path),
        }
        self.generation += 1;
    }

    /// A file changed on disk (the client's file watcher): re-read it unless it is open.
    pub fn file_changed_on_disk(&mut self, path: &Path) {
        if path
            .file_name()
            .is_some_and(|n| n == vnet::config::FILE_NAME)
        {
            self.reload_configs();
            self.generation += 1;
            return;
        }
        if self.open.contains_key(path) || path.extension().is_none_or(|x| x != "vnet") {
            return;
        }
        match std::fs::read_to_string(path) {
            Ok(text) => {
                if self.root_dir_for(path).is_some() {
                    self.set_file_text(path, text);
                }
            }
            Err(_) => self.remove_file(path),
        }
        self.generation += 1;
    }

    /// Sets the text of a workspace file, adding it to its root (or a root of its own).
    pub(crate) fn set_file_text(&mut self, path: &Path, text: String) {
        if let Some(i) = self.root_of(path) {
            let file = self.roots[i].files[path];
            if file.text(&self.db) != &text {
                file.set_text(&mut self.db).to(text);
            }
            return;
        }
        let file = SourceFile::new(&self.db, path.display().to_string(), text);
        match self.root_dir_for(path) {
            Some(i) => {
                let roots = Arc::make_mut(&mut self.roots);
                roots[i].files.insert(path.to_path_buf(), file);
                let files: Vec<SourceFile> = roots[i].files.values().copied().collect();
                roots[i].ws.set_files(&mut self.db).to(files);
            }
            None => {
                let (config, config_error) = roots::load_config(path);
                let ws = Workspace::new(&self.db, vec![file], config.flow);
                let files = BTreeMap::from([(path.to_path_buf(), file)]);
                Arc::make_mut(&mut self.roots).push(Root {
                    dir: None,
                    ws,
                    files,
                    config,
                    config_error,
                });
            }
        }
    }

    fn remove_file(&mut self, path: &Path) {
        let Some(i) = self.root_of(path) else {
            return;
        };
        let roots = Arc::make_mut(&mut self.roots);
        roots[i].files.remove(path);
        if roots[i].dir.is_none() && roots[i].files.is_empty() {
            roots.remove(i);
            return;
        }
        let files: Vec<SourceFile> = roots[i].files.values().copied().collect();
        roots[i].ws.set_files(&mut self.db).to(files);
    }

    /// The root folder (the deepest) whose directory holds `path`.
    fn root_dir_for(&self, path: &Path) -> Option<usize> {
        self.roots
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, r.dir.as_ref()?)))
            .filter(|(_, dir)| path.starts_with(dir))
            .max_by_key(|(_, dir)| dir.components().count())
            .map(|(i, _)| i)
    }
}
