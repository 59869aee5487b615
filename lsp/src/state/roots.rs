//! Root folders: adding and removing them (initialize, `workspace/didChangeWorkspaceFolders`)
//! and their `vnet.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use salsa::Setter;
use vnet::config::Config;
use vnet::db::{SourceFile, Workspace};

use super::{Root, State};

/// The settings for files at `path` (a root folder or a file), and why `vnet.toml` could not
/// be used if it could not (the defaults apply then).
pub fn load_config(path: &Path) -> (Config, Option<String>) {
    match vnet::config::load(&[path.to_path_buf()]) {
        Ok(config) => (config, None),
        Err(e) => (Config::default(), Some(e)),
    }
}

impl State {
    /// Adds a root folder: every `.vnet` file below it joins the workspace (open documents
    /// keep their editor text; files opened alone before move into it).
    pub fn add_root(&mut self, dir: PathBuf) {
        if self.roots.iter().any(|r| r.dir.as_ref() == Some(&dir)) {
            return;
        }
        let found = vnet::workspace::vnet_files_in(&dir).unwrap_or_default();
        // Files already in another root stay there unless this root is deeper.
        let (config, config_error) = load_config(&dir);
        let ws = Workspace::new(&self.db, Vec::new(), config.flow);
        Arc::make_mut(&mut self.roots).push(Root {
            dir: Some(dir),
            ws,
            files: BTreeMap::new(),
            config,
            config_error,
        });
        for path in found {
            let text = match self.open.get(&path) {
                Some(doc) => doc.text.clone(),
                None => match std::fs::read_to_string(&path) {
                    Ok(text) => text,
                    Err(_) => continue,
                },
            };
            self.move_into_deepest_root(&path, text);
        }
        // Open documents below the new root (unsaved ones included) move into it.
        let open: Vec<(PathBuf, String)> = self
            .open
            .iter()
            .map(|(p, d)| (p.clone(), d.text.clone()))
            .collect();
        for (path, text) in open {
            self.move_into_deepest_root(&path, text);
        }
        self.generation += 1;
    }

    /// Removes a root folder; its open documents stay open, each as a root of its own.
    pub fn remove_root(&mut self, dir: &Path) {
        let Some(i) = self
            .roots
            .iter()
            .position(|r| r.dir.as_deref() == Some(dir))
        else {
            return;
        };
        let removed = Arc::make_mut(&mut self.roots).remove(i);
        for path in removed.files.keys() {
            if let Some(text) = self.open.get(path).map(|d| d.text.clone()) {
                // Into another root folder holding it, or a root of its own.
                self.set_file_text(path, text);
            }
        }
        self.generation += 1;
    }

    /// Re-reads `vnet.toml` for every root.
    pub fn reload_configs(&mut self) {
        let roots = Arc::make_mut(&mut self.roots);
        for root in roots.iter_mut() {
            let at = match (&root.dir, root.files.keys().next()) {
                (Some(dir), _) => dir.clone(),
                (None, Some(file)) => file.clone(),
                (None, None) => continue,
            };
            let (config, error) = load_config(&at);
            if *root.ws.flow(&self.db) != config.flow {
                root.ws.set_flow(&mut self.db).to(config.flow);
            }
            root.config = config;
            root.config_error = error;
        }
    }

    /// Puts a file in the deepest root folder holding it, taking it out of a shallower one.
    fn move_into_deepest_root(&mut self, path: &Path, text: String) {
        let Some(target) = self.root_dir_for(path) else {
            return;
        };
        if let Some(current) = self.root_of(path) {
            if current == target {
                return;
            }
            self.remove_file(path);
        }
        let target = match self.root_dir_for(path) {
            Some(t) => t,
            None => return,
        };
        let file = SourceFile::new(&self.db, path.display().to_string(), text);
        let roots = Arc::make_mut(&mut self.roots);
        roots[target].files.insert(path.to_path_buf(), file);
        let files: Vec<SourceFile> = roots[target].files.values().copied().collect();
        roots[target].ws.set_files(&mut self.db).to(files);
    }
}
