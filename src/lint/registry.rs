//! The rule registry: every rule's id, group, default severity and whether it runs by
//! default, and its documentation, which is the `//!` comment of the rule's own file (so
//! `vnetc rules`, `vnetc explain` and the source never disagree).

use serde::Serialize;

use super::LintContext;
use crate::diagnostics::{Code, Diag, Severity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Reachability,
    Security,
    Cost,
    Resilience,
    Hygiene,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Reachability => "reachability",
            Group::Security => "security",
            Group::Cost => "cost",
            Group::Resilience => "resilience",
            Group::Hygiene => "hygiene",
        }
    }
}

/// A lint rule.
pub struct Rule {
    /// The stable kebab-case id (`nacl-missing-return`).
    pub id: &'static str,
    pub group: Group,
    pub severity: Severity,
    /// Runs without configuration.
    pub default: bool,
    pub run: fn(&LintContext) -> Vec<Diag>,
    /// The rule's source file, whose `//!` comment is its documentation.
    pub source: &'static str,
}

impl Rule {
    pub fn code(&self) -> Code {
        Code(self.id)
    }

    /// The documentation: the rule file's `//!` lines.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                if line.trim().is_empty() || out.is_empty() {
                    continue;
                }
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }

    /// The first sentence of "What it does" (before a list, if the paragraph has one), on
    /// one line.
    pub fn summary(&self) -> String {
        let doc = self.doc();
        let paragraph = doc
            .split("**What it does.**")
            .nth(1)
            .unwrap_or(&doc)
            .split("\n\n")
            .next()
            .unwrap_or("");
        let lead: Vec<&str> = paragraph
            .lines()
            .map(str::trim)
            .take_while(|l| !l.starts_with("- "))
            .collect();
        let what = lead.join(" ");
        let what = what.trim();
        match what.find(". ") {
            Some(i) => what[..=i].to_string(),
            None => match what.strip_suffix(':') {
                Some(head) => format!("{head}."),
                None => what.to_string(),
            },
        }
    }
}

/// Every rule, in id order.
pub fn all() -> &'static [&'static Rule] {
    super::rules::ALL
}

pub fn find(id: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|r| r.id == id)
}

/// The finding a rule reports, with its default severity.
pub fn finding(
    rule: &Rule,
    primary: crate::ir::Origin,
    resource: impl Into<String>,
    message: impl Into<String>,
) -> Diag {
    Diag::finding(rule.code(), rule.severity, primary, resource, message)
}

/// `docs/rules.md`: every rule's id (a heading, so each has an anchor) and documentation, generated from the registry (a test keeps the file in step).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Lint rules\n\nGenerated from the rule registry (`vnetc rules`, `vnetc explain ID`); \
         do not edit by hand. Configuration and suppressions: [lint.md](lint.md).\n",
    );
    for rule in all() {
        out.push_str(&format!("\n## {}\n\n{}", rule.id, rule.doc()));
    }
    out
}
