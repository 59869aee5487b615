//! `vnetc fmt [--check] [--diff] [PATHS]`: rewrites `.vnet` files in the canonical layout
//! (see [`crate::fmt`]); `-` formats standard input to standard output.

use std::io::{Read, Write};
use std::path::PathBuf;

use similar::TextDiff;

use super::{Paths, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::db::Database;
use crate::diagnostics::{codes, render};
use crate::fmt::{format_source, FormatError};
use crate::workspace;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: Paths,
    /// Write nothing; exit 1 if a file is not formatted (lists those files).
    #[arg(long)]
    check: bool,
    /// Write nothing; print what would change as a unified diff.
    #[arg(long)]
    diff: bool,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    Refused,
}

pub fn run(args: Args) -> u8 {
    let paths = args.paths.or_current();
    let stdin = PathBuf::from("-");
    if paths.contains(&stdin) {
        if paths.len() > 1 {
            return super::usage_error("`-` (standard input) cannot be mixed with paths");
        }
        return run_stdin(&args);
    }
    let files = match workspace::load(&paths) {
        Ok(files) => files,
        Err(e) => return super::usage_error(e),
    };
    let (mut changed, mut refused) = (0, 0);
    for (path, text) in &files {
        match format_file(&args, path, text) {
            Ok(Outcome::Unchanged) => {}
            Ok(Outcome::Changed) => changed += 1,
            Ok(Outcome::Refused) => refused += 1,
            Err(code) => return code,
        }
    }
    let total = files.len();
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let verb = if args.check || args.diff {
        "would reformat"
    } else {
        "reformatted"
    };
    let mut summary = format!("{verb} {changed} of {total} file{}", s(total));
    if refused > 0 {
        summary.push_str(&format!(
            "; {refused} file{} not formatted (errors above)",
            s(refused)
        ));
    }
    eprintln!("{summary}");
    if refused > 0 || (args.check && changed > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn format_file(args: &Args, path: &str, text: &str) -> Result<Outcome, u8> {
    let formatted = match format_source(text) {
        Ok(f) => f,
        Err(e) => {
            report(path, text, &e);
            return Ok(Outcome::Refused);
        }
    };
    if formatted == text {
        return Ok(Outcome::Unchanged);
    }
    if args.diff {
        print!("{}", unified_diff(path, text, &formatted));
    } else if args.check {
        println!("{path}");
    }
    if !args.check && !args.diff {
        if let Err(e) = std::fs::write(path, &formatted) {
            return Err(super::usage_error(format!("{path}: {e}")));
        }
    }
    Ok(Outcome::Changed)
}

fn run_stdin(args: &Args) -> u8 {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        return super::usage_error(format!("standard input: {e}"));
    }
    let formatted = match format_source(&text) {
        Ok(f) => f,
        Err(e) => {
            report("<stdin>", &text, &e);
            return EXIT_FINDINGS;
        }
    };
    if args.diff {
        print!("{}", unified_diff("<stdin>", &text, &formatted));
    } else if !args.check {
        let mut out = std::io::stdout().lock();
        if out.write_all(formatted.as_bytes()).is_err() {
            return EXIT_USAGE;
        }
    }
    if args.check && formatted != text {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Syntax errors as the compiler reports them; anything else in one line.
fn report(path: &str, text: &str, error: &FormatError) {
    match error {
        FormatError::Syntax(_) => {
            let db = Database::default();
            let ws = db.workspace(vec![(path.to_string(), text.to_string())]);
            let diags: Vec<_> = render::compile_diagnostics(&db, ws)
                .into_iter()
                .filter(|d| d.code == codes::SYNTAX)
                .collect();
            eprint!("{}", render::human_string(&render::files(&db, ws), &diags));
            eprintln!("error: {path}: not formatted: it does not parse");
        }
        FormatError::Unsafe(why) => eprintln!("error: {path}: {why}"),
    }
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let mut diff = TextDiff::from_lines(old, new)
        .unified_diff()
        .header(path, path)
        .to_string();
    if !diff.ends_with('\n') {
        diff.push('\n');
    }
    diff
}
