//! Text to syntax tree: the pest grammar (`grammar/vnet.pest`), the span-free tree it is
//! lowered to, and the recovery that turns error nodes into precise syntax errors.
//!
//! The tree carries [`NodeId`]s instead of spans; spans live in a side table ([`SpanTable`]).
//! An edit that moves text without changing its meaning (whitespace, comments) therefore
//! yields an equal tree, and salsa backdates everything computed from it.

pub mod ast;
mod build;
mod grammar;
mod nesting;
pub(crate) use grammar::{Rule, VnetParser};
pub(crate) use nesting::too_deep;
mod recovery;
mod span;

pub use ast::*;
pub use span::{LineIndex, Span, SpanTable};

use std::sync::Arc;

/// A syntax error: where, what was found, what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The offending token (or an empty span where something is missing).
    pub span: Span,
    /// The whole region that recovery skipped.
    pub skipped: Span,
    /// "expected `->` and a route target, found `igw`".
    pub message: String,
}

/// The result of parsing one file.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub tree: Arc<Tree>,
    pub spans: Arc<SpanTable>,
    pub errors: Vec<SyntaxError>,
}

/// Parses `text`; never fails: what does not parse becomes error nodes and [`SyntaxError`]s.
pub fn parse(text: &str) -> Parsed {
    build::parse(text)
}
