//! Names in the text and the declarations they stand for: a block's own name, and each
//! segment of a reference (`shared.vpce_sg` names the VPC `shared` and, in it, `vpce_sg`).
//! Built from the item index and the resolution the compiler computed, not by re-parsing.

use std::collections::HashMap;

use vnet::db;
use vnet::ir::{resolve, DeclId, FileIdx, Scope};
use vnet::syntax::{NodeId, Span, Stmt, Tree, Value, ValueKind};

use crate::snapshot::{FileRef, Snapshot};
use crate::state::Root;

/// One place where a declaration is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub file: FileIdx,
    /// The name itself (one segment of a dotted reference).
    pub span: Span,
    pub decl: DeclId,
    /// True at the declaration's own name.
    pub is_decl: bool,
}

/// Calls `f` on every value of the statements, lists' items included, depth first.
pub fn each_value<'a>(stmts: &'a [Stmt], f: &mut impl FnMut(&'a Value)) {
    fn value<'a>(v: &'a Value, f: &mut impl FnMut(&'a Value)) {
        f(v);
        if let ValueKind::List(items) = &v.kind {
            for item in items {
                value(item, f);
            }
        }
    }
    for stmt in stmts {
        match stmt {
            Stmt::Block(b) => each_value(&b.body, f),
            Stmt::Attr(a) => value(&a.value, f),
            Stmt::Route(r) => {
                value(&r.dest, f);
                value(&r.target, f);
            }
            Stmt::NaclRule(r) => {
                for v in [&r.number, &r.action, &r.protocol, &r.peer] {
                    value(v, f);
                }
                if let Some(p) = &r.ports {
                    value(p, f);
                }
            }
            Stmt::SgRule(r) => {
                value(&r.protocol, f);
                if let Some(p) = &r.ports {
                    value(p, f);
                }
                value(&r.peer, f);
                if let Some(d) = &r.description {
                    value(d, f);
                }
            }
            Stmt::Listener(l) => {
                for v in [&l.protocol, &l.port, &l.target] {
                    value(v, f);
                }
            }
            Stmt::Expect(e) => {
                for v in [&e.src, &e.dst, &e.protocol, &e.verdict] {
                    value(v, f);
                }
                if let Some(p) = &e.ports {
                    value(p, f);
                }
            }
            Stmt::Error(_) => {}
        }
    }
}

/// The dotted path of every reference of a tree, by node.
fn ref_paths(tree: &Tree) -> HashMap<NodeId, &str> {
    let mut out = HashMap::new();
    each_value(&tree.items, &mut |v| {
        if let ValueKind::Ref(path) = &v.kind {
            out.insert(v.id, path.as_str());
        }
    });
    out
}

/// The spans of a dotted name's segments, from the span of the whole.
pub fn segment_spans(text: &str, span: Span) -> Vec<Span> {
    let Some(written) = text.get(span.range()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = span.start as usize;
    for segment in written.split('.') {
        out.push(Span::new(start, start + segment.len()));
        start += segment.len() + 1;
    }
    out
}

/// Every occurrence of every declaration of a root, in file and position order.
pub fn occurrences(snap: &Snapshot, root: &Root) -> Vec<Occurrence> {
    let db = &snap.db;
    let ws = root.ws;
    let index = db::item_index(db, ws);
    let resolution = db::resolve(db, ws);
    let files = ws.files(db);
    let mut out: Vec<Occurrence> = index
        .decls
        .iter()
        .enumerate()
        .map(|(id, d)| Occurrence {
            file: d.name_origin.file,
            span: snap.span(ws, d.name_origin),
            decl: id,
            is_decl: true,
        })
        .collect();
    let paths: Vec<_> = files
        .iter()
        .map(|f| ref_paths(db::syntax_tree(db, *f)))
        .collect();
    for ((file, node), resolved) in resolution.iter() {
        let Some(source) = files.get(file.0 as usize) else {
            continue;
        };
        let Some(path) = paths[file.0 as usize].get(&node) else {
            continue;
        };
        let span = db::parse(db, *source).spans.get(node);
        let segments = segment_spans(source.text(db), span);
        if segments.len() != path.split('.').count() {
            continue;
        }
        if let (Some(decl), Some(last)) = (resolved.decl, segments.last()) {
            out.push(Occurrence {
                file,
                span: *last,
                decl,
                is_decl: false,
            });
        }
        if let Some((outer, _)) = path.split_once('.') {
            if let Some(decl) = resolve::lookup(index, Scope::Top, outer) {
                out.push(Occurrence {
                    file,
                    span: segments[0],
                    decl,
                    is_decl: false,
                });
            }
        }
    }
    out.sort_by_key(|o| (o.file, o.span));
    out
}

/// The occurrence under an offset of a file (the cursor may sit just after the name).
pub fn at(snap: &Snapshot, file: FileRef<'_>, offset: usize) -> Option<Occurrence> {
    let all = occurrences(snap, file.root);
    let here: Vec<&Occurrence> = all
        .iter()
        .filter(|o| o.file == file.idx && o.span.contains(offset))
        .collect();
    // Prefer the name that starts at or before the cursor and is not merely touched at its end.
    here.iter()
        .find(|o| (o.span.start as usize) <= offset && offset < o.span.end as usize)
        .or(here.first())
        .map(|o| **o)
}
