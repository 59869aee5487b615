//! The canonical layout of `.vnet` files (`vnetc fmt`, and the language server's document
//! and range formatting).
//!
//! The layout: two spaces per level; one statement per line in a block; a block its author
//! wrote on one line stays on one line while it fits in [`WIDTH`] columns and holds no block
//! and no comment; the columns of NACL rules, security group rules, routes and consecutive
//! one-line blocks of one kind line up; lists are `[a, b]`, or one item per line when they do
//! not fit or hold a comment; blank lines between statements are kept (at most one), and
//! top-level blocks on several lines are separated by one; trailing comments of consecutive
//! lines line up.
//!
//! Comments are not in the syntax tree, so the formatter works from the parser's terminals
//! with each comment attached to a token (module `tokens`); nothing is ever dropped. As a last
//! guard, every result is parsed again and must give the same syntax tree and the same
//! comments, or formatting is refused ([`FormatError::Unsafe`]).

mod align;
mod printer;
mod range;
mod tokens;
mod tree;

use pest::Parser;

use crate::syntax::{self, Rule, SyntaxError, VnetParser};

pub use printer::WIDTH;
pub use range::{format_range, TextEdit};

/// Why a text was not formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The text does not parse: nothing is formatted (the errors are the compiler's).
    Syntax(Vec<SyntaxError>),
    /// The formatter could not lay the text out without changing its meaning or losing a
    /// comment (a bug: the text is left as it is).
    Unsafe(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(errors) => write!(f, "{} syntax error(s)", errors.len()),
            FormatError::Unsafe(why) => write!(f, "not formatted: {why}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// The canonical layout of `text`, or why there is none.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    // A byte order mark is the user's too: it stays in front.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        return format_source(rest).map(|f| format!("\u{feff}{f}"));
    }
    let parsed = syntax::parse(text);
    if !parsed.errors.is_empty() {
        return Err(FormatError::Syntax(parsed.errors));
    }
    let mut formatted = layout(text)?;
    // Files with Windows line endings keep them.
    if text.contains("\r\n") {
        formatted = formatted.replace('\n', "\r\n");
    }
    let again = syntax::parse(&formatted);
    if !again.errors.is_empty() || again.tree != parsed.tree {
        return Err(FormatError::Unsafe(
            "the formatted text would not mean the same".to_string(),
        ));
    }
    if comments(text) != comments(&formatted) {
        return Err(FormatError::Unsafe(
            "the formatted text would lose or change a comment".to_string(),
        ));
    }
    Ok(formatted)
}

fn layout(text: &str) -> Result<String, FormatError> {
    let unsafe_ = |why: &str| FormatError::Unsafe(why.to_string());
    if crate::syntax::too_deep(text).is_some() {
        return Err(unsafe_("brackets nested too deep"));
    }
    let file = VnetParser::parse(Rule::file, text)
        .map_err(|_| unsafe_("the parser gave up"))?
        .next()
        .ok_or_else(|| unsafe_("empty parse"))?;
    let tokens = tokens::tokens(text, file.clone())
        .map_err(|e| FormatError::Unsafe(format!("unexpected text at byte {}", e.0)))?;
    let builder = tree::TreeBuilder {
        text,
        tokens: &tokens,
    };
    let stmts = builder
        .stmts(file.into_inner())
        .map_err(|_| unsafe_("a statement the formatter does not know"))?;
    Ok(printer::Printer::new(&tokens).file(&stmts))
}

/// Every comment of a text that parses, in order, without trailing whitespace.
pub fn comments(text: &str) -> Vec<String> {
    if crate::syntax::too_deep(text).is_some() {
        return Vec::new();
    }
    let Ok(mut pairs) = VnetParser::parse(Rule::file, text) else {
        return Vec::new();
    };
    let Some(file) = pairs.next() else {
        return Vec::new();
    };
    match tokens::tokens(text, file) {
        Ok(tokens) => tokens
            .into_iter()
            .flat_map(|t| {
                let leading = t.leading.into_iter().map(|c| c.text);
                leading.chain(t.trailing)
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}
