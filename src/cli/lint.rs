//! `vnetc lint`: compile, then run the lint rules (in this version: `expect-violated`, the
//! checking of `expect` lines by the flow engine). Exit 0 when nothing is found, 1 when a
//! finding is, 2 on usage errors or compile errors (which stop linting).

use serde::Serialize;

use super::{Color, Format, Paths, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::db::{self, Database};
use crate::diagnostics::render::{self, JsonDiagnostic};
use crate::{config, workspace};

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
    findings: Vec<JsonDiagnostic>,
}

pub fn run(args: Args) -> u8 {
    let paths = args.paths.or_current();
    let files = match workspace::load(&paths) {
        Ok(files) => files,
        Err(e) => return super::usage_error(e),
    };
    let config = match config::load(&paths) {
        Ok(c) => c,
        Err(e) => return super::usage_error(e),
    };
    let mut database = Database::default();
    let ws = database.workspace(files);
    database.set_flow_config(ws, config.flow);
    let cs_files = render::files(&database, ws);
    let errors = render::compile_diagnostics(&database, ws);
    if !errors.is_empty() {
        render::human_to_stdout(&cs_files, &errors, args.color.enabled());
        eprintln!("error: the workspace has compile errors; fix them before linting");
        return EXIT_USAGE;
    }
    let findings: Vec<render::Located> = db::lint_findings(&database, ws)
        .iter()
        .map(|d| render::locate(&database, ws, d))
        .collect();
    match args.format {
        Format::Json => {
            let report = Report {
                version: 1,
                findings: findings
                    .iter()
                    .map(|d| render::to_json(&database, ws, d))
                    .collect(),
            };
            match serde_json::to_string_pretty(&report) {
                Ok(s) => println!("{s}"),
                Err(e) => return super::usage_error(e),
            }
        }
        Format::Human => {
            render::human_to_stdout(&cs_files, &findings, args.color.enabled());
            let n = findings.len();
            eprintln!("{n} finding{}", if n == 1 { "" } else { "s" });
        }
    }
    if findings.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}
