//! `unused-suppression` (hygiene, warning, on by default).
//!
//! **What it does.** Reports a `# vnet: allow(rule-id, ...) reason` comment, or one rule id in
//! it, that suppresses no finding: the statement it covers has no finding of that rule, the
//! rule is not enabled, or the id is not a rule's.
//!
//! **Why it matters.** A suppression outlives the problem it was written for. Left in place,
//! it hides the next finding of that rule on the same statement, which may be a real one.
//!
//! **Example.**
//! ```vnet
//! # vnet: allow(sg-open-to-world) the bastion is meant to be reachable
//! security_group bastion_sg { ingress tcp 443 from 0.0.0.0/0 }   # 443 is not reported anyway
//! ```
//!
//! **Fix.** Remove the rule id from the comment (or the whole comment).

use crate::diagnostics::{Diag, Severity};
use crate::lint::registry::{Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "unused-suppression",
    group: Group::Hygiene,
    severity: Severity::Warning,
    default: true,
    run: checked_with_the_comments,
    source: include_str!("unused_suppression.rs"),
};

/// Suppressions are comments, not network: `crate::lint::report` checks them after every other
/// rule has run, so there is nothing to compute here.
fn checked_with_the_comments(_: &LintContext) -> Vec<Diag> {
    Vec::new()
}
