//! Writes statements out: indentation, blank lines, one-line or expanded blocks, lists flat
//! or one item per line, and every comment where its token is.

use super::align::{self, width, Flat};
use super::tokens::{Comment, Token};
use super::tree::{Block, RowKind, Stmt};
use crate::syntax::Rule;

/// Lines are kept within this many columns where the layout allows it.
pub const WIDTH: usize = 100;
const INDENT: &str = "  ";
/// Extra indentation of a statement's continuation lines (after a comment inside it).
const CONTINUATION: usize = 2;

pub(crate) struct Printer<'a> {
    tokens: &'a [Token],
    out: String,
}

impl<'a> Printer<'a> {
    pub fn new(tokens: &'a [Token]) -> Self {
        Printer {
            tokens,
            out: String::new(),
        }
    }

    /// The whole file: its statements, then the comments after the last one.
    pub fn file(mut self, stmts: &[Stmt]) -> String {
        self.body(stmts, 0, true);
        if let Some(end) = self.tokens.last() {
            self.closing_comments(end, 0, !stmts.is_empty());
        }
        self.out
    }

    fn body(&mut self, stmts: &[Stmt], depth: usize, top: bool) {
        let tokens = self.tokens;
        let flats: Vec<Option<Flat>> = stmts.iter().map(|s| self.flat(s, depth)).collect();
        let blank: Vec<bool> = stmts
            .iter()
            .map(|s| {
                let first = &tokens[s.first()];
                first
                    .leading
                    .first()
                    .map_or(first.blank_before, |c| c.blank_before)
            })
            .collect();
        let lines = align::align(&flats, &blank, depth * INDENT.len());
        // Trailing comments line up across consecutive one-line statements; a blank line or
        // a statement on several lines ends the run.
        let run_breaks: Vec<bool> = blank
            .iter()
            .zip(&lines)
            .map(|(&b, line)| b || line.is_none())
            .collect();
        let commented: Vec<Option<usize>> = stmts
            .iter()
            .zip(&lines)
            .map(|(s, line)| match (line, &tokens[s.last()].trailing) {
                (Some(line), Some(_)) => Some(width(line)),
                _ => None,
            })
            .collect();
        let columns = align::comment_columns(&commented, &run_breaks);
        let expanded_block = |i: usize| matches!(stmts[i], Stmt::Block(_)) && lines[i].is_none();

        for (i, stmt) in stmts.iter().enumerate() {
            if i > 0 && (blank[i] || top && (expanded_block(i) || expanded_block(i - 1))) {
                self.out.push('\n');
            }
            let first = &tokens[stmt.first()];
            self.comments(&first.leading, depth, false);
            if !first.leading.is_empty() && first.blank_before {
                self.out.push('\n');
            }
            self.indent(depth);
            match &lines[i] {
                Some(line) => {
                    self.out.push_str(line);
                    if let Some(c) = &tokens[stmt.last()].trailing {
                        let pad = columns[i].saturating_sub(width(line));
                        self.out.push_str(&" ".repeat(pad.max(1)));
                        self.out.push_str(c);
                    }
                    self.out.push('\n');
                }
                None => {
                    match stmt {
                        Stmt::Block(b) => self.expanded(b, depth),
                        Stmt::Line(l) => {
                            let wide = self.too_wide(l.first, l.last, depth);
                            self.run(l.first, l.last, depth, wide);
                        }
                    }
                    self.trailing(stmt.last());
                }
            }
        }
    }

    /// Comments on lines of their own, keeping the blank lines between them; a blank line
    /// before the first one is the caller's business unless `first_blank` says otherwise.
    fn comments(&mut self, comments: &[Comment], depth: usize, first_blank: bool) {
        for (k, c) in comments.iter().enumerate() {
            if c.blank_before && (k > 0 || first_blank) {
                self.out.push('\n');
            }
            self.indent(depth);
            self.out.push_str(&c.text);
            self.out.push('\n');
        }
    }

    /// The comments before a closing `}` or the end of the file.
    fn closing_comments(&mut self, token: &Token, depth: usize, after_stmts: bool) {
        self.comments(&token.leading, depth, after_stmts);
    }

    /// The trailing comment of token `i` (if any), then the line break.
    fn trailing(&mut self, i: usize) {
        if let Some(c) = &self.tokens[i].trailing {
            self.out.push_str("   ");
            self.out.push_str(c);
        }
        self.out.push('\n');
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
    }

    /// The statement on one line, if it has no comment inside, no block inside (for a block),
    /// and fits: a block only where its author wrote it on one line.
    fn flat(&self, stmt: &Stmt, depth: usize) -> Option<Flat> {
        let tokens = self.tokens;
        let inner_comments = |from: usize, to: usize| {
            (from..=to).any(|i| {
                i > from && !tokens[i].leading.is_empty() || i < to && tokens[i].trailing.is_some()
            })
        };
        let fits = |text: &str| depth * INDENT.len() + width(text) <= WIDTH;
        match stmt {
            Stmt::Line(l) => {
                if inner_comments(l.first, l.last) {
                    return None;
                }
                let text = self.flat_text(l.first, l.last);
                let has_list = (l.first..=l.last).any(|i| tokens[i].is("["));
                if has_list && !fits(&text) {
                    return None;
                }
                Some(match l.kind {
                    RowKind::Plain => Flat::Text(text),
                    kind => Flat::Row(kind, align::cells(tokens, l)),
                })
            }
            Stmt::Block(b) => {
                let head = format!("{} {}", tokens[b.first].text, tokens[b.first + 1].text);
                let Some(body) = &b.body else {
                    return (!inner_comments(b.first, b.first + 1)).then_some(Flat::Text(head));
                };
                if inner_comments(b.first, body.close) {
                    return None;
                }
                if body.stmts.is_empty() {
                    // `internet_gateway igw {}` is `internet_gateway igw`.
                    let optional = matches!(b.kind, Rule::internet_gateway | Rule::vpn_gateway);
                    return Some(Flat::Text(if optional {
                        head
                    } else {
                        format!("{head} {{}}")
                    }));
                }
                if !body.one_line_in_source
                    || body.stmts.iter().any(|s| matches!(s, Stmt::Block(_)))
                {
                    return None;
                }
                let cells: Option<Vec<String>> = body
                    .stmts
                    .iter()
                    .map(|s| self.flat(s, 0).map(|f| f.plain()))
                    .collect();
                let flat = Flat::Compact {
                    kind: tokens[b.first].text.clone(),
                    head,
                    body: cells?,
                };
                fits(&flat.plain()).then_some(flat)
            }
        }
    }

    /// Tokens `from..=to` on one line, lists written `[a, b]`.
    fn flat_text(&self, from: usize, to: usize) -> String {
        let mut s = String::new();
        for i in from..=to {
            let t = &self.tokens[i];
            let glued = i == from || t.is(",") || t.is("]") || self.tokens[i - 1].is("[");
            if !glued {
                s.push(' ');
            }
            s.push_str(&t.text);
        }
        s
    }

    fn too_wide(&self, from: usize, to: usize, depth: usize) -> bool {
        depth * INDENT.len() + width(&self.flat_text(from, to)) > WIDTH
    }

    /// A block on several lines: header, statements one level deeper, `}`.
    fn expanded(&mut self, block: &Block, depth: usize) {
        let Some(body) = &block.body else {
            self.run(block.first, block.first + 1, depth, false);
            return;
        };
        let name = block.first + 1;
        let open = &self.tokens[body.open];
        if body.open == name + 1 && open.leading.is_empty() && open.trailing.is_none() {
            // `vpc prod # c` then `{` on the next line: the comment moves after the `{`.
            self.run(block.first, name, depth, false);
            self.out.push_str(" {");
            self.trailing(name);
        } else {
            self.run(block.first, body.open, depth, false);
            self.trailing(body.open);
        }
        self.body(&body.stmts, depth + 1, false);
        let close = &self.tokens[body.close];
        self.closing_comments(close, depth + 1, !body.stmts.is_empty());
        self.indent(depth);
        self.out.push('}');
    }

    /// Tokens `from..=to` from the current position, breaking the line after a comment and
    /// before a token with comments of its own (continuation lines indented further); the
    /// trailing comment of `to` is the caller's. Lists are one item per line when they hold a
    /// comment or when `wide`.
    fn run(&mut self, from: usize, to: usize, depth: usize, wide: bool) {
        let tokens = self.tokens;
        let mut line_depth = depth;
        let mut at_line_start = false;
        let mut i = from;
        while i <= to {
            let t = &tokens[i];
            if i > from && !t.leading.is_empty() {
                if !at_line_start {
                    self.out.push('\n');
                }
                line_depth = depth + CONTINUATION;
                self.comments(&t.leading, line_depth, false);
                at_line_start = true;
            }
            if at_line_start {
                self.indent(line_depth);
            } else if i > from && !t.is(",") {
                self.out.push(' ');
            }
            if t.is("[") {
                i = self.list(i, line_depth, wide);
            } else {
                self.out.push_str(&t.text);
            }
            at_line_start = false;
            if i < to {
                if let Some(c) = &tokens[i].trailing {
                    self.out.push_str("   ");
                    self.out.push_str(c);
                    self.out.push('\n');
                    line_depth = depth + CONTINUATION;
                    at_line_start = true;
                }
            }
            i += 1;
        }
    }

    /// The list opening at token `open`; returns the index of its `]`.
    fn list(&mut self, open: usize, depth: usize, wide: bool) -> usize {
        let tokens = self.tokens;
        let close = (open..tokens.len())
            .find(|&i| tokens[i].is("]"))
            .unwrap_or(tokens.len() - 1);
        let has_comments = tokens[open].trailing.is_some()
            || (open + 1..=close)
                .any(|i| tokens[i].has_comments() && (i < close || !tokens[i].leading.is_empty()));
        if !wide && !has_comments {
            self.out.push_str(&self.flat_text(open, close));
            return close;
        }
        self.out.push('[');
        self.trailing(open);
        let mut i = open + 1;
        while i < close {
            let item = &tokens[i];
            if item.is(",") {
                // A comma with no item before it cannot occur; skip defensively.
                i += 1;
                continue;
            }
            self.comments(&item.leading, depth + 1, false);
            self.indent(depth + 1);
            self.out.push_str(&item.text);
            self.out.push(',');
            let mut after: Vec<&str> = item.trailing.iter().map(String::as_str).collect();
            if let Some(comma) = tokens.get(i + 1).filter(|t| t.is(",") && i + 1 < close) {
                after.extend(comma.leading.iter().map(|c| c.text.as_str()));
                after.extend(comma.trailing.as_deref());
                i += 1;
            }
            let mut after = after.into_iter();
            if let Some(c) = after.next() {
                self.out.push_str("   ");
                self.out.push_str(c);
            }
            self.out.push('\n');
            for c in after {
                self.indent(depth + 1);
                self.out.push_str(c);
                self.out.push('\n');
            }
            i += 1;
        }
        self.comments(&tokens[close].leading, depth + 1, false);
        self.indent(depth);
        self.out.push(']');
        close
    }
}
