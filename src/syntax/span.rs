//! Byte spans, the side table that maps node ids to them, and line/column lookup.

use serde::Serialize;

use super::NodeId;

/// A byte range in one file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset <= self.end as usize
    }
}

/// Spans of the nodes of one tree, indexed by [`NodeId`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanTable {
    spans: Vec<Span>,
}

impl SpanTable {
    pub(crate) fn push(&mut self, span: Span) -> NodeId {
        self.spans.push(span);
        NodeId(self.spans.len() as u32 - 1)
    }

    /// The span of a node; an empty span at 0 for an id of another tree (never panics).
    pub fn get(&self, id: NodeId) -> Span {
        self.spans.get(id.0 as usize).copied().unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Appends the table of the next run of a file parsed in runs; its ids follow this one's.
    pub(crate) fn append(&mut self, next: SpanTable) {
        self.spans.extend(next.spans);
    }

    /// Drops the spare capacity once the tree is built (the table lives as long as the tree).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.spans.shrink_to_fit();
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// Line starts of a text, for offset to line/column conversion (both 1-based, columns in
/// characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Whether each line is ASCII: there a column is a byte difference, so many lookups on one
    /// very long line (a minified file) stay linear.
    ascii: Vec<bool>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                text.as_bytes()[start..end].is_ascii()
            })
            .collect();
        LineIndex { starts, ascii }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = if self.ascii.get(line).copied().unwrap_or(false) {
            offset - start
        } else {
            text.get(start..offset)
                .map(|s| s.chars().count())
                .unwrap_or(offset - start)
        };
        (line + 1, column + 1)
    }

    /// The byte range of the 0-based line that holds `offset` (with its line end).
    pub fn line_range(&self, text: &str, offset: usize) -> std::ops::Range<usize> {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        self.starts[line]..end
    }

    /// Byte offset of a 0-based line and UTF-16 column (the LSP's positions).
    pub fn offset_utf16(&self, text: &str, line: usize, col16: usize) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let mut units = 0;
        for (i, ch) in text[start..end].char_indices() {
            if units >= col16 {
                return start + i;
            }
            units += ch.len_utf16();
        }
        end
    }

    /// 0-based line and UTF-16 column of a byte offset (the LSP's positions).
    pub fn position_utf16(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text
            .get(start..offset)
            .map(|s| s.encode_utf16().count())
            .unwrap_or(offset - start);
        (line, column)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}
