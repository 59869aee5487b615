//! The token stream the formatter lays out: every terminal the parser matched, the
//! punctuation pest does not report (`,`, `->`), and every comment, attached to a token.
//!
//! The syntax tree has no comments and no spans, so the formatter works from here instead:
//! each comment is either the *trailing* comment of the token before it on the same line, or
//! one of the *leading* comments of the next token. A final empty token holds the comments
//! after the last statement, so no comment is ever without a home.

use pest::iterators::Pair;

use crate::syntax::Rule;

/// A `#` comment, without its line break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Comment {
    pub text: String,
    /// A blank line separates it from what came before.
    pub blank_before: bool,
}

/// One terminal of the source.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub text: String,
    /// The grammar rule of the terminal; `None` for `,`, `->` and the end of the file.
    pub rule: Option<Rule>,
    pub start: usize,
    /// Comments on lines of their own before this token.
    pub leading: Vec<Comment>,
    /// The comment after this token on the same line.
    pub trailing: Option<String>,
    /// A blank line separates it from what came before (token or comment).
    pub blank_before: bool,
}

impl Token {
    /// Punctuation and keywords are recognised by their text (a string token always starts
    /// with `"`, so it never equals one).
    pub fn is(&self, text: &str) -> bool {
        self.text == text
    }

    pub fn has_comments(&self) -> bool {
        !self.leading.is_empty() || self.trailing.is_some()
    }
}

/// Text between two terminals that is neither whitespace, a comment nor known punctuation:
/// impossible after a clean parse, but reported rather than dropped.
#[derive(Debug)]
pub(crate) struct UnexpectedText(pub usize);

/// The tokens of `text`, given the parse tree of the whole file; the last token is the end.
pub(crate) fn tokens(text: &str, file: Pair<'_, Rule>) -> Result<Vec<Token>, UnexpectedText> {
    let mut leaves = Vec::new();
    collect_leaves(file, &mut leaves);
    leaves.sort_by_key(|&(start, _, _)| start);

    let mut scanner = Scanner {
        text,
        out: Vec::new(),
        pending: Vec::new(),
        newlines: 0,
        on_token_line: false,
    };
    let mut at = 0;
    for (start, end, rule) in leaves {
        if start < at {
            continue;
        }
        scanner.gap(at, start)?;
        scanner.push(start, &text[start..end], Some(rule));
        at = end;
    }
    scanner.gap(at, text.len())?;
    scanner.push(text.len(), "", None);
    Ok(scanner.out)
}

/// Terminals: pairs without inner pairs, except the empty end-of-input marker.
fn collect_leaves(pair: Pair<'_, Rule>, out: &mut Vec<(usize, usize, Rule)>) {
    let span = pair.as_span();
    let rule = pair.as_rule();
    let mut inner = pair.into_inner().peekable();
    if inner.peek().is_none() {
        if rule != Rule::EOI && span.start() < span.end() {
            out.push((span.start(), span.end(), rule));
        }
        return;
    }
    for p in inner {
        collect_leaves(p, out);
    }
}

struct Scanner<'t> {
    text: &'t str,
    out: Vec<Token>,
    /// Comments waiting for the next token.
    pending: Vec<Comment>,
    /// Line breaks since the last token or comment.
    newlines: usize,
    /// No line break since the last token: a comment now trails it.
    on_token_line: bool,
}

impl Scanner<'_> {
    fn push(&mut self, start: usize, text: &str, rule: Option<Rule>) {
        self.out.push(Token {
            text: text.to_string(),
            rule,
            start,
            leading: std::mem::take(&mut self.pending),
            trailing: None,
            blank_before: self.newlines >= 2,
        });
        self.newlines = 0;
        self.on_token_line = true;
    }

    /// Whitespace, comments and punctuation between two terminals.
    fn gap(&mut self, from: usize, to: usize) -> Result<(), UnexpectedText> {
        let gap = &self.text[from..to];
        let mut i = 0;
        while i < gap.len() {
            let rest = &gap[i..];
            let Some(c) = rest.chars().next() else { break };
            if c == '\n' {
                self.newlines += 1;
                self.on_token_line = false;
                i += 1;
            } else if c.is_whitespace() || c == '\u{FEFF}' {
                i += c.len_utf8();
            } else if c == '#' {
                let len = rest.find('\n').unwrap_or(rest.len());
                let comment = rest[..len].trim_end().to_string();
                match self.out.last_mut() {
                    Some(last) if self.on_token_line && last.trailing.is_none() => {
                        last.trailing = Some(comment)
                    }
                    _ => self.pending.push(Comment {
                        text: comment,
                        blank_before: self.newlines >= 2,
                    }),
                }
                self.newlines = 0;
                self.on_token_line = false;
                i += len;
            } else if rest.starts_with("->") {
                self.push(from + i, "->", None);
                i += 2;
            } else if c == ',' {
                self.push(from + i, ",", None);
                i += 1;
            } else {
                return Err(UnexpectedText(from + i));
            }
        }
        Ok(())
    }
}
