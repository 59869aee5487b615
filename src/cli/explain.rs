//! `vnetc explain CODE`: the documentation of a compile error.

use super::{EXIT_OK, EXIT_USAGE};
use crate::diagnostics::codes;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A compile error code such as `E0002`.
    code: String,
}

pub fn run(args: Args) -> u8 {
    if let Some(rule) = crate::lint::registry::find(args.code.trim()) {
        let severity = format!("{:?}", rule.severity).to_lowercase();
        print!(
            "{} ({}, {severity}, {})\n\n{}",
            rule.id,
            rule.group.name(),
            if rule.default {
                "on by default"
            } else {
                "off by default"
            },
            rule.doc()
        );
        return EXIT_OK;
    }
    match codes::explain(&args.code) {
        Some(text) => {
            print!("{text}");
            EXIT_OK
        }
        None => {
            eprintln!(
                "error: unknown code `{}`; codes are E0001 to {} (see docs/errors.md) and the rule ids `vnetc rules` lists",
                args.code,
                codes::ALL.last().map(|(c, _)| c.0).unwrap_or("E0001")
            );
            EXIT_USAGE
        }
    }
}
