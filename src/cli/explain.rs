//! `vnetc explain CODE`: the documentation of a compile error.

use super::{EXIT_OK, EXIT_USAGE};
use crate::diagnostics::codes;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A compile error code such as `E0002`.
    code: String,
}

pub fn run(args: Args) -> u8 {
    match codes::explain(&args.code) {
        Some(text) => {
            print!("{text}");
            EXIT_OK
        }
        None => {
            eprintln!(
                "error: unknown code `{}`; codes are E0001 to {} (see docs/errors.md)",
                args.code,
                codes::ALL.last().map(|(c, _)| c.0).unwrap_or("E0001")
            );
            EXIT_USAGE
        }
    }
}
