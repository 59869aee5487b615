//! vnet-lsp: the language server of vnet. Diagnostics (compile errors and lint findings) as
//! the user types, navigation (hover, definition, references, symbols) and editing
//! (completion, rename, code actions, semantic tokens, inlay hints, signature help, folding)
//! for `.vnet` files, over the Language Server Protocol on stdio.
//!
//! The layout follows the work's flow: [`server`] (the main loop and its workers) changes the
//! [`state`] (database, roots, open documents); each request reads a [`snapshot`] and is
//! answered by one module of [`features`]; [`diagnostics`] turns the compiler's diagnostics
//! into the protocol's.

pub mod capabilities;
pub mod convert;
pub mod diagnostics;
pub mod features;
pub mod server;
pub mod snapshot;
pub mod state;

use std::panic::{catch_unwind, AssertUnwindSafe};

pub use server::run;

/// A request that could not be answered, in words for the user.
#[derive(Debug)]
pub struct Failure(pub String);

/// Why work on a worker ended early.
#[derive(Debug)]
pub enum Caught {
    /// An edit arrived: the snapshot is stale.
    Cancelled,
    /// A bug; the server keeps running and answers with an internal error.
    Panic(String),
}

/// Runs `work`, turning salsa's cancellation and any panic into a value, so that no input
/// ever takes the server down.
pub fn workers_catch<T>(work: impl FnOnce() -> T) -> Result<T, Caught> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => Ok(value),
        Err(payload) => {
            if payload.is::<salsa::Cancelled>() {
                return Err(Caught::Cancelled);
            }
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".to_string());
            Err(Caught::Panic(message))
        }
    }
}

/// Runs the server on stdin/stdout until the client exits.
pub fn run_stdio() -> Result<(), String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    run(connection)?;
    io_threads.join().map_err(|e| format!("I/O: {e}"))
}
