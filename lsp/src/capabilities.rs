//! What the server offers (`initialize`'s answer) and what it reads from the client's
//! `initialize` request: root folders and whether files can be watched.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::features::semantic_tokens;

/// The server's capabilities. Positions are UTF-16 (the protocol's default).
pub fn server() -> Value {
    json!({
        "textDocumentSync": {
            "openClose": true,
            // 2 = incremental; full-text changes are accepted as well.
            "change": 2,
            "save": { "includeText": false },
        },
        "hoverProvider": true,
        "definitionProvider": true,
        "referencesProvider": true,
        "documentHighlightProvider": true,
        "documentSymbolProvider": true,
        "workspaceSymbolProvider": true,
        "completionProvider": {
            "triggerCharacters": [" ", ".", "[", ","],
        },
        "renameProvider": { "prepareProvider": true },
        "codeActionProvider": { "codeActionKinds": ["quickfix", "source.fixAll.vnet"] },
        "semanticTokensProvider": {
            "legend": semantic_tokens::legend(),
            "full": true,
        },
        "inlayHintProvider": true,
        "signatureHelpProvider": { "triggerCharacters": [" "] },
        "foldingRangeProvider": true,
        "documentFormattingProvider": true,
        "documentRangeFormattingProvider": true,
        "workspace": {
            "workspaceFolders": { "supported": true, "changeNotifications": true },
        },
    })
}

/// The root folders of `initialize`: `workspaceFolders`, else `rootUri`, else `rootPath`.
pub fn root_folders(params: &Value) -> Vec<PathBuf> {
    let uri_path = |v: &Value| -> Option<PathBuf> {
        let uri: gen_lsp_types::Uri = serde_json::from_value(v.clone()).ok()?;
        Some(crate::convert::path_of(&uri))
    };
    if let Some(folders) = params.get("workspaceFolders").and_then(Value::as_array) {
        if !folders.is_empty() {
            return folders
                .iter()
                .filter_map(|f| uri_path(f.get("uri")?))
                .collect();
        }
    }
    if let Some(root) = params.get("rootUri").filter(|v| !v.is_null()) {
        return uri_path(root).into_iter().collect();
    }
    params
        .get("rootPath")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .into_iter()
        .collect()
}

/// Whether the client lets the server register file watchers.
pub fn can_register_watchers(params: &Value) -> bool {
    params
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The `client/registerCapability` parameters: watch `.vnet` files and `vnet.toml`.
pub fn file_watchers() -> Value {
    json!({
        "registrations": [{
            "id": "vnet-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {
                "watchers": [
                    { "globPattern": "**/*.vnet" },
                    { "globPattern": "**/vnet.toml" },
                ],
            },
        }],
    })
}
