//! Semantic tokens: keywords, declared names (by kind, with the `declaration` modifier),
//! references (coloured by what they resolve to), numbers, CIDRs, strings and comments.

use gen_lsp_types::SemanticTokensParams;
use serde_json::{json, Value};
use vnet::db;
use vnet::syntax::{BlockKind, Span, SpanTable, Stmt, Value as SyntaxValue, ValueKind};

use super::names::{self, each_value};
use crate::convert::Lines;
use crate::snapshot::Snapshot;
use crate::Failure;

const TYPES: &[&str] = &[
    "keyword",
    "namespace",
    "class",
    "struct",
    "variable",
    "property",
    "number",
    "string",
    "comment",
    "enumMember",
    "type",
];
const KEYWORD: u32 = 0;
const PROPERTY: u32 = 5;
const NUMBER: u32 = 6;
const STRING: u32 = 7;
const COMMENT: u32 = 8;
const ENUM_MEMBER: u32 = 9;
const TYPE: u32 = 10;
const DECLARATION: u32 = 1;

pub fn legend() -> Value {
    json!({ "tokenTypes": TYPES, "tokenModifiers": ["declaration"] })
}

fn kind_type(kind: BlockKind) -> u32 {
    match kind {
        BlockKind::Vpc | BlockKind::OnPremises | BlockKind::TransitGateway => 1,
        BlockKind::RouteTable | BlockKind::Nacl | BlockKind::SecurityGroup => 2,
        BlockKind::Subnet => 3,
        _ => 4,
    }
}

pub fn full(snap: &Snapshot, params: SemanticTokensParams) -> Result<Value, Failure> {
    let Some(file) = snap.file(&params.text_document.uri) else {
        return Ok(json!({ "data": [] }));
    };
    let text = snap.text(file.file);
    let parsed = db::parse(&snap.db, file.file);
    let index = db::item_index(&snap.db, file.ws());
    let mut tokens: Vec<(Span, u32, u32)> = Vec::new();
    for o in names::occurrences(snap, file.root) {
        if o.file == file.idx {
            let kind = kind_type(index.decls[o.decl].kind);
            tokens.push((o.span, kind, if o.is_decl { DECLARATION } else { 0 }));
        }
    }
    statements(&parsed.tree.items, &parsed.spans, text, &mut tokens);
    each_value(&parsed.tree.items, &mut |v: &SyntaxValue| {
        let span = parsed.spans.get(v.id);
        let ty = match &v.kind {
            ValueKind::Cidr(_)
            | ValueKind::Address(_)
            | ValueKind::Int(_)
            | ValueKind::Ports(_) => NUMBER,
            ValueKind::Str(_) => STRING,
            ValueKind::Bool(_) | ValueKind::Word(_) => ENUM_MEMBER,
            // Names that resolve are tokens already; the others are AWS services or regions.
            ValueKind::Ref(_) => TYPE,
            ValueKind::List(_) => return,
        };
        tokens.push((span, ty, 0));
    });
    comments(text, &mut tokens);
    // One token per place: the first pushed wins (resolved names before plain values).
    let mut seen: Vec<(Span, u32, u32)> = Vec::new();
    for t in tokens {
        if t.0.start < t.0.end
            && !seen
                .iter()
                .any(|s| s.0.start < t.0.end && t.0.start < s.0.end)
        {
            seen.push(t);
        }
    }
    seen.sort_by_key(|t| t.0.start);
    Ok(json!({ "data": encode(text, &seen) }))
}

/// Keywords: the first word of every statement, `from`/`to`/`->` inside rule lines.
fn statements(stmts: &[Stmt], spans: &SpanTable, text: &str, out: &mut Vec<(Span, u32, u32)>) {
    for stmt in stmts {
        let (id, word_type) = match stmt {
            Stmt::Block(b) => {
                statements(&b.body, spans, text, out);
                (b.id, KEYWORD)
            }
            Stmt::Attr(a) => (a.id, PROPERTY),
            Stmt::Route(r) => (r.id, KEYWORD),
            Stmt::NaclRule(r) => (r.id, KEYWORD),
            Stmt::SgRule(r) => (r.id, KEYWORD),
            Stmt::Listener(l) => (l.id, KEYWORD),
            Stmt::Expect(e) => (e.id, KEYWORD),
            Stmt::Error(_) => continue,
        };
        let span = spans.get(id);
        let Some(written) = text.get(span.range()) else {
            continue;
        };
        let first = written
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(written.len());
        out.push((
            Span::new(span.start as usize, span.start as usize + first),
            word_type,
            0,
        ));
        if matches!(stmt, Stmt::NaclRule(_) | Stmt::SgRule(_)) {
            for word in [" from ", " to "] {
                if let Some(i) = written.find(word) {
                    let at = span.start as usize + i + 1;
                    out.push((Span::new(at, at + word.trim().len()), KEYWORD, 0));
                }
            }
        }
    }
}

fn comments(text: &str, out: &mut Vec<(Span, u32, u32)>) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                '\\' if in_string && !escaped => {
                    escaped = true;
                    continue;
                }
                '"' if !escaped => in_string = !in_string,
                '#' if !in_string => {
                    let end = line.trim_end_matches(['\n', '\r']).len();
                    out.push((Span::new(offset + i, offset + end), COMMENT, 0));
                    break;
                }
                _ => {}
            }
            escaped = false;
        }
        offset += line.len();
    }
}

/// The protocol's relative encoding: line delta, start delta, length, type, modifiers (in
/// UTF-16 units; every token is on one line).
fn encode(text: &str, tokens: &[(Span, u32, u32)]) -> Vec<u32> {
    let lines = Lines::new(text);
    let mut data = Vec::with_capacity(tokens.len() * 5);
    let (mut line, mut col) = (0, 0);
    for (span, ty, modifiers) in tokens {
        let start = lines.position(span.start as usize);
        let end = lines.position(span.end as usize);
        if end.line != start.line {
            continue;
        }
        let delta_line = start.line - line;
        let delta_col = if delta_line == 0 {
            start.character - col
        } else {
            start.character
        };
        data.extend([
            delta_line,
            delta_col,
            end.character - start.character,
            *ty,
            *modifiers,
        ]);
        line = start.line;
        col = start.character;
    }
    data
}
