//! `vnetc check`: compile and report every compile error.

use serde::Serialize;

use super::{Color, Format, Paths, EXIT_FINDINGS, EXIT_OK};
use crate::db::Database;
use crate::diagnostics::render::{self, JsonDiagnostic};
use crate::diagnostics::Severity;
use crate::workspace;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: Paths,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Serialize)]
struct Report {
    version: u32,
    diagnostics: Vec<JsonDiagnostic>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
}

pub fn run(args: Args) -> u8 {
    let files = match workspace::load(&args.paths.or_current()) {
        Ok(files) => files,
        Err(e) => return super::usage_error(e),
    };
    let mut db = Database::for_one_run();
    let count = files.len();
    let ws = db.workspace(files);
    db.prepare_all(ws);
    let diags = render::compile_diagnostics(&db, ws);
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    match args.format {
        Format::Json => {
            let report = Report {
                version: 1,
                diagnostics: diags.iter().map(|d| render::to_json(&db, ws, d)).collect(),
                summary: Summary {
                    files: count,
                    errors,
                },
            };
            match serde_json::to_string_pretty(&report) {
                Ok(s) => println!("{s}"),
                Err(e) => return super::usage_error(e),
            }
        }
        Format::Human => {
            let cs_files = render::files(&db, ws);
            render::human_to_stdout(&cs_files, &diags, args.color.enabled());
            let files = if count == 1 { "file" } else { "files" };
            if errors == 0 {
                eprintln!("checked {count} {files}: no errors");
            } else {
                let s = if errors == 1 { "" } else { "s" };
                eprintln!("checked {count} {files}: {errors} error{s}");
            }
        }
    }
    if errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
