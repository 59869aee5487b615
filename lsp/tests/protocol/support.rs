//! An in-process client: the server runs on a thread behind `Connection::memory()`, and the
//! test sends what an editor sends and reads what comes back.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

pub struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
    next_id: i32,
    /// Notifications received while waiting for something else, oldest first.
    pub notifications: Vec<Notification>,
    /// Responses received while waiting for another one.
    responses: Vec<Response>,
    pub root: tempfile::TempDir,
}

const TIMEOUT: Duration = Duration::from_secs(30);

/// A copy of a fixture workspace (`tests/fixtures/NAME`) in a temporary directory.
pub fn workspace(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    copy_dir(&from, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn uri(path: &Path) -> String {
    url::Url::from_file_path(path)
        .expect("absolute path")
        .to_string()
}

impl Client {
    /// Starts a server on a copy of fixture `name` as the root folder and initializes it.
    pub fn start(name: &str) -> Client {
        Client::start_with(workspace(name), json!({}))
    }

    pub fn start_with(root: tempfile::TempDir, capabilities: Value) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || vnet_lsp::run(server_side));
        let mut client = Client {
            conn: client_side,
            server: Some(server),
            next_id: 0,
            notifications: Vec::new(),
            responses: Vec::new(),
            root,
        };
        let root_uri = uri(client.root.path());
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "capabilities": capabilities,
                "workspaceFolders": [{ "uri": root_uri, "name": "root" }],
            }),
        );
        assert!(result["capabilities"]["hoverProvider"] == true, "{result}");
        client.notify("initialized", json!({}));
        client
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.path().join(relative)
    }

    pub fn uri(&self, relative: &str) -> String {
        uri(&self.path(relative))
    }

    pub fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.to_string(), params);
        self.conn.sender.send(n.into()).expect("send");
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let req = Request::new(id.clone(), method.to_string(), params);
        self.conn.sender.send(req.into()).expect("send");
        id
    }

    /// The response to request `id` (notifications meanwhile are kept).
    pub fn response(&mut self, id: RequestId) -> Response {
        if let Some(i) = self.responses.iter().position(|r| r.id == id) {
            return self.responses.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Response(r)) if r.id == id => return r,
                Ok(Message::Response(r)) => self.responses.push(r),
                Ok(Message::Notification(n)) => self.notifications.push(n),
                // The server's own requests (file watcher registration): answer them.
                Ok(Message::Request(r)) => {
                    let _ = self.conn.sender.send(Response::new_ok(r.id, ()).into());
                }
                Err(e) => panic!("no response to request {id:?}: {e}"),
            }
        }
    }

    /// Sends a request and returns its result (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        match response.response_result {
            Ok(value) => value,
            Err(e) => panic!("{method} failed: {} {}", e.code, e.message),
        }
    }

    pub fn open(&self, relative: &str) {
        let text = std::fs::read_to_string(self.path(relative)).expect("fixture file");
        self.open_text(relative, &text);
    }

    pub fn open_text(&self, relative: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": self.uri(relative), "languageId": "vnet", "version": 1, "text": text,
            }}),
        );
    }

    pub fn change_full(&self, relative: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri(relative), "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// Replaces a range (0-based line, UTF-16 column) with text.
    pub fn change_range(&self, relative: &str, version: i32, range: [u32; 4], text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri(relative), "version": version },
                "contentChanges": [{
                    "range": {
                        "start": { "line": range[0], "character": range[1] },
                        "end": { "line": range[2], "character": range[3] },
                    },
                    "text": text,
                }],
            }),
        );
    }

    /// Waits for the diagnostics of `relative` that satisfy `accept`, returning them.
    pub fn diagnostics_where(&mut self, relative: &str, accept: impl Fn(&Value) -> bool) -> Value {
        let uri = self.uri(relative);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            // Look at what arrived already, newest last.
            let mut found = None;
            for (i, n) in self.notifications.iter().enumerate() {
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri.as_str()
                {
                    found = Some(i);
                }
            }
            if let Some(i) = found {
                let n = self.notifications.remove(i);
                // Older publications for this file are superseded.
                self.notifications.retain(|m| {
                    !(m.method == "textDocument/publishDiagnostics"
                        && m.params["uri"] == uri.as_str())
                });
                if accept(&n.params["diagnostics"]) {
                    return n.params["diagnostics"].clone();
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Notification(n)) => self.notifications.push(n),
                Ok(Message::Request(r)) => {
                    let _ = self.conn.sender.send(Response::new_ok(r.id, ()).into());
                }
                Ok(Message::Response(r)) => self.responses.push(r),
                Err(e) => panic!("no matching diagnostics for {relative}: {e}"),
            }
        }
    }

    /// The next diagnostics published for `relative`.
    pub fn diagnostics(&mut self, relative: &str) -> Value {
        self.diagnostics_where(relative, |_| true)
    }

    /// A position request (hover, definition...) at a 0-based line and UTF-16 column.
    pub fn at(&mut self, method: &str, relative: &str, line: u32, character: u32) -> Value {
        let mut params = json!({
            "textDocument": { "uri": self.uri(relative) },
            "position": { "line": line, "character": character },
        });
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": true });
        }
        self.request(method, params)
    }

    /// The 0-based line and column of the `nth` occurrence of `needle` in a file (for
    /// positions that survive fixture edits), plus `shift` characters.
    pub fn find(&self, relative: &str, needle: &str, nth: usize, shift: u32) -> (u32, u32) {
        let text = std::fs::read_to_string(self.path(relative)).expect("fixture");
        find_in(&text, needle, nth, shift)
    }

    /// Replaces the temporary root in a JSON value by `ROOT`, for snapshots.
    pub fn redact(&self, value: &Value) -> String {
        let root = uri(self.root.path());
        serde_json::to_string_pretty(value)
            .unwrap_or_default()
            .replace(&root, "file:///ROOT")
    }

    pub fn shutdown(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            let result = server.join().expect("server thread");
            assert!(result.is_ok(), "{result:?}");
        }
    }
}

pub fn find_in(text: &str, needle: &str, nth: usize, shift: u32) -> (u32, u32) {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("`{needle}` not found"));
    let line = text[..offset].matches('\n').count() as u32;
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = text[start..offset].encode_utf16().count() as u32;
    (line, column + shift)
}
