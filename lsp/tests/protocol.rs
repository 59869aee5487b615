//! In-process protocol tests: each feature driven through JSON-RPC messages as an editor sends
//! them, over `Connection::memory()`, with the answers checked or snapshotted.

#[path = "protocol/support.rs"]
mod support;

#[path = "protocol/diagnostics.rs"]
mod diagnostics;

#[path = "protocol/navigation.rs"]
mod navigation;

#[path = "protocol/editing.rs"]
mod editing;

#[path = "protocol/generate.rs"]
#[allow(dead_code)]
mod generate;

#[path = "protocol/cancellation.rs"]
mod cancellation;

#[path = "protocol/workspace.rs"]
mod workspace;
