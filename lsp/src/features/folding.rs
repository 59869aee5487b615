//! Folding ranges: every block written over several lines, and runs of comment lines.

use gen_lsp_types::FoldingRangeParams;
use serde_json::{json, Value};
use vnet::db;

use crate::convert::Lines;
use crate::snapshot::Snapshot;
use crate::Failure;

pub fn folding_ranges(snap: &Snapshot, params: FoldingRangeParams) -> Result<Vec<Value>, Failure> {
    let Some(file) = snap.file(&params.text_document.uri) else {
        return Ok(Vec::new());
    };
    let parsed = db::parse(&snap.db, file.file);
    let text = snap.text(file.file);
    let lines = Lines::new(text);
    let mut out = Vec::new();
    for (_, block) in parsed.tree.walk_blocks() {
        let range = lines.range(parsed.spans.get(block.id));
        // Keep the closing `}` visible.
        if range.end.line > range.start.line + 1 {
            out.push(json!({ "startLine": range.start.line, "endLine": range.end.line - 1 }));
        }
    }
    let mut run: Option<(usize, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            run = Some(run.map_or((i, i), |(start, _)| (start, i)));
            continue;
        }
        if let Some((start, end)) = run.take() {
            if end > start {
                out.push(json!({ "startLine": start, "endLine": end, "kind": "comment" }));
            }
        }
    }
    if let Some((start, end)) = run {
        if end > start {
            out.push(json!({ "startLine": start, "endLine": end, "kind": "comment" }));
        }
    }
    Ok(out)
}
