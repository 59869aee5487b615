//! Formatting part of a file (the language server's range formatting): the whole file is
//! formatted, and only the changed lines that touch the range are returned, as edits of the
//! original text.

use similar::{DiffOp, TextDiff};

use super::{format_source, FormatError};

/// Replace `range` (bytes of the original text) with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: std::ops::Range<usize>,
    pub new_text: String,
}

/// The edits that format the lines of `text` that `range` (bytes) touches; every edit if
/// `range` is `None`. Applying them all in reverse order gives [`format_source`]'s result.
pub fn format_range(
    text: &str,
    range: Option<std::ops::Range<usize>>,
) -> Result<Vec<TextEdit>, FormatError> {
    let formatted = format_source(text)?;
    let diff = TextDiff::from_lines(text, &formatted);
    let old_lines = line_starts(text);
    let new_lines = line_starts(&formatted);
    let offset = |starts: &[usize], line: usize| {
        starts
            .get(line)
            .copied()
            .unwrap_or(starts[starts.len() - 1])
    };
    let mut edits = Vec::new();
    for op in diff.ops() {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let old = op.old_range();
        let new = op.new_range();
        let start = offset(&old_lines, old.start);
        let end = offset(&old_lines, old.end);
        let touches = range
            .as_ref()
            .is_none_or(|r| start <= r.end && r.start <= end);
        if touches {
            edits.push(TextEdit {
                range: start..end,
                new_text: formatted[offset(&new_lines, new.start)..offset(&new_lines, new.end)]
                    .to_string(),
            });
        }
    }
    Ok(edits)
}

/// Byte offsets where each line starts, and the text's length last.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    if starts.last() != Some(&text.len()) {
        starts.push(text.len());
    }
    starts
}
