//! Importers: `.vnet` text from what AWS users already have — `aws ec2 describe-*` dumps
//! ([`aws`]) and CloudFormation templates ([`cloudformation`]). Both read their input into
//! a [`draft::Draft`], which [`write`] checks and prints, so both give the same layout, the
//! same names and the same warnings for what vnet cannot represent.

pub mod aws;
pub mod cloudformation;
pub mod draft;
mod names;
mod write;

use std::fmt;

use crate::db::Database;
use crate::diagnostics::render;

/// Something the importer left out or changed, named by the object's source id (an AWS id
/// or a template path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub subject: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// Why nothing could be imported: a usage or I/O problem (exit 2), or an input that is not
/// what the importer reads (exit 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    Usage(String),
    Input(String),
}

/// An importer's result: the `.vnet` text and what it could not represent.
#[derive(Clone, Debug)]
pub struct Imported {
    pub text: String,
    pub warnings: Vec<Warning>,
}

/// Writes `draft` in the canonical layout of `vnetc fmt` and compiles the text: the writer's
/// checks mirror the compiler's, and a compile error they missed still reaches the user as a
/// warning instead of silence.
pub fn finish(draft: &draft::Draft, header: &[String], warnings: Vec<Warning>) -> Imported {
    let (text, mut warnings) = write::write(draft, header, warnings);
    // The formatter refuses only text that does not parse, which the compile below reports.
    let text = crate::fmt::format_source(&text).unwrap_or(text);
    let db = Database::default();
    let ws = db.workspace(vec![("imported.vnet".to_string(), text.clone())]);
    let diags = render::compile_diagnostics(&db, ws);
    if !diags.is_empty() {
        let files = render::files(&db, ws);
        warnings.push(Warning {
            subject: "imported.vnet".to_string(),
            message: format!(
                "the written text does not compile (please report this):\n{}",
                render::human_string(&files, &diags)
            ),
        });
    }
    Imported { text, warnings }
}
