//! `vnet-lsp`: the vnet language server on stdio (also started by `vnetc lsp`).

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args()
        .skip(1)
        .any(|a| a == "--version" || a == "-V")
    {
        println!("vnet-lsp {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "vnet-lsp {}: the vnet language server. It speaks the Language Server Protocol on \
             stdin/stdout; start it from your editor (see docs/lsp.md).",
            env!("CARGO_PKG_VERSION")
        );
        return ExitCode::SUCCESS;
    }
    match vnet_lsp::run_stdio() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: vnet-lsp: {e}");
            ExitCode::from(2)
        }
    }
}
