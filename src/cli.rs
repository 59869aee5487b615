//! `vnetc`: the command line. Parses arguments and calls the library; each subcommand is a
//! module of its own.

mod build;
mod check;
mod diagram;
mod explain;
mod flows;
mod fmt;
mod import;
mod lint;
mod lsp;
mod reach;
mod sarif;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// A compiler and policy linter for AWS networks described in `.vnet` files.
#[derive(Parser, Debug)]
#[command(name = "vnetc", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile a workspace and report every compile error (exit 0 clean, 1 errors, 2 usage or I/O).
    Check(check::Args),
    /// Compile a workspace and print an artefact (`--emit ir`: the IR as JSON;
    /// `cloudformation`, `terraform`: a deployable template).
    Build(build::Args),
    /// Draw the compiled network (DOT, Mermaid, or SVG/PNG through Graphviz), with its lint
    /// findings marked and, with `--flows`, the intended flows and their verdicts.
    Diagram(diagram::Args),
    /// Print the documentation of a compile error code or a lint rule (`vnetc explain E0002`,
    /// `vnetc explain nacl-missing-return`).
    Explain(explain::Args),
    /// Write `.vnet` text from an `aws ec2 describe-*` dump (`vnetc import aws DIR`) or a
    /// CloudFormation template (`vnetc import cloudformation TEMPLATE`).
    Import(import::Args),
    /// List every intended flow (expect lines, security group pairs, load balancer
    /// listeners, `uses`) with its verdict.
    Flows(flows::Args),
    /// Rewrite `.vnet` files in the canonical layout; `--check` exits 1 if one would change,
    /// `--diff` prints the changes; `-` formats standard input to standard output.
    Fmt(fmt::Args),
    /// Run the lint rules and report findings (human, json, sarif, github); `--fix` applies
    /// their fixes (exit 0 clean, 1 findings at `--fail-on` or above, 2 usage or compile errors).
    Lint(lint::Args),
    /// Start the language server on stdin/stdout (runs `vnet-lsp`, installed with
    /// `cargo install --locked --path lsp`).
    Lsp(lsp::Args),
    /// List every lint rule: id, group, default severity, on by default.
    Rules(RulesArgs),
    /// Can SRC reach DST on a protocol and port, and if not, which rule drops it
    /// (exit 0 when the flow completes, 1 when it does not, 2 on usage errors).
    Reach(reach::Args),
}

#[derive(clap::Args, Debug)]
struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// When to colour human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// The paths of a workspace: files, or directories searched for `.vnet` files.
#[derive(clap::Args, Debug, Clone)]
pub struct Paths {
    /// Files or directories (default: the current directory).
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
}

impl Paths {
    fn or_current(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        }
    }
}

/// Exit codes: 0 success, 1 problems in the input, 2 usage or I/O errors.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Runs `vnetc` with the process's arguments.
pub fn main() -> ExitCode {
    restore_sigpipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    ExitCode::from(run(cli))
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Diagram(args) => diagram::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Reach(args) => reach::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Rules(args) => lint::list_rules(args.format == Format::Json),
        Command::Flows(args) => flows::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Import(args) => import::run(args),
    }
}

/// Prints a usage or I/O error in one line and returns exit code 2.
fn usage_error(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

/// Rust ignores SIGPIPE, so writing to a closed pipe (`vnetc lint | head`) would be an error at
/// every `println!`; like other Unix tools, vnetc instead ends quietly when its reader goes away.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
