//! Ids of imported resources: `vnetc import` writes a comment `# aws: ID ...` (or
//! `# cloudformation: LOGICAL_ID ...`) on the line before each block, and findings on that
//! block's resource carry the id (`aws_id`, `logical_id` in `vnetc lint --format json`), so
//! that a finding can be traced back to the account or the template.

use std::collections::HashMap;
use std::sync::Arc;

use crate::syntax::{Block, SpanTable, Stmt, Tree};

/// The comment that names an AWS id.
pub const AWS: &str = "# aws: ";
/// The comment that names a CloudFormation logical id.
pub const CLOUDFORMATION: &str = "# cloudformation: ";

/// One file's ids, by qualified resource name (`prod.public_subnet`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResourceIds {
    /// From `# aws: ID` comments.
    pub aws: HashMap<String, String>,
    /// From `# cloudformation: LOGICAL_ID` comments.
    pub logical: HashMap<String, String>,
}

impl ResourceIds {
    /// The ids of a file of text `text`; `parsed` gives its tree and spans, asked for only
    /// when the text has one of the comments (most files have none).
    pub fn of(text: &str, parsed: impl FnOnce() -> (Arc<Tree>, Arc<SpanTable>)) -> Self {
        if !text.contains(AWS) && !text.contains(CLOUDFORMATION) {
            return ResourceIds::default();
        }
        let (tree, spans) = parsed();
        ResourceIds {
            aws: find(text, &tree, &spans, AWS),
            logical: find(text, &tree, &spans, CLOUDFORMATION),
        }
    }
}

/// Qualified resource name (`prod.public_subnet`) to the id the `marker` comment before its
/// block names, for one file.
pub fn find(text: &str, tree: &Tree, spans: &SpanTable, marker: &str) -> HashMap<String, String> {
    // The id announced by the comment line that ends where each line starts.
    let mut by_next_line: HashMap<usize, String> = HashMap::new();
    let mut offset = 0;
    let mut pending: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if let Some(id) = pending.take() {
            by_next_line.insert(offset, id);
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(marker) {
            if let Some(id) = rest.split_whitespace().next() {
                pending = Some(id.to_string());
            }
        }
        offset += line.len();
    }
    let line_start = |pos: usize| text[..pos.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let mut out = HashMap::new();
    let visit = |b: &Block, qualified: String, out: &mut HashMap<String, String>| {
        let start = spans.get(b.id).start as usize;
        if let Some(id) = by_next_line.get(&line_start(start)) {
            out.insert(qualified, id.clone());
        }
    };
    for item in &tree.items {
        if let Stmt::Block(b) = item {
            visit(b, b.name.text.clone(), &mut out);
            for inner in b.blocks() {
                visit(
                    inner,
                    format!("{}.{}", b.name.text, inner.name.text),
                    &mut out,
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_comment_before_a_block_names_its_id() {
        let text = "# aws: vpc-1 account 1\nvpc a {\n  region us-east-1\n  # aws: subnet-2\n  subnet s { az us-east-1a  cidr 10.0.0.0/24 }\n  subnet t { az us-east-1a  cidr 10.0.1.0/24 }\n}\n";
        let parsed = crate::syntax::parse(text);
        let ids = super::find(text, &parsed.tree, &parsed.spans, super::AWS);
        assert_eq!(ids.get("a").map(String::as_str), Some("vpc-1"));
        assert_eq!(ids.get("a.s").map(String::as_str), Some("subnet-2"));
        assert_eq!(ids.get("a.t"), None);
    }
}
