//! vnet's benchmarks: a bench binary that prints medians (BENCHMARKS.md has the figures and
//! how to read them).
//!
//! ```text
//! cargo bench --bench vnet                      # every section, sizes S M L XL
//! cargo bench --bench vnet -- --sizes S,M,L     # fewer sizes
//! cargo bench --bench vnet -- --sections commands # only these sections (parse, commands
//!                                                 # with the L-to-XL scaling, incremental)
//! cargo bench --bench vnet -- --smoke           # CI: S and M against bench/smoke-baseline.txt
//! cargo bench --bench vnet -- --compare OLD,NEW --workspace DIR [--command lint] [--runs 15]
//!                                                 # builds of vnetc in turn: time and peak RSS
//! ```
//!
//! The commands run the release `vnetc` as a user does (wall time and the child's peak RSS,
//! from `wait4`); parsing and incremental re-diagnosis run in process.

mod measure;
mod sections;

extern crate alloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--measure-child") {
        measure::child(&args[1..]);
        return ExitCode::SUCCESS;
    }
    // `cargo bench` passes `--bench`; ignore it.
    let smoke = args.iter().any(|a| a == "--smoke");
    let sizes = match args.iter().position(|a| a == "--sizes") {
        Some(i) => args.get(i + 1).cloned().unwrap_or_default(),
        None => "S,M,L,XL".to_string(),
    };
    let runs: usize = match args.iter().position(|a| a == "--runs") {
        Some(i) => args.get(i + 1).and_then(|r| r.parse().ok()).unwrap_or(5),
        None => 5,
    };
    let only: Option<Vec<String>> = args.iter().position(|a| a == "--sections").map(|i| {
        args.get(i + 1)
            .map(|s| s.split(',').map(|p| p.trim().to_string()).collect())
            .unwrap_or_default()
    });
    if smoke {
        return sections::smoke();
    }
    let value = |flag: &str| {
        let i = args.iter().position(|a| a == flag)?;
        args.get(i + 1).cloned()
    };
    if let Some(binaries) = value("--compare") {
        let Some(workspace) = value("--workspace") else {
            eprintln!("error: --compare needs --workspace DIR");
            return ExitCode::from(2);
        };
        let binaries: Vec<std::path::PathBuf> = binaries.split(',').map(Into::into).collect();
        let command = value("--command").unwrap_or_else(|| "lint".to_string());
        let runs = value("--runs").and_then(|r| r.parse().ok()).unwrap_or(15);
        return sections::compare(&binaries, &command, workspace.as_ref(), runs);
    }
    let sizes: Vec<vnet_netgen::Size> = sizes
        .split(',')
        .filter_map(|s| match s.trim().to_ascii_uppercase().as_str() {
            "S" => Some(vnet_netgen::Size::S),
            "M" => Some(vnet_netgen::Size::M),
            "L" => Some(vnet_netgen::Size::L),
            "XL" => Some(vnet_netgen::Size::Xl),
            _ => None,
        })
        .collect();
    sections::all(&sizes, runs, only.as_deref());
    ExitCode::SUCCESS
}
