//! Fixes: edits anchored to syntax nodes, resolved to byte ranges only when applied, so that
//! findings stay independent of layout (like every diagnostic).

use crate::ir::Origin;

/// A fix: what it does, in words, and its edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// "add `outbound 110 allow tcp 1024-65535 to 172.16.1.0/24` to nacl shop.data_acl".
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Where an edit goes, relative to its anchor node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EditKind {
    /// Replace the node's text; the text's later lines, if any, are indented like the node
    /// (one statement becomes several).
    Replace,
    /// Remove the node and its whole line(s), comments on them included.
    DeleteLines,
    /// A new line after the node's last line, indented like the node.
    InsertLineAfter,
    /// A new line at the end of the block the node is (before its closing `}`), indented one
    /// level deeper than the block.
    InsertInBlock,
    /// A new line after the block the node is, at the block's indentation (a new sibling).
    InsertAfterBlock,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub anchor: Origin,
    pub kind: EditKind,
    pub text: String,
}

impl Fix {
    pub fn new(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            edits,
        }
    }

    pub fn one(
        title: impl Into<String>,
        anchor: Origin,
        kind: EditKind,
        text: impl Into<String>,
    ) -> Self {
        Fix::new(
            title,
            vec![Edit {
                anchor,
                kind,
                text: text.into(),
            }],
        )
    }
}

/// An edit resolved to a byte range of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// The indentation of the line holding `offset`.
fn indent_at(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The offset just after the line that holds `offset` (after its `\n`, or the end).
fn end_of_line(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

fn start_of_line(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// Indents every line of `text` with `indent`.
fn indented(text: &str, indent: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Resolves an edit against the text and the span of its anchor.
pub fn resolve(edit: &Edit, text: &str, anchor: crate::syntax::Span) -> TextEdit {
    let (start, end) = (anchor.start as usize, (anchor.end as usize).min(text.len()));
    let at = |pos: usize, replacement: String| TextEdit {
        start: pos,
        end: pos,
        replacement,
    };
    match edit.kind {
        EditKind::Replace => {
            let indent = indent_at(text, start);
            let replacement = match edit.text.split_once('\n') {
                Some((first, rest)) => format!("{first}\n{}", indented(rest, indent)),
                None => edit.text.clone(),
            };
            TextEdit {
                start,
                end,
                replacement,
            }
        }
        EditKind::DeleteLines => {
            let from = start_of_line(text, start);
            let to = end_of_line(text, end.saturating_sub(1).max(start));
            // Keep other statements that share the line (a compact block); a comment after
            // the node is about it, and goes with it.
            let after = text[end..to].trim();
            let alone =
                text[from..start].trim().is_empty() && (after.is_empty() || after.starts_with('#'));
            if !alone {
                TextEdit {
                    start,
                    end,
                    replacement: String::new(),
                }
            } else {
                TextEdit {
                    start: from,
                    end: to,
                    replacement: String::new(),
                }
            }
        }
        EditKind::InsertLineAfter => {
            let indent = indent_at(text, start).to_string();
            let pos = end_of_line(text, end.saturating_sub(1).max(start));
            let newline = if pos == text.len() && !text.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            at(pos, format!("{newline}{}\n", indented(&edit.text, &indent)))
        }
        EditKind::InsertInBlock => {
            let close = text[..end].rfind('}').unwrap_or(end);
            let indent = indent_at(text, start).to_string();
            if text[start..close].contains('\n') {
                let pos = start_of_line(text, close);
                if text[pos..close].trim().is_empty() {
                    return at(
                        pos,
                        format!("{}\n", indented(&edit.text, &format!("{indent}  "))),
                    );
                }
                at(close, format!("  {}\n{indent}", edit.text))
            } else {
                compact_insert(edit, text, start, close, &indent)
            }
        }
        EditKind::InsertAfterBlock => {
            let indent = indent_at(text, start).to_string();
            let pos = end_of_line(text, end.saturating_sub(1).max(start));
            let newline = if pos == text.len() && !text.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            at(
                pos,
                format!("{newline}\n{}\n", indented(&edit.text, &indent)),
            )
        }
    }
}

/// An insertion into a compact one-line block (`{ az us-east-1a  cidr 10.0.1.0/24 }`): an
/// empty block (`{}`) gaining several statements opens onto lines of their own; otherwise the
/// statements go before the `}`, two spaces apart as compact blocks are written (`vnetc fmt`
/// lays out a block grown too long for one line).
fn compact_insert(edit: &Edit, text: &str, start: usize, close: usize, indent: &str) -> TextEdit {
    let open = text[start..close].find('{').map(|i| start + i);
    let statements: Vec<&str> = (edit.text.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(open) =
        open.filter(|&o| statements.len() > 1 && text[o + 1..close].trim().is_empty())
    {
        return TextEdit {
            start: open + 1,
            end: close,
            replacement: format!(
                "\n{}\n{indent}",
                indented(&edit.text, &format!("{indent}  "))
            ),
        };
    }
    let before = &text[..close];
    let lead = if before.ends_with("  ") || before.ends_with("{ ") {
        ""
    } else if before.ends_with('{') || before.ends_with(' ') {
        " "
    } else {
        "  "
    };
    TextEdit {
        start: close,
        end: close,
        replacement: format!("{lead}{} ", statements.join("  ")),
    }
}

/// Applies resolved edits to a text; overlapping edits after the first are skipped (their
/// fixes apply on a second run), and an edit identical to one before it is applied once (two
/// findings offering the same missing rule must add it once). Returns the new text and how
/// many edits were skipped for overlapping another.
pub fn apply(text: &str, mut edits: Vec<TextEdit>) -> (String, usize) {
    edits.sort_by_key(|e| (e.start, e.end));
    let mut seen = std::collections::HashSet::new();
    edits.retain(|e| seen.insert((e.start, e.end, e.replacement.clone())));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    let mut skipped = 0;
    for e in edits {
        if e.start < cursor || e.end > text.len() {
            skipped += 1;
            continue;
        }
        out.push_str(&text[cursor..e.start]);
        out.push_str(&e.replacement);
        cursor = e.end;
    }
    out.push_str(&text[cursor..]);
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{FileIdx, Origin};
    use crate::syntax::{NodeId, Span};

    /// `text` with `lines` inserted into the block that is the whole text.
    fn inserted(text: &str, lines: &str) -> String {
        let edit = Edit {
            anchor: Origin {
                file: FileIdx(0),
                node: NodeId(0),
            },
            kind: EditKind::InsertInBlock,
            text: lines.to_string(),
        };
        let span = Span::new(0, text.len());
        apply(text, vec![resolve(&edit, text, span)]).0
    }

    #[test]
    fn a_compact_block_gains_statements_two_spaces_apart() {
        let two = "route 10.0.0.0/15 -> core\nroute 10.2.0.0/16 -> core";
        assert_eq!(
            inserted("route_table rt { route 10.2.0.0/15 -> fw }", two),
            "route_table rt { route 10.2.0.0/15 -> fw  route 10.0.0.0/15 -> core  route 10.2.0.0/16 -> core }"
        );
        assert_eq!(
            inserted("route_table rt {}", "route 10.0.0.0/14 -> core"),
            "route_table rt { route 10.0.0.0/14 -> core }"
        );
        assert_eq!(
            inserted("route_table rt { }", "route 10.0.0.0/14 -> core"),
            "route_table rt { route 10.0.0.0/14 -> core }"
        );
    }

    #[test]
    fn an_empty_compact_block_gaining_several_statements_opens_onto_lines() {
        let two = "route 10.0.0.0/15 -> core\nroute 10.2.0.0/16 -> core";
        assert_eq!(
            inserted("route_table rt {}", two),
            "route_table rt {\n  route 10.0.0.0/15 -> core\n  route 10.2.0.0/16 -> core\n}"
        );
    }
}
