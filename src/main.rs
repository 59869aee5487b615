//! `vnetc`, the vnet compiler's command line (see `vnet::cli`).

fn main() -> std::process::ExitCode {
    vnet::cli::main()
}
