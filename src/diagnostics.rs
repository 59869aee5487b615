//! Diagnostics: compile errors (and, later, lint findings) located by syntax node, rendered
//! to text with codespan-reporting or to JSON.
//!
//! Semantic queries produce [`Diag`]s located by [`Origin`] (file and node id), never by byte
//! offset, so that their results stay equal when text only moves. Rendering resolves origins
//! to spans through each file's parse ([`crate::db::spans`]).

pub mod codes;
mod files;
pub mod fix;
mod plain;
pub mod render;

use serde::Serialize;

use crate::ir::Origin;

pub use codes::Code;
pub use fix::{Edit, EditKind, Fix};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A place in the source, with what to say about it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub origin: Origin,
    pub message: String,
}

impl Label {
    pub fn new(origin: Origin, message: impl Into<String>) -> Self {
        Label {
            origin,
            message: message.into(),
        }
    }
}

/// A diagnostic before rendering.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diag {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    /// A replacement for the primary node's text, when one is known ("did you mean").
    pub suggestion: Option<String>,
    /// Lint findings: the qualified name of the resource the fix goes in (`shop.data_acl`).
    pub resource: Option<String>,
    /// A text edit that fixes it, when one is known.
    pub fix: Option<Fix>,
}

impl Diag {
    /// Gives back the spare capacity of its texts and lists. Texts are built by formatting,
    /// which grows them by doubling: a lint run's findings held a third more than their text
    /// (0.9 MB on hub-spoke 100), and they are kept until the run ends.
    pub fn shrink_to_fit(&mut self) {
        self.message.shrink_to_fit();
        self.primary.message.shrink_to_fit();
        self.secondary.shrink_to_fit();
        for label in &mut self.secondary {
            label.message.shrink_to_fit();
        }
        self.notes.shrink_to_fit();
        self.notes.iter_mut().for_each(String::shrink_to_fit);
        let texts = [&mut self.suggestion, &mut self.resource];
        texts.into_iter().flatten().for_each(String::shrink_to_fit);
        if let Some(fix) = &mut self.fix {
            fix.title.shrink_to_fit();
            fix.edits.shrink_to_fit();
            for edit in &mut fix.edits {
                edit.text.shrink_to_fit();
            }
        }
    }

    pub fn error(code: Code, primary: Origin, message: impl Into<String>) -> Self {
        Diag {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label::new(primary, ""),
            secondary: Vec::new(),
            notes: Vec::new(),
            suggestion: None,
            resource: None,
            fix: None,
        }
    }

    /// A lint finding of `rule` about `resource`.
    pub fn finding(
        rule: Code,
        severity: Severity,
        primary: Origin,
        resource: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diag {
            severity,
            resource: Some(resource.into()),
            ..Diag::error(rule, primary, message)
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Sets the primary label's text.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn secondary(mut self, origin: Origin, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(origin, message));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn suggest(mut self, replacement: impl Into<String>) -> Self {
        self.suggestion = Some(replacement.into());
        self
    }
}
