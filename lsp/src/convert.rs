//! Conversions between the compiler's byte spans and file paths and the protocol's UTF-16
//! positions and URIs.

use std::path::{Path, PathBuf};

use gen_lsp_types::{Position, Range, Uri};
use vnet::syntax::{LineIndex, Span};

/// One file's text with its line starts, for position conversions both ways.
pub struct Lines<'a> {
    pub text: &'a str,
    index: LineIndex,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Lines {
            text,
            index: LineIndex::new(text),
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let (line, character) = self.index.position_utf16(self.text, offset);
        Position {
            line: line as u32,
            character: character as u32,
        }
    }

    pub fn range(&self, span: Span) -> Range {
        Range {
            start: self.position(span.start as usize),
            end: self.position(span.end as usize),
        }
    }

    /// The byte offset of a position; positions past a line's end or the text's end clamp.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let start = self.index.offset_utf16(self.text, line, 0);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        self.index
            .offset_utf16(self.text, line, position.character as usize)
            .min(line_end)
    }

    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        Span::new(start, end)
    }
}

/// The path a URI names: a file path for `file:` URIs, the URI itself otherwise (an unsaved
/// buffer is still analysed, alone).
pub fn path_of(uri: &Uri) -> PathBuf {
    if uri.scheme() == "file" {
        if let Ok(path) = uri.to_file_path() {
            return path;
        }
    }
    PathBuf::from(uri.as_str())
}

/// The `file:` URI of a path (the inverse of [`path_of`]).
pub fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
        .ok()
        .or_else(|| Uri::parse(&path.to_string_lossy()).ok())
}

/// Applies one incremental change (a range replaced by text) to a document.
pub fn apply_change(text: &mut String, range: Range, new_text: &str) {
    let lines = Lines::new(text);
    let span = lines.span(range);
    let (start, end) = (span.start as usize, span.end as usize);
    if text.is_char_boundary(start) && text.is_char_boundary(end) {
        text.replace_range(start..end, new_text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_round_trip() {
        let text = "a é\n𝄞 b\n";
        let lines = Lines::new(text);
        let b = text.find('b').unwrap_or_default();
        let pos = lines.position(b);
        assert_eq!((pos.line, pos.character), (1, 3));
        assert_eq!(lines.offset(pos), b);
        // Past the end of a line clamps to its end; past the text, to the text's end.
        let far = Position {
            line: 0,
            character: 99,
        };
        assert_eq!(lines.offset(far), 4);
        let beyond = Position {
            line: 9,
            character: 0,
        };
        assert_eq!(lines.offset(beyond), text.len());
    }

    #[test]
    fn incremental_changes_apply_in_utf16() {
        let mut text = "x 𝄞 y\n".to_string();
        let range = Range {
            start: Position {
                line: 0,
                character: 5,
            },
            end: Position {
                line: 0,
                character: 6,
            },
        };
        apply_change(&mut text, range, "z");
        assert_eq!(text, "x 𝄞 z\n");
    }
}
