//! Inline suppressions: a comment `# vnet: allow(rule-id, ...) reason` on the line before a
//! block or statement suppresses those rules' findings inside it. A suppression that
//! suppresses nothing is itself reported (`unused-suppression`), as ruff reports unused
//! `noqa` comments.

use crate::syntax::{LineIndex, Span, SpanTable, Stmt, Tree};

/// One `# vnet: allow(...)` comment and the statement it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub rules: Vec<String>,
    /// The comment itself.
    pub comment: Span,
    /// The block or statement after it (empty when nothing follows).
    pub covers: Span,
}

const MARKER: &str = "vnet: allow(";

/// Whether a file of text `text` may have a suppression: most files have none, and one
/// substring search tells, without the tree.
pub fn may_have(text: &str) -> bool {
    text.contains(MARKER)
}

/// The suppressions of one file.
pub fn find(text: &str, tree: &Tree, spans: &SpanTable) -> Vec<Suppression> {
    if !may_have(text) {
        return Vec::new();
    }
    let mut starts: Vec<Span> = Vec::new();
    collect(&tree.items, spans, &mut starts);
    starts.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let Some(hash) = comment_start(line) else {
            continue;
        };
        let comment = &line[hash + 1..];
        let Some(at) = comment.find(MARKER) else {
            continue;
        };
        if !comment[..at].trim().is_empty() {
            continue;
        }
        let args = &comment[at + MARKER.len()..];
        let Some(close) = args.find(')') else {
            continue;
        };
        let rules: Vec<String> = args[..close]
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let comment_span = Span::new(here + hash, here + line.trim_end().len());
        // The first statement that starts on a later line.
        let (line_no, _) = lines.line_col(text, here);
        let covers = starts
            .iter()
            .find(|s| lines.line_col(text, s.start as usize).0 > line_no)
            .copied()
            .unwrap_or(Span::new(
                comment_span.end as usize,
                comment_span.end as usize,
            ));
        out.push(Suppression {
            rules,
            comment: comment_span,
            covers,
        });
    }
    out
}

/// Where a line's comment starts (outside strings).
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if in_string && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return Some(i),
            _ => {}
        }
        escaped = false;
    }
    None
}

fn collect(stmts: &[Stmt], spans: &SpanTable, out: &mut Vec<Span>) {
    for stmt in stmts {
        let id = match stmt {
            Stmt::Block(b) => {
                collect(&b.body, spans, out);
                b.id
            }
            Stmt::Attr(a) => a.id,
            Stmt::Route(r) => r.id,
            Stmt::NaclRule(r) => r.id,
            Stmt::SgRule(r) => r.id,
            Stmt::Listener(l) => l.id,
            Stmt::Expect(e) => e.id,
            Stmt::Error(e) => e.id,
        };
        out.push(spans.get(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_covers_the_next_statement() {
        let text = "vpc a {\n  # vnet: allow(sg-open-to-world, nat-cross-az) bastion is meant to be open\n  security_group sg { ingress tcp 22 from 0.0.0.0/0 }\n  cidr 10.0.0.0/16\n}\n";
        let parsed = crate::syntax::parse(text);
        let found = find(text, &parsed.tree, &parsed.spans);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rules, ["sg-open-to-world", "nat-cross-az"]);
        let covered = &text[found[0].covers.range()];
        assert!(covered.starts_with("security_group sg"), "{covered}");
        assert!(covered.ends_with('}'), "{covered}");
    }
}
