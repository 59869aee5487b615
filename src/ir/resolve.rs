//! Name resolution: every reference of every tree, looked up by the scoping rules of
//! LANGUAGE.md. A bare name resolves in the enclosing VPC (or transit gateway, or on-premises
//! network), then among top-level items; `A.B` resolves `B` inside the top-level item `A`;
//! inside a transit gateway `attachment`, names resolve in the attached VPC.
//!
//! Whether the item found is of a kind its position accepts, and what an unresolved name
//! means there (an AWS service, or an error), is decided by lowering, which knows positions.

use crate::ir::{DeclId, FileIdx, ItemIndex, Scope};
use crate::syntax::{AttrKey, Block, BlockKind, NodeId, Stmt, Tree, Value, ValueKind};

/// A reference's scope and what it resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub scope: Scope,
    pub decl: Option<DeclId>,
}

/// The references of a file (or a workspace), sorted by where they are: a tree's references
/// come in node order, so the list is built sorted, and it takes half a B-tree's memory (every
/// file's resolution is alive while the files are lowered).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolution {
    refs: Vec<((FileIdx, NodeId), Resolved)>,
}

impl Resolution {
    pub fn get(&self, file: FileIdx, value: NodeId) -> Option<Resolved> {
        let at = self
            .refs
            .binary_search_by_key(&(file, value), |r| r.0)
            .ok()?;
        Some(self.refs[at].1)
    }

    /// Every reference of the workspace (file, value node) with what it resolved to, in file
    /// and node order: what "find references" and "rename" walk.
    pub fn iter(&self) -> impl Iterator<Item = ((FileIdx, NodeId), Resolved)> + '_ {
        self.refs.iter().copied()
    }

    /// Adds another file's references (the workspace's resolution is its files').
    pub fn extend(&mut self, other: &Resolution) {
        let after = match (self.refs.last(), other.refs.first()) {
            (Some(last), Some(first)) => last.0 < first.0,
            _ => true,
        };
        self.refs.extend_from_slice(&other.refs);
        if !after {
            self.sort();
        }
    }

    /// Sorts the references by place, keeping the last resolution of a place written twice
    /// (as a map would): a transit gateway attachment's `vpc` is resolved before the rest of
    /// its block, so its place comes out of order.
    fn sort(&mut self) {
        if self.refs.is_sorted_by(|a, b| a.0 < b.0) {
            return;
        }
        // Of equal places, a stable sort keeps the order they were added in: keep the last.
        self.refs.sort_by_key(|r| r.0);
        self.refs.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                *earlier = *later;
            }
            same
        });
    }
}

/// Looks `path` up from `scope`.
pub fn lookup(index: &ItemIndex, scope: Scope, path: &str) -> Option<DeclId> {
    match path.split_once('.') {
        None => index
            .lookup(scope, path)
            .or_else(|| index.lookup(Scope::Top, path)),
        Some((outer, name)) if !name.contains('.') => {
            let outer = index.lookup(Scope::Top, outer)?;
            index.lookup(Scope::In(outer), name)
        }
        Some(_) => None,
    }
}

/// Every reference of one file (the `file`-th of the workspace).
pub fn resolve_file(file: FileIdx, tree: &Tree, index: &ItemIndex) -> Resolution {
    let mut r = Resolver {
        index,
        out: Resolution::default(),
        file,
    };
    r.stmts(&tree.items, Scope::Top);
    r.out.sort();
    r.out.refs.shrink_to_fit();
    r.out
}

struct Resolver<'a> {
    index: &'a ItemIndex,
    out: Resolution,
    file: FileIdx,
}

impl Resolver<'_> {
    fn stmts(&mut self, stmts: &[Stmt], scope: Scope) {
        for stmt in stmts {
            match stmt {
                Stmt::Block(block) => self.block(block, scope),
                Stmt::Attr(a) => self.value(&a.value, scope),
                Stmt::Route(r) => self.value(&r.target, scope),
                Stmt::NaclRule(n) => self.value(&n.peer, scope),
                Stmt::SgRule(s) => self.value(&s.peer, scope),
                Stmt::Listener(l) => self.value(&l.target, scope),
                Stmt::Expect(e) => {
                    self.value(&e.src, scope);
                    self.value(&e.dst, scope);
                }
                Stmt::Error(_) => {}
            }
        }
    }

    fn block(&mut self, block: &Block, scope: Scope) {
        let decl = self.index.decl_of_block(self.file, block.id);
        let inner = match (block.kind, decl) {
            (BlockKind::Vpc | BlockKind::TransitGateway | BlockKind::OnPremises, Some(d)) => {
                Scope::In(d)
            }
            (BlockKind::Attachment, _) => {
                // `vpc` resolves among top-level items; the rest in the attached VPC.
                let mut attached = Scope::Top;
                for attr in block.attrs(AttrKey::Vpc) {
                    self.value(&attr.value, Scope::Top);
                    if let ValueKind::Ref(path) = &attr.value.kind {
                        if let Some(v) = lookup(self.index, Scope::Top, path.as_str()) {
                            if self.index.decls[v].kind == BlockKind::Vpc {
                                attached = Scope::In(v);
                            }
                        }
                    }
                }
                let rest: Vec<Stmt> = block
                    .body
                    .iter()
                    .filter(|s| !matches!(s, Stmt::Attr(a) if a.key == AttrKey::Vpc))
                    .cloned()
                    .collect();
                self.stmts(&rest, attached);
                return;
            }
            _ => scope,
        };
        self.stmts(&block.body, inner);
    }

    fn value(&mut self, value: &Value, scope: Scope) {
        match &value.kind {
            ValueKind::Ref(path) => {
                let decl = lookup(self.index, scope, path.as_str());
                (self.out.refs).push(((self.file, value.id), Resolved { scope, decl }));
            }
            ValueKind::List(items) => {
                for item in items {
                    self.value(item, scope);
                }
            }
            _ => {}
        }
    }
}
