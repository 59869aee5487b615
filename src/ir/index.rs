//! The item index: every named block of the workspace with its kind and scope.
//!
//! Scopes follow LANGUAGE.md: one namespace for top-level items, one per VPC (all kinds
//! share it), one per transit gateway (its attachments) and one per on-premises network (its
//! connections).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::ir::{FileIdx, Origin};
use crate::syntax::{BlockKind, NodeId, Stmt, Tree};

pub type DeclId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Top,
    /// Inside the block of this declaration (a VPC, transit gateway or on-premises network).
    In(DeclId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    pub kind: BlockKind,
    pub name: String,
    pub scope: Scope,
    /// The block.
    pub origin: Origin,
    /// The block's name.
    pub name_origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemIndex {
    pub decls: Vec<Decl>,
    /// The first declaration of each name in each scope.
    by_name: BTreeMap<(Scope, String), DeclId>,
    /// Declarations whose name an earlier one in the same scope already took.
    pub duplicates: Vec<(DeclId, DeclId)>,
    /// Block id to declaration, for the lowering walk.
    by_block: BTreeMap<(FileIdx, NodeId), DeclId>,
    /// Names that appear in text a syntax error swallowed.
    pub swallowed: BTreeSet<String>,
}

impl ItemIndex {
    pub fn lookup(&self, scope: Scope, name: &str) -> Option<DeclId> {
        self.by_name.get(&(scope, name.to_string())).copied()
    }

    pub fn decl_of_block(&self, file: FileIdx, block: NodeId) -> Option<DeclId> {
        self.by_block.get(&(file, block)).copied()
    }

    /// The declarations of one scope, in source order.
    pub fn in_scope(&self, scope: Scope) -> impl Iterator<Item = (DeclId, &Decl)> {
        self.decls
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.scope == scope)
    }

    /// The qualified name of a declaration: `vpc.name`, `tgw.attachment`, or `name`.
    pub fn qualified(&self, id: DeclId) -> String {
        let d = &self.decls[id];
        match d.scope {
            Scope::Top => d.name.clone(),
            Scope::In(parent) => format!("{}.{}", self.decls[parent].name, d.name),
        }
    }
}

pub fn build(trees: &[Arc<Tree>]) -> ItemIndex {
    let mut index = ItemIndex::default();
    for (i, tree) in trees.iter().enumerate() {
        let file = FileIdx(i as u32);
        add(&mut index, file, Scope::Top, &tree.items);
    }
    index
}

fn add(index: &mut ItemIndex, file: FileIdx, scope: Scope, stmts: &[Stmt]) {
    for stmt in stmts {
        match stmt {
            Stmt::Block(block) => {
                let id = index.decls.len();
                index.decls.push(Decl {
                    kind: block.kind,
                    name: block.name.text.clone(),
                    scope,
                    origin: Origin {
                        file,
                        node: block.id,
                    },
                    name_origin: Origin {
                        file,
                        node: block.name.id,
                    },
                });
                index.by_block.insert((file, block.id), id);
                let key = (scope, block.name.text.clone());
                match index.by_name.get(&key) {
                    Some(&first) => index.duplicates.push((first, id)),
                    None => {
                        index.by_name.insert(key, id);
                    }
                }
                add(index, file, Scope::In(id), &block.body);
            }
            Stmt::Error(error) => index.swallowed.extend(error.names.iter().cloned()),
            _ => {}
        }
    }
}
