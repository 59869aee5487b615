//! One file's declarations: names, kinds, nesting and node ids, and the few facts about them
//! that the arena layout and cross-file references need. Nothing else of the file's values,
//! so that a value edit leaves the summary (and the workspace's index) equal.

use std::collections::BTreeSet;

use crate::syntax::{AttrKey, BlockKind, NodeId, Stmt, Tree, ValueKind};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileDecls {
    /// Every named block, in source order (a block before the blocks inside it).
    pub decls: Vec<LocalDecl>,
    /// Names that appear in text a syntax error swallowed.
    pub swallowed: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalDecl {
    pub kind: BlockKind,
    pub name: String,
    /// The enclosing declaration (an index into the same file's list).
    pub parent: Option<usize>,
    pub block: NodeId,
    pub name_node: NodeId,
    /// A VPC's first route table marked `main true` (an index into the file's list): whether
    /// the VPC gets an implicit main table, which moves the ids of the implicit tables after.
    pub main_table: Option<usize>,
    /// A connection's `gateway` references: a transit gateway route to an on-premises
    /// network (maybe in another file) reads them.
    pub gateways: Vec<String>,
}

pub fn summarize(tree: &Tree) -> FileDecls {
    let mut out = FileDecls::default();
    add(&mut out, None, &tree.items);
    out
}

fn add(out: &mut FileDecls, parent: Option<usize>, stmts: &[Stmt]) {
    for stmt in stmts {
        match stmt {
            Stmt::Block(block) => {
                let id = out.decls.len();
                let gateways = if block.kind == BlockKind::Connection {
                    block
                        .attrs(AttrKey::Gateway)
                        .filter_map(|a| match &a.value.kind {
                            ValueKind::Ref(path) => Some(path.to_string()),
                            _ => None,
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                out.decls.push(LocalDecl {
                    kind: block.kind,
                    name: block.name.text.clone(),
                    parent,
                    block: block.id,
                    name_node: block.name.id,
                    main_table: None,
                    gateways,
                });
                let marked_main = block.kind == BlockKind::RouteTable
                    && block
                        .attrs(AttrKey::Main)
                        .any(|a| a.value.as_bool() == Some(true));
                if let Some(p) = parent {
                    let vpc = &mut out.decls[p];
                    if marked_main && vpc.kind == BlockKind::Vpc && vpc.main_table.is_none() {
                        vpc.main_table = Some(id);
                    }
                }
                add(out, Some(id), &block.body);
            }
            Stmt::Error(error) => out.swallowed.extend(error.names.iter().cloned()),
            _ => {}
        }
    }
}
