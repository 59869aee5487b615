//! The item index: every named block of the workspace with its kind and scope, and the arena
//! index each live declaration lowers to.
//!
//! Scopes follow LANGUAGE.md: one namespace for top-level items, one per VPC (all kinds
//! share it), one per transit gateway (its attachments) and one per on-premises network (its
//! connections).
//!
//! The index is built from each file's [`FileDecls`] (`db::file_decls`), which hold no
//! values: an edit of a port or a CIDR block leaves them equal, so the index is not rebuilt
//! and no other file's resolution or lowering runs again.

pub(crate) mod allocation;
mod summary;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::ir::{FileIdx, Origin};
use crate::syntax::{BlockKind, NodeId};

pub use summary::{summarize, FileDecls, LocalDecl};

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
    /// The first declaration of each name, by scope: hashed, and looked up by a borrowed
    /// name (every reference of the workspace is looked up here).
    by_name: FxHashMap<Scope, FxHashMap<String, DeclId>>,
    /// Declarations whose name an earlier one in the same scope already took.
    pub duplicates: Vec<(DeclId, DeclId)>,
    /// Block id to declaration, for the lowering walk.
    by_block: FxHashMap<(FileIdx, NodeId), DeclId>,
    /// Names that appear in text a syntax error swallowed.
    pub swallowed: BTreeSet<String>,
    /// The declarations of each file: a file's declarations are contiguous.
    files: Vec<Range<DeclId>>,
    /// A VPC's first route table marked `main true`.
    main_tables: BTreeMap<DeclId, DeclId>,
    /// A connection's `gateway` references.
    gateways: BTreeMap<DeclId, Vec<String>>,
    /// Each live declaration's index in the arena of its kind, and the arenas' layout.
    pub(crate) allocation: allocation::Allocation,
}

impl ItemIndex {
    pub fn lookup(&self, scope: Scope, name: &str) -> Option<DeclId> {
        self.by_name.get(&scope)?.get(name).copied()
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

    /// The declarations of one file.
    pub fn in_file(&self, file: FileIdx) -> Range<DeclId> {
        self.files.get(file.0 as usize).cloned().unwrap_or(0..0)
    }

    /// The route table a VPC marks `main true` (the first one), if any.
    pub fn main_table(&self, vpc: DeclId) -> Option<DeclId> {
        self.main_tables.get(&vpc).copied()
    }

    /// The paths a connection's `gateway` attributes name.
    pub fn gateways(&self, connection: DeclId) -> &[String] {
        self.gateways
            .get(&connection)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The arena index of a live declaration (a duplicate, or anything inside one, is not).
    pub fn arena_index(&self, decl: DeclId) -> Option<usize> {
        self.allocation.ids.get(decl).copied().flatten()
    }
}

/// The index of a workspace from its files' summaries, in workspace order.
pub fn build(files: &[&FileDecls]) -> ItemIndex {
    let mut index = ItemIndex::default();
    for (i, summary) in files.iter().enumerate() {
        let file = FileIdx(i as u32);
        let start = index.decls.len();
        for local in &summary.decls {
            let id = index.decls.len();
            let scope = match local.parent {
                None => Scope::Top,
                Some(p) => Scope::In(start + p),
            };
            index.decls.push(Decl {
                kind: local.kind,
                name: local.name.clone(),
                scope,
                origin: Origin {
                    file,
                    node: local.block,
                },
                name_origin: Origin {
                    file,
                    node: local.name_node,
                },
            });
            index.by_block.insert((file, local.block), id);
            let names = index.by_name.entry(scope).or_default();
            match names.get(&local.name) {
                Some(&first) => index.duplicates.push((first, id)),
                None => {
                    names.insert(local.name.clone(), id);
                }
            }
            if let Some(m) = local.main_table {
                index.main_tables.insert(id, start + m);
            }
            if !local.gateways.is_empty() {
                index.gateways.insert(id, local.gateways.clone());
            }
        }
        index.swallowed.extend(summary.swallowed.iter().cloned());
        index.files.push(start..index.decls.len());
    }
    index.allocation = allocation::allocate(&index);
    index
}
