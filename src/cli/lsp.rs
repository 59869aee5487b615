//! `vnetc lsp`: starts the language server. The server is its own crate (`lsp/`, binary
//! `vnet-lsp`) because it depends on this library; `vnetc lsp` runs that binary, found next to
//! `vnetc` or on `PATH`, with stdin and stdout passed through.

use std::path::PathBuf;
use std::process::Command;

use super::EXIT_USAGE;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Accepted for editors that pass it (the server always speaks on stdin/stdout).
    #[arg(long)]
    stdio: bool,
}

const SERVER: &str = "vnet-lsp";

/// Where `vnet-lsp` is: the directory of the running `vnetc`, then `PATH`.
fn find_server() -> Option<PathBuf> {
    let name = format!("{SERVER}{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)))
        .filter(|p| p.is_file());
    beside.or_else(|| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(&name))
                .find(|p| p.is_file())
        })
    })
}

pub fn run(_args: Args) -> u8 {
    let Some(server) = find_server() else {
        eprintln!(
            "error: `vnetc lsp` needs the `{SERVER}` binary next to vnetc or on PATH; install it with `cargo install --locked --path lsp` from the vnet repository"
        );
        return EXIT_USAGE;
    };
    match Command::new(&server).status() {
        Ok(status) => status.code().map_or(EXIT_USAGE, |c| c.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("error: {}: {e}", server.display());
            EXIT_USAGE
        }
    }
}
