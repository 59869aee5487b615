//! Edits arriving while analysis runs: requests are answered (with a result, or
//! `ContentModified` when their snapshot went stale), and the diagnostics finally published
//! are those of the last text.

use serde_json::{json, Value};

use super::generate;
use super::support::Client;

const CONTENT_MODIFIED: i32 = -32801;

#[test]
fn edits_during_analysis_cancel_stale_work() {
    let root = tempfile::tempdir().expect("temp dir");
    let text = generate::one_file(60);
    std::fs::write(root.path().join("big.vnet"), &text).expect("write");
    let mut client = Client::start_with(root, json!({}));
    client.open("big.vnet");
    let mut pending = Vec::new();
    let mut current = text.clone();
    for version in 2..22 {
        // Each edit changes a comment-free detail; hovers are sent between them.
        current = current.replacen("port 8080\n", "port 8081\n", 1);
        client.change_full("big.vnet", version, &current);
        let id = client.send_request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": client.uri("big.vnet") }, "position": { "line": 6, "character": 10 } }),
        );
        pending.push(id);
    }
    // The last edit breaks the file at its end.
    current.push_str("vpc broken {\n");
    client.change_full("big.vnet", 22, &current);
    for id in pending {
        let response = client.response(id);
        match response.response_result {
            Ok(hover) => assert!(
                hover["contents"]["value"]
                    .as_str()
                    .is_some_and(|v| v.contains("subnet")),
                "{hover}"
            ),
            Err(e) => assert_eq!(e.code, CONTENT_MODIFIED, "{}", e.message),
        }
    }
    let last_line = current.lines().count() as u64 - 1;
    let diagnostics = client.diagnostics_where("big.vnet", |d: &Value| {
        d.as_array()
            .is_some_and(|a| a.iter().any(|d| d["code"] == "E0001"))
    });
    assert_eq!(
        diagnostics[0]["range"]["start"]["line"].as_u64(),
        Some(last_line)
    );
    // The server still answers after the storm.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri("big.vnet") } }),
    );
    assert_eq!(symbols.as_array().map(Vec::len), Some(61));
    client.shutdown();
}

#[test]
fn any_sequence_of_edits_keeps_the_server_answering() {
    // Deterministic pseudo-random cuts and insertions of fragments, valid or not, with a
    // request of every kind after each edit.
    let mut client = Client::start("shop");
    let mut text = std::fs::read_to_string(client.path("network.vnet")).unwrap_or_default();
    client.open("network.vnet");
    let fragments = [
        "{",
        "}",
        "->",
        "[",
        "\"",
        "# vnet: allow(",
        "subnet",
        "é𝄞",
        "\n",
        "10.0.0.0/",
        " ",
        "ingress tcp 22 from ",
        ".",
        "route 0.0.0.0/0 -> ",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let methods = [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/completion",
        "textDocument/signatureHelp",
        "textDocument/prepareRename",
        "textDocument/documentHighlight",
        "textDocument/rename",
    ];
    let edits: i32 = std::env::var("VNET_LSP_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150);
    for version in 2..edits {
        let mut at = next(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        if next(3) == 0 {
            let mut end = (at + next(40)).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(at..end, "");
        } else {
            text.insert_str(at, fragments[next(fragments.len())]);
        }
        client.change_full("network.vnet", version, &text);
        let line = next(text.lines().count() + 2) as u32;
        let character = next(60) as u32;
        let method = methods[next(methods.len())];
        let id = client.send_request(
            method,
            json!({
                "textDocument": { "uri": client.uri("network.vnet") },
                "position": { "line": line, "character": character },
                "context": { "includeDeclaration": true },
                "newName": "renamed",
            }),
        );
        let response = client.response(id);
        if let Err(e) = &response.response_result {
            // Stale snapshots and refusals are answers; internal errors are bugs.
            assert_ne!(
                e.code, -32603,
                "{method} at {line}:{character}: {}\n{text}",
                e.message
            );
        }
        for method in [
            "textDocument/semanticTokens/full",
            "textDocument/foldingRange",
            "textDocument/documentSymbol",
        ] {
            let id = client.send_request(
                method,
                json!({ "textDocument": { "uri": client.uri("network.vnet") } }),
            );
            if let Err(e) = client.response(id).response_result {
                assert_ne!(e.code, -32603, "{method}: {}\n{text}", e.message);
            }
        }
    }
    client.shutdown();
}

#[test]
fn every_request_at_positions_across_the_examples() {
    // The repository's examples as one root: requests at positions all over every file get an
    // answer, never an internal error.
    let root = tempfile::tempdir().expect("temp dir");
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(examples).expect("examples").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".vnet") {
            // Each example is its own network: one root folder each.
            let dir = root.path().join(name.trim_end_matches(".vnet"));
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::copy(entry.path(), dir.join(&name)).expect("copy");
            files.push(format!("{}/{name}", name.trim_end_matches(".vnet")));
        }
    }
    files.sort();
    let mut client = Client::start_with(root, json!({}));
    for file in &files {
        client.open(file);
        let text = std::fs::read_to_string(client.path(file)).unwrap_or_default();
        let uri = client.uri(file);
        for (line, content) in text.lines().enumerate() {
            let width = content.encode_utf16().count() as u32;
            for character in [width / 3, width.saturating_sub(1)] {
                for method in [
                    "textDocument/hover",
                    "textDocument/definition",
                    "textDocument/completion",
                    "textDocument/signatureHelp",
                ] {
                    let id = client.send_request(
                        method,
                        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
                    );
                    if let Err(e) = client.response(id).response_result {
                        assert_ne!(
                            e.code, -32603,
                            "{method} {file}:{line}:{character}: {}",
                            e.message
                        );
                    }
                }
            }
        }
        let diagnostics = client.diagnostics(file);
        // The examples compile (some show lint findings on purpose).
        assert!(
            diagnostics
                .as_array()
                .into_iter()
                .flatten()
                .all(|d| !d["code"].as_str().unwrap_or("").starts_with('E')),
            "{file}: {diagnostics}"
        );
    }
    client.shutdown();
}
