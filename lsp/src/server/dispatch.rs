//! Requests and notifications by method: notifications change the state on the main loop,
//! requests run on a worker against a snapshot.

use gen_lsp_types as lsp;
use gen_lsp_types::{Notification as _, Request as _};
use lsp_server::{ErrorCode, Notification, Request, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Server;
use crate::snapshot::Snapshot;
use crate::{convert, features, Caught, Failure};

impl Server {
    pub(super) fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let method = method.as_str();
        if method == lsp::DidOpenTextDocumentNotification::METHOD.as_str() {
            if let Ok(p) = n.extract::<lsp::DidOpenTextDocumentParams>(method) {
                let doc = p.text_document;
                // Only vnet documents: a client may attach the server to other files.
                let is_vnet = doc.language_id.as_str() == "vnet"
                    || convert::path_of(&doc.uri)
                        .extension()
                        .is_some_and(|x| x == "vnet");
                if is_vnet {
                    self.state.open(doc.uri, doc.version, doc.text);
                }
            }
        } else if method == lsp::DidChangeTextDocumentNotification::METHOD.as_str() {
            if let Ok(p) = n.extract::<lsp::DidChangeTextDocumentParams>(method) {
                let doc = p.text_document;
                self.state.change(
                    &doc.text_document_identifier.uri,
                    doc.version,
                    p.content_changes,
                );
            }
        } else if method == lsp::DidCloseTextDocumentNotification::METHOD.as_str() {
            if let Ok(p) = n.extract::<lsp::DidCloseTextDocumentParams>(method) {
                self.state.close(&p.text_document.uri);
            }
        } else if method == lsp::DidChangeWatchedFilesNotification::METHOD.as_str() {
            if let Ok(p) = n.extract::<lsp::DidChangeWatchedFilesParams>(method) {
                for change in p.changes {
                    self.state
                        .file_changed_on_disk(&convert::path_of(&change.uri));
                }
            }
        } else if method == lsp::DidChangeWorkspaceFoldersNotification::METHOD.as_str() {
            if let Ok(p) = n.extract::<lsp::DidChangeWorkspaceFoldersParams>(method) {
                for folder in p.event.removed {
                    self.state.remove_root(&convert::path_of(&folder.uri));
                }
                for folder in p.event.added {
                    self.state.add_root(convert::path_of(&folder.uri));
                }
            }
        }
        // Anything else ($/cancelRequest, didSave, initialized, ...) needs nothing: a cancelled
        // request's work is cheap and its answer is ignored by the client.
    }

    pub(super) fn request(&mut self, req: Request) {
        macro_rules! route {
            ($($request:ty => $handler:path,)*) => {
                $(if req.method == <$request>::METHOD.as_str() {
                    return self.spawn_request(req, $handler);
                })*
            };
        }
        route! {
            lsp::HoverRequest => features::hover::hover,
            lsp::DefinitionRequest => features::navigation::definition,
            lsp::ReferencesRequest => features::navigation::references,
            lsp::DocumentHighlightRequest => features::navigation::highlight,
            lsp::DocumentSymbolRequest => features::symbols::document_symbols,
            lsp::WorkspaceSymbolRequest => features::symbols::workspace_symbols,
            lsp::CompletionRequest => features::completion::completion,
            lsp::PrepareRenameRequest => features::rename::prepare,
            lsp::RenameRequest => features::rename::rename,
            lsp::CodeActionRequest => features::code_actions::code_actions,
            lsp::SemanticTokensRequest => features::semantic_tokens::full,
            lsp::InlayHintRequest => features::inlay_hints::inlay_hints,
            lsp::SignatureHelpRequest => features::signature_help::signature_help,
            lsp::FoldingRangeRequest => features::folding::folding_ranges,
            lsp::DocumentFormattingRequest => features::formatting::format_document,
            lsp::DocumentRangeFormattingRequest => features::formatting::format_range,
        }
        self.respond(Response::new_err(
            req.id,
            ErrorCode::MethodNotFound as i32,
            format!("unknown method {}", req.method),
        ));
    }

    /// Runs a request's handler on a worker; a cancelled computation answers
    /// `ContentModified`, a failure an error, never a crash.
    fn spawn_request<P, R>(&mut self, req: Request, handler: fn(&Snapshot, P) -> Result<R, Failure>)
    where
        P: DeserializeOwned + Send + 'static,
        R: Serialize + 'static,
    {
        let params: P = match serde_json::from_value(req.params) {
            Ok(p) => p,
            Err(e) => {
                return self.respond(Response::new_err(
                    req.id,
                    ErrorCode::InvalidParams as i32,
                    format!("invalid parameters: {e}"),
                ))
            }
        };
        let snapshot = self.state.snapshot();
        let sender = self.sender.clone();
        let id = req.id;
        let method = req.method;
        self.workers.spawn(move || {
            let result = crate::workers_catch(|| handler(&snapshot, params));
            drop(snapshot);
            let response = match result {
                Ok(Ok(value)) => Response::new_ok(id, value),
                Ok(Err(Failure(message))) => {
                    Response::new_err(id, ErrorCode::RequestFailed as i32, message)
                }
                Err(Caught::Cancelled) => Response::new_err(
                    id,
                    ErrorCode::ContentModified as i32,
                    "the document changed; ask again".to_string(),
                ),
                Err(Caught::Panic(message)) => {
                    eprintln!("vnet-lsp: internal error in {method}: {message}");
                    Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("internal error: {message}"),
                    )
                }
            };
            let _ = sender.send(response.into());
        });
    }
}
