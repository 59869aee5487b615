//! The compiler's diagnostics as the protocol's: every workspace file's syntax and compile
//! errors and its lint findings (configured by `vnet.toml`, suppressions applied), as
//! `vnetc check` and `vnetc lint` report them.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use gen_lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, Range, Uri,
};
use vnet::diagnostics::render::{self, Located, Place};
use vnet::diagnostics::{codes, Severity};
use vnet::ir::FileIdx;
use vnet::lint::report;

use crate::convert::Lines;
use crate::snapshot::Snapshot;
use crate::state::Root;

/// Rules whose findings are about text that does nothing: editors fade it out.
const UNNECESSARY: &[&str] = &[
    "unused-security-group",
    "unused-nacl",
    "unused-route-table",
    "unused-suppression",
    "endpoint-unused",
    "nacl-rule-shadowed",
    "sg-rule-redundant",
];

/// The diagnostics of every file of every root (files without any included, so that fixed
/// files are cleared).
pub fn all(snap: &Snapshot) -> Vec<(PathBuf, Option<Uri>, Vec<Diagnostic>)> {
    let mut out = Vec::new();
    for root in snap.roots.iter() {
        let located = located(snap, root);
        let mut lines = LinesCache::default();
        for (i, file) in root.ws.files(&snap.db).iter().enumerate() {
            let diagnostics = located
                .iter()
                .filter(|d| d.primary.file == FileIdx(i as u32))
                .filter_map(|d| convert(snap, root, d, &mut lines))
                .collect();
            out.push((
                PathBuf::from(file.path(&snap.db)),
                snap.uri(*file),
                diagnostics,
            ));
        }
    }
    out
}

/// A root's diagnostics located by span: its compile errors, and the lint findings of the
/// files without any. With compile errors the IR is incomplete where they are, so a finding
/// is kept only when none of its places is in a file with an error: a typo in one file does
/// not hide the findings of the others, and a root folder holding several networks (a
/// repository's examples and test fixtures) still shows each clean file's findings.
pub fn located(snap: &Snapshot, root: &Root) -> Vec<Located> {
    let mut out = render::compile_diagnostics(&snap.db, root.ws);
    let broken: HashSet<FileIdx> = out.iter().map(|d| d.primary.file).collect();
    let clean = |file: &FileIdx| !broken.contains(file);
    let findings = report::findings(&snap.db, root.ws, &root.config.lint);
    out.extend(findings.into_iter().filter(|f| {
        clean(&f.primary.file)
            && f.secondary.iter().all(|(place, _)| clean(&place.file))
            && f.fix
                .as_ref()
                .is_none_or(|(_, edits)| edits.iter().all(|(file, _)| clean(file)))
    }));
    out
}

/// Line tables of the files diagnostics point into, built once per file.
#[derive(Default)]
struct LinesCache<'a> {
    by_file: HashMap<FileIdx, Lines<'a>>,
}

impl<'a> LinesCache<'a> {
    fn range(&mut self, snap: &'a Snapshot, root: &Root, place: Place) -> Option<Range> {
        let lines = match self.by_file.entry(place.file) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let file = vnet::db::file_at(&snap.db, root.ws, place.file)?;
                e.insert(Lines::new(snap.text(file)))
            }
        };
        Some(lines.range(place.span))
    }

    fn location(&mut self, snap: &'a Snapshot, root: &Root, place: Place) -> Option<Location> {
        let file = vnet::db::file_at(&snap.db, root.ws, place.file)?;
        Some(Location {
            uri: snap.uri(file)?,
            range: self.range(snap, root, place)?,
        })
    }
}

/// One diagnostic in the protocol's form.
pub fn to_lsp(snap: &Snapshot, root: &Root, d: &Located) -> Option<Diagnostic> {
    convert(snap, root, d, &mut LinesCache::default())
}

fn convert<'a>(
    snap: &'a Snapshot,
    root: &Root,
    d: &Located,
    lines: &mut LinesCache<'a>,
) -> Option<Diagnostic> {
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str(&format!("\n{note}"));
    }
    if let Some(s) = &d.suggestion {
        message.push_str(&format!("\nhelp: replace with `{s}`"));
    }
    if let Some((title, _)) = &d.fix {
        message.push_str(&format!("\nfix: {title}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|(place, label)| {
            Some(DiagnosticRelatedInformation {
                location: lines.location(snap, root, *place)?,
                message: if label.is_empty() {
                    "related".to_string()
                } else {
                    label.clone()
                },
            })
        })
        .collect();
    Some(Diagnostic {
        range: lines.range(snap, root, d.primary)?,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::Error,
            Severity::Warning => DiagnosticSeverity::Warning,
            Severity::Info => DiagnosticSeverity::Information,
        }),
        code: Some(gen_lsp_types::Code::String(d.code.0.to_string())),
        code_description: codes::doc_url(d.code.0)
            .and_then(|href| Uri::parse(&href).ok())
            .map(|href| CodeDescription { href }),
        source: Some("vnet".to_string()),
        message: message.into(),
        tags: UNNECESSARY
            .contains(&d.code.0)
            .then(|| vec![DiagnosticTag::Unnecessary]),
        related_information: (!related.is_empty()).then_some(related),
        data: None,
    })
}
