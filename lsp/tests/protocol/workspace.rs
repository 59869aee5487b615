//! Workspaces: files not open are read from disk and watched, `vnet.toml` is honoured and
//! reloaded, several root folders are separate workspaces, incremental sync.

use serde_json::{json, Value};

use super::support::{uri, workspace, Client};

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_server_registers_file_watchers_when_the_client_allows_it() {
    let capabilities =
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let (server_side, client_side) = lsp_server::Connection::memory();
    let server = std::thread::spawn(move || vnet_lsp::run(server_side));
    let init = lsp_server::Request::new(
        1.into(),
        "initialize".to_string(),
        json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
    );
    client_side.sender.send(init.into()).expect("send");
    let mut registered = None;
    for _ in 0..2 {
        match client_side.receiver.recv().expect("message") {
            lsp_server::Message::Request(r) => registered = Some(r),
            lsp_server::Message::Response(_) => {
                let initialized =
                    lsp_server::Notification::new("initialized".to_string(), json!({}));
                client_side.sender.send(initialized.into()).expect("send");
            }
            lsp_server::Message::Notification(_) => {}
        }
    }
    let request = registered.expect("a client/registerCapability request");
    assert_eq!(request.method, "client/registerCapability");
    let watchers = &request.params["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/*.vnet");
    assert_eq!(watchers[1]["globPattern"], "**/vnet.toml");
    let exit = lsp_server::Notification::new("exit".to_string(), Value::Null);
    client_side.sender.send(exit.into()).expect("send");
    assert!(server.join().is_ok());
}

#[test]
fn files_on_disk_join_and_leave_the_workspace() {
    let mut client = Client::start("shop");
    client.open("flows.vnet");
    client.diagnostics_where("flows.vnet", |d| codes(d).is_empty());
    // A new file on disk (not open) that references a missing database.
    std::fs::write(
        client.path("more.vnet"),
        "expect shop.web -> shop.missing tcp 22 denied\n",
    )
    .expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("more.vnet"), "type": 1 }] }),
    );
    let more = client.diagnostics_where("more.vnet", |d| !codes(d).is_empty());
    assert_eq!(codes(&more), ["E0002"]);
    // Deleted: its diagnostics are cleared.
    std::fs::remove_file(client.path("more.vnet")).expect("remove");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("more.vnet"), "type": 3 }] }),
    );
    let more = client.diagnostics_where("more.vnet", |d| codes(d).is_empty());
    assert!(codes(&more).is_empty());
    client.shutdown();
}

#[test]
fn a_changed_vnet_toml_is_reloaded() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    let before = client.diagnostics("network.vnet");
    assert!(!codes(&before).contains(&"nat-cross-az".to_string()));
    std::fs::write(client.path("vnet.toml"), "[lint]\nignore = []\n").expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("vnet.toml"), "type": 2 }] }),
    );
    let after = client.diagnostics_where("network.vnet", |d| {
        codes(d).contains(&"nat-cross-az".to_string())
    });
    assert_eq!(
        codes(&after),
        [
            "nat-cross-az",
            "nacl-rule-shadowed",
            "unused-security-group"
        ]
    );
    client.shutdown();
}

#[test]
fn root_folders_are_separate_workspaces() {
    let mut client = Client::start("shop");
    // A second root with a VPC of the same name: no duplicate across roots.
    let second = workspace("shop");
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [{ "uri": uri(second.path()), "name": "second" }], "removed": [] } }),
    );
    let other = uri(&second.path().join("network.vnet"));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": other, "languageId": "vnet", "version": 1,
            "text": std::fs::read_to_string(second.path().join("network.vnet")).unwrap_or_default() } }),
    );
    client.open("network.vnet");
    let first = client.diagnostics("network.vnet");
    assert!(!codes(&first).contains(&"E0003".to_string()), "{first}");
    let symbols = client.request("workspace/symbol", json!({ "query": "spare" }));
    assert_eq!(symbols.as_array().map(Vec::len), Some(2), "{symbols}");
    client.shutdown();
}

#[test]
fn incremental_changes_in_utf16_columns() {
    let mut client = Client::start("shop");
    client.open_text(
        "notes.vnet",
        "# café 𝄞\nvpc notes {\n  region us-east-1\n  cidr 10.9.0.0/16\n}\n",
    );
    client.diagnostics("notes.vnet");
    // Replace `notes` after the emoji line: UTF-16 columns on line 1.
    client.change_range("notes.vnet", 2, [0, 7, 0, 9], "x");
    client.change_range("notes.vnet", 3, [3, 7, 3, 16], "10.9.0.300/16");
    let diagnostics = client.diagnostics_where("notes.vnet", |d| !codes(d).is_empty());
    assert_eq!(codes(&diagnostics), ["E0006"]);
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({ "line": 3, "character": 7 })
    );
    client.shutdown();
}

#[test]
fn a_file_outside_every_root_is_analysed_alone_and_cleared_on_close() {
    let mut client = Client::start("shop");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let path = elsewhere.path().join("alone.vnet");
    let file_uri = uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": file_uri, "languageId": "vnet", "version": 1,
            "text": "expect shop.web -> internet tcp 443 allowed\n" } }),
    );
    // Alone, `shop.web` (of the root folder) is unknown: not an item, nor an AWS service.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut seen = Value::Null;
    while std::time::Instant::now() < deadline {
        let id = client.send_request("workspace/symbol", json!({ "query": "zzz" }));
        let _ = client.response(id);
        if let Some(n) = client.notifications.iter().rev().find(|n| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == file_uri.as_str()
        }) {
            seen = n.params["diagnostics"].clone();
            break;
        }
    }
    assert_eq!(codes(&seen), ["E0037"]);
    client.notifications.clear();
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": file_uri } }),
    );
    let mut cleared = false;
    while std::time::Instant::now() < deadline && !cleared {
        let id = client.send_request("workspace/symbol", json!({ "query": "zzz" }));
        let _ = client.response(id);
        cleared = client.notifications.iter().any(|n| {
            n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == file_uri.as_str()
                && n.params["diagnostics"] == json!([])
        });
    }
    assert!(cleared);
    client.shutdown();
}

#[test]
fn an_open_file_stays_analysed_when_its_root_folder_is_removed() {
    let mut client = Client::start("shop");
    client.open_text(
        "lonely.vnet",
        "vpc lonely {\n  region us-east-1\n  cidr 10.300.0.0/16\n}\n",
    );
    client.diagnostics_where("lonely.vnet", |d| !codes(d).is_empty());
    let root = uri(client.root.path());
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [], "removed": [{ "uri": root, "name": "root" }] } }),
    );
    // Still analysed, alone: an edit fixing the CIDR clears its error.
    client.change_full(
        "lonely.vnet",
        2,
        "vpc lonely {\n  region us-east-1\n  cidr 10.30.0.0/16\n}\n",
    );
    let after = client.diagnostics_where("lonely.vnet", |d| codes(d).is_empty());
    assert!(codes(&after).is_empty());
    client.shutdown();
}
