//! Arena indices: every live declaration gets the next index of its kind's arena, in
//! declaration order; the implicit entities of each VPC (main route table, default NACL and
//! security group) come after the live ones. Declaration order is file by file, so one file's
//! entities of a kind form one run of indices: each file can be lowered on its own.

use std::collections::HashMap;

use super::{ItemIndex, Scope};
use crate::syntax::BlockKind;

/// Which arena a block kind lowers into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ArenaKind {
    Kind(BlockKind),
    Workload,
}

impl ArenaKind {
    pub(crate) fn of(kind: BlockKind) -> ArenaKind {
        if kind.is_workload() {
            ArenaKind::Workload
        } else {
            ArenaKind::Kind(kind)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Allocation {
    /// Each live declaration's index in the arena of its kind.
    pub ids: Vec<Option<usize>>,
    /// How many live declarations each arena holds (implicit entities come after them).
    pub counts: HashMap<ArenaKind, usize>,
    /// Per file, where its run of each arena starts, and how many implicit main route tables
    /// the files before it have.
    pub files: Vec<FileBases>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileBases {
    pub arenas: HashMap<ArenaKind, usize>,
    pub implicit_main_tables: usize,
}

impl Allocation {
    pub fn count(&self, kind: BlockKind) -> usize {
        self.counts.get(&ArenaKind::of(kind)).copied().unwrap_or(0)
    }
}

impl FileBases {
    /// The arena index of the file's first live declaration of `kind`.
    pub fn base(&self, kind: BlockKind) -> usize {
        self.arenas.get(&ArenaKind::of(kind)).copied().unwrap_or(0)
    }
}

pub(super) fn allocate(index: &ItemIndex) -> Allocation {
    let mut ids = vec![None; index.decls.len()];
    let mut counts = HashMap::<ArenaKind, usize>::new();
    let mut files = Vec::with_capacity(index.files.len());
    for range in &index.files {
        files.push(FileBases {
            arenas: counts.clone(),
            implicit_main_tables: 0,
        });
        for d in range.clone() {
            let decl = &index.decls[d];
            let live = index.lookup(decl.scope, &decl.name) == Some(d)
                && match decl.scope {
                    Scope::Top => true,
                    Scope::In(p) => ids[p].is_some(),
                };
            if live {
                let n = counts.entry(ArenaKind::of(decl.kind)).or_default();
                ids[d] = Some(*n);
                *n += 1;
            }
        }
    }
    // A live VPC whose marked main table is missing or not live gets an implicit one.
    let mut implicit = 0;
    for (range, bases) in index.files.iter().zip(files.iter_mut()) {
        bases.implicit_main_tables = implicit;
        for d in range.clone() {
            if index.decls[d].kind == BlockKind::Vpc && ids[d].is_some() {
                let marked = index.main_tables.get(&d).and_then(|&rt| ids[rt]);
                if marked.is_none() {
                    implicit += 1;
                }
            }
        }
    }
    Allocation { ids, counts, files }
}
