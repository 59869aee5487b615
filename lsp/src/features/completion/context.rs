//! The position of the cursor, read from the text: the blocks it is in and the tokens of its
//! line before it.

use vnet::syntax::{BlockKind, Span};

use super::grammar;

pub struct Context<'a> {
    /// The enclosing blocks, outermost first: kind (when a block keyword opened it) and name.
    pub blocks: Vec<(Option<BlockKind>, &'a str)>,
    /// The complete tokens of the line before the word being typed.
    pub tokens: Vec<&'a str>,
    /// The word being typed (may be empty) and where it is.
    pub partial: &'a str,
    pub partial_span: Span,
    /// Inside `[...]` on this line.
    pub in_list: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':')
}

impl<'a> Context<'a> {
    /// The context at `offset`; `None` inside a comment or a string.
    pub fn at(text: &'a str, offset: usize) -> Option<Self> {
        let offset = floor_char_boundary(text, offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..offset];
        if in_comment_or_string(line) {
            return None;
        }
        let partial_len = line
            .chars()
            .rev()
            .take_while(|c| is_word_char(*c) && *c != '>')
            .map(char::len_utf8)
            .sum::<usize>();
        let partial = &line[line.len() - partial_len..];
        let before = &line[..line.len() - partial_len];
        let in_list = before.rfind('[') > before.rfind(']');
        let tokens = before
            .split(|c: char| c.is_whitespace() || matches!(c, '[' | ',' | ']' | '{' | '}'))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>();
        // Statements after `{` on the same line: only the tokens after the last brace count.
        let tokens = match before.rfind(['{', '}']) {
            Some(i) => before[i + 1..]
                .split(|c: char| c.is_whitespace() || matches!(c, '[' | ',' | ']'))
                .filter(|t| !t.is_empty())
                .collect(),
            None => tokens,
        };
        Some(Context {
            blocks: block_stack(&text[..offset]),
            tokens,
            partial,
            partial_span: Span::new(offset - partial_len, offset),
            in_list,
        })
    }

    /// The innermost block's kind (`None` at the top level or in an unknown block).
    pub fn block(&self) -> Option<BlockKind> {
        self.blocks.last().and_then(|(k, _)| *k)
    }

    /// The outermost block's name (the VPC, transit gateway or on-premises network).
    pub fn outermost_name(&self) -> Option<&'a str> {
        self.blocks.first().map(|(_, n)| *n)
    }
}

/// The blocks open at the end of `text`: each `KIND NAME {` pushes, each `}` pops; comments
/// and strings are skipped.
pub fn block_stack(text: &str) -> Vec<(Option<BlockKind>, &str)> {
    let mut stack = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for (_, c) in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' | '\n' if !escaped => break,
                        _ => escaped = false,
                    }
                }
            }
            '{' => {
                let n = words.len();
                let opened = match words.get(n.saturating_sub(2)..) {
                    Some([kind, name]) => (grammar::block_kind(kind), *name),
                    _ => (None, ""),
                };
                stack.push(opened);
                words.clear();
            }
            '}' => {
                stack.pop();
                words.clear();
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || matches!(d, '_' | '-' | '.') {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                words.push(&text[i..end]);
            }
            '\n' => words.clear(),
            _ => {}
        }
    }
    stack
}

fn in_comment_or_string(line: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if in_string && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return true,
            _ => {}
        }
        escaped = false;
    }
    in_string
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_and_the_line() {
        let text =
            "vpc prod {\n  region us-east-1 # { not a block\n  subnet a {\n    route_table pri";
        let cx = Context::at(text, text.len());
        let Some(cx) = cx else {
            panic!("no context");
        };
        assert_eq!(
            cx.blocks,
            [
                (Some(BlockKind::Vpc), "prod"),
                (Some(BlockKind::Subnet), "a")
            ]
        );
        assert_eq!(cx.tokens, ["route_table"]);
        assert_eq!(cx.partial, "pri");
        assert!(Context::at("# vnet: allow(", 14).is_none());
    }
}
