//! The main loop: one thread owns the [`State`] and applies every notification (edits, file
//! events, folders) in order; requests and diagnostics run on worker threads against a
//! [`Snapshot`](crate::snapshot::Snapshot). An edit cancels the work in flight (salsa's setters do), requests so
//! cancelled answer `ContentModified`, and diagnostics are recomputed only once the incoming
//! queue is empty, so a burst of keystrokes costs one analysis.

mod dispatch;
mod workers;

use std::collections::HashMap;
use std::path::PathBuf;

use crossbeam_channel::{select, Receiver, Sender};
use gen_lsp_types::{Diagnostic, Notification as _, PublishDiagnosticsParams, Request as _, Uri};
use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::Value;

use crate::state::State;
use workers::Workers;

/// What workers report back to the main loop.
pub enum Event {
    /// The diagnostics of every workspace file, computed for state `generation`.
    Diagnostics {
        generation: u64,
        files: Vec<(PathBuf, Option<Uri>, Vec<Diagnostic>)>,
    },
}

pub struct Server {
    sender: Sender<Message>,
    receiver: Receiver<Message>,
    state: State,
    workers: Workers,
    events: Receiver<Event>,
    event_sender: Sender<Event>,
    /// The generation whose diagnostics are computing or published.
    diagnosed: u64,
    /// What was last published for each URI.
    published: HashMap<Uri, Vec<Diagnostic>>,
    shutting_down: bool,
    /// `vnet.toml` problems already shown to the user.
    shown_config_errors: Vec<String>,
}

/// Runs the server on a connection whose `initialize` handshake is still to come; returns
/// when the client sends `exit` or goes away.
pub fn run(connection: Connection) -> Result<(), String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("initialize: {e}"))?;
    let result = serde_json::json!({
        "capabilities": crate::capabilities::server(),
        "serverInfo": { "name": "vnet-lsp", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("initialize: {e}"))?;
    let (event_sender, events) = crossbeam_channel::unbounded();
    let mut server = Server {
        sender: connection.sender.clone(),
        receiver: connection.receiver.clone(),
        state: State::default(),
        workers: Workers::new(),
        events,
        event_sender,
        diagnosed: 0,
        published: HashMap::new(),
        shutting_down: false,
        shown_config_errors: Vec::new(),
    };
    server.initialize(&params);
    server.main_loop();
    Ok(())
}

impl Server {
    fn initialize(&mut self, params: &Value) {
        for dir in crate::capabilities::root_folders(params) {
            self.state.add_root(dir);
        }
        if crate::capabilities::can_register_watchers(params) {
            let register = Request::new(
                lsp_server::RequestId::from("vnet-watch-files".to_string()),
                gen_lsp_types::RegistrationRequest::METHOD
                    .as_str()
                    .to_string(),
                crate::capabilities::file_watchers(),
            );
            let _ = self.sender.send(register.into());
        }
        self.state.generation += 1;
    }

    fn main_loop(&mut self) {
        loop {
            self.maybe_diagnose();
            select! {
                recv(self.receiver) -> msg => match msg {
                    Ok(msg) => {
                        if self.handle(msg) {
                            return;
                        }
                    }
                    Err(_) => return,
                },
                recv(self.events) -> event => {
                    if let Ok(event) = event {
                        self.on_event(event);
                    }
                }
            }
        }
    }

    /// Handles one message; true when the server must stop.
    fn handle(&mut self, msg: Message) -> bool {
        match msg {
            Message::Request(req) => {
                if self.shutting_down {
                    self.respond(Response::new_err(
                        req.id,
                        lsp_server::ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".to_string(),
                    ));
                } else if req.method == gen_lsp_types::ShutdownRequest::METHOD.as_str() {
                    self.shutting_down = true;
                    self.respond(Response::new_ok(req.id, ()));
                } else {
                    self.request(req);
                }
                false
            }
            Message::Notification(n) => {
                if n.method == gen_lsp_types::ExitNotification::METHOD.as_str() {
                    return true;
                }
                self.notification(n);
                false
            }
            // Answers to our own requests (the watcher registration): nothing to do.
            Message::Response(_) => false,
        }
    }

    fn respond(&self, response: Response) {
        let _ = self.sender.send(response.into());
    }

    fn notify<N: gen_lsp_types::Notification>(&self, params: N::Params) {
        let n = Notification::new(N::METHOD.as_str().to_string(), params);
        let _ = self.sender.send(n.into());
    }

    /// Starts computing diagnostics when the state changed and no message is waiting (so a
    /// burst of edits is analysed once, after its last edit).
    fn maybe_diagnose(&mut self) {
        if self.diagnosed == self.state.generation || !self.receiver.is_empty() {
            return;
        }
        self.diagnosed = self.state.generation;
        self.show_config_errors();
        let snapshot = self.state.snapshot();
        let generation = self.state.generation;
        let events = self.event_sender.clone();
        self.workers.spawn(move || {
            let result = crate::workers_catch(|| crate::diagnostics::all(&snapshot));
            drop(snapshot);
            match result {
                Ok(files) => {
                    let _ = events.send(Event::Diagnostics { generation, files });
                }
                // A later edit made it stale; that edit's analysis follows.
                Err(crate::Caught::Cancelled) => {}
                Err(crate::Caught::Panic(message)) => {
                    eprintln!("vnet-lsp: internal error while computing diagnostics: {message}");
                }
            }
        });
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Diagnostics { generation, files } => {
                if generation != self.state.generation {
                    return;
                }
                let mut seen = Vec::new();
                for (path, uri, diagnostics) in files {
                    let Some(uri) = self.state.open.get(&path).map(|d| d.uri.clone()).or(uri)
                    else {
                        continue;
                    };
                    seen.push(uri.clone());
                    self.publish(uri, &path, diagnostics);
                }
                // Files that left the workspace lose their diagnostics.
                let gone: Vec<Uri> = self
                    .published
                    .keys()
                    .filter(|u| !seen.contains(u))
                    .cloned()
                    .collect();
                for uri in gone {
                    let path = crate::convert::path_of(&uri);
                    self.publish(uri, &path, Vec::new());
                }
            }
        }
    }

    fn publish(&mut self, uri: Uri, path: &std::path::Path, diagnostics: Vec<Diagnostic>) {
        let before = self.published.get(&uri);
        if before == Some(&diagnostics) || (before.is_none() && diagnostics.is_empty()) {
            // Unchanged; an open document still gets its (empty) list once.
            if !(before.is_none() && self.state.open.contains_key(path)) {
                return;
            }
        }
        let version = self.state.open.get(path).map(|d| d.version);
        if diagnostics.is_empty() && !self.state.open.contains_key(path) {
            self.published.remove(&uri);
        } else {
            self.published.insert(uri.clone(), diagnostics.clone());
        }
        self.notify::<gen_lsp_types::PublishDiagnosticsNotification>(PublishDiagnosticsParams {
            uri,
            version,
            diagnostics,
        });
    }

    /// Tells the user once about a `vnet.toml` that could not be used.
    fn show_config_errors(&mut self) {
        let errors: Vec<String> = self
            .state
            .roots
            .iter()
            .filter_map(|r| r.config_error.clone())
            .filter(|e| !self.shown_config_errors.contains(e))
            .collect();
        for e in errors {
            self.notify::<gen_lsp_types::ShowMessageNotification>(
                gen_lsp_types::ShowMessageParams {
                    kind: gen_lsp_types::MessageType::Warning,
                    message: format!("vnet: {e} (using the default settings)"),
                },
            );
            self.shown_config_errors.push(e);
        }
    }
}
