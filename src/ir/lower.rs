//! Lowering: syntax trees, the item index and the resolution to the [`Network`].
//!
//! Ids are allocated first (every live declaration, then the implicit main route table and
//! default NACL of each VPC), so that any entity can refer to any other; entities are then
//! built kind by kind, in the order their checks need (VPCs before subnets, subnets before
//! the things placed in them). Errors that need only one item and what it names are reported
//! here; errors about how items relate are in `crate::check`.

mod references;

pub(crate) use references::did_you_mean;
mod top_items;
mod values;
mod vpc_items;

use std::sync::Arc;

use crate::diagnostics::{codes, Diag};
use crate::ir::model::*;
use crate::ir::{DeclId, ItemIndex, Resolution, Scope};
use crate::syntax::{Attr, AttrKey, Block, BlockKind, NodeId, Stmt, Tree};

/// The IR and the compile errors found while building it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lowered {
    pub network: Arc<Network>,
    pub diagnostics: Vec<Diag>,
}

pub fn lower(
    paths: Vec<String>,
    trees: &[Arc<Tree>],
    index: &ItemIndex,
    resolution: &Resolution,
) -> Lowered {
    let mut blocks = Vec::with_capacity(index.decls.len());
    for (i, tree) in trees.iter().enumerate() {
        collect_blocks(FileIdx(i as u32), &tree.items, &mut blocks);
    }
    let mut l = Lowerer {
        index,
        resolution,
        blocks,
        ids: vec![None; index.decls.len()],
        counts: Default::default(),
        net: Network {
            files: paths,
            ..Network::default()
        },
        diags: Vec::new(),
        file: FileIdx(0),
    };
    l.report_duplicates();
    l.allocate();
    l.lower_all(trees);
    l.diags.sort_by_key(|d| d.primary.origin);
    Lowered {
        network: Arc::new(l.net),
        diagnostics: l.diags,
    }
}

fn collect_blocks<'t>(file: FileIdx, stmts: &'t [Stmt], out: &mut Vec<(FileIdx, &'t Block)>) {
    for stmt in stmts {
        if let Stmt::Block(b) = stmt {
            out.push((file, b));
            collect_blocks(file, &b.body, out);
        }
    }
}

pub(crate) struct Lowerer<'a> {
    index: &'a ItemIndex,
    resolution: &'a Resolution,
    /// The block of each declaration (same order as `index.decls`).
    blocks: Vec<(FileIdx, &'a Block)>,
    /// Each live declaration's index in the arena of its kind.
    ids: Vec<Option<usize>>,
    /// How many live declarations each arena holds (implicit entities come after them).
    counts: std::collections::HashMap<ArenaKind, usize>,
    net: Network,
    diags: Vec<Diag>,
    /// The file of the item being lowered.
    file: FileIdx,
}

impl<'a> Lowerer<'a> {
    fn origin(&self, node: NodeId) -> Origin {
        Origin {
            file: self.file,
            node,
        }
    }

    fn error(&mut self, diag: Diag) {
        self.diags.push(diag);
    }

    fn qualified(&self, decl: DeclId) -> String {
        self.index.qualified(decl)
    }

    /// The arena index of a live declaration.
    fn id<T>(&self, decl: DeclId) -> Option<Id<T>> {
        self.ids.get(decl).copied().flatten().map(Id::new)
    }

    /// The VPC declaration enclosing `decl`, if any.
    fn vpc_of(&self, decl: DeclId) -> Option<DeclId> {
        match self.index.decls[decl].scope {
            Scope::In(parent) if self.index.decls[parent].kind == BlockKind::Vpc => Some(parent),
            _ => None,
        }
    }

    fn live_of_kind(&self, kinds: &'static [BlockKind]) -> Vec<DeclId> {
        (0..self.index.decls.len())
            .filter(|&d| self.ids[d].is_some() && kinds.contains(&self.index.decls[d].kind))
            .collect()
    }

    fn report_duplicates(&mut self) {
        for &(first, dup) in &self.index.duplicates {
            let a = &self.index.decls[first];
            let b = &self.index.decls[dup];
            let scope = match b.scope {
                Scope::Top => "at the top level".to_string(),
                Scope::In(p) => format!(
                    "in {} `{}`",
                    self.index.decls[p].kind.keyword(),
                    self.index.decls[p].name
                ),
            };
            let diag = Diag::error(
                codes::DUPLICATE_NAME,
                b.name_origin,
                format!(
                    "the name `{}` is declared twice {scope}: {} `{}` and {} `{}`",
                    b.name,
                    a.kind.keyword(),
                    self.qualified(first),
                    b.kind.keyword(),
                    self.qualified(dup),
                ),
            )
            .label(format!("{} `{}` declared again here", b.kind.keyword(), b.name))
            .secondary(a.name_origin, format!("first declared here as {}", a.kind.describe()))
            .note("names are shared by every kind of item in one VPC (and among top-level items); rename one of them");
            self.error(diag);
        }
    }

    /// Allocates arena indices in declaration order, then the implicit entities.
    fn allocate(&mut self) {
        let mut counts = std::collections::HashMap::<ArenaKind, usize>::new();
        for d in 0..self.index.decls.len() {
            let decl = &self.index.decls[d];
            let live = self.index.lookup(decl.scope, &decl.name) == Some(d)
                && match decl.scope {
                    Scope::Top => true,
                    Scope::In(p) => self.ids[p].is_some(),
                };
            if live {
                let n = counts.entry(arena(decl.kind)).or_default();
                self.ids[d] = Some(*n);
                *n += 1;
            }
        }
        self.counts = counts;
    }

    fn count(&self, kind: BlockKind) -> usize {
        self.counts.get(&arena(kind)).copied().unwrap_or(0)
    }

    fn lower_all(&mut self, trees: &[Arc<Tree>]) {
        self.lower_vpcs();
        self.lower_route_tables();
        self.lower_nacls();
        self.lower_security_groups();
        self.lower_subnets();
        self.lower_gateways();
        self.lower_endpoints();
        self.lower_load_balancing();
        self.lower_workloads();
        self.lower_resource_sharing();
        self.lower_peerings();
        self.lower_transit_gateways();
        self.lower_on_premises();
        self.lower_lattice();
        self.lower_expects(trees);
        self.add_gateway_endpoint_routes();
        self.add_propagated_routes();
    }

    /// The first attribute `key` of `block`; a repeated one is reported.
    fn attr(&mut self, block: &'a Block, key: AttrKey) -> Option<&'a Attr> {
        let mut attrs = block.attrs(key);
        let first = attrs.next()?;
        for again in attrs {
            let name = match self.index.decl_of_block(self.file, block.id) {
                Some(d) => self.qualified(d),
                None => block.name.text.clone(),
            };
            let diag = Diag::error(
                codes::REPEATED_ATTRIBUTE,
                self.origin(again.id),
                format!(
                    "`{}` is given twice in {} `{name}`",
                    key.keyword(),
                    block.kind.keyword(),
                ),
            )
            .label("given again here")
            .secondary(self.origin(first.id), "first given here")
            .note("remove one of them");
            self.error(diag);
        }
        Some(first)
    }

    /// Like [`Self::attr`], reporting a missing attribute, unless the block has a syntax
    /// error: the attribute may be in the text it swallowed (`az cidr 10.0.0.0/24`), and that
    /// error already explains the block.
    fn required(&mut self, decl: DeclId, block: &'a Block, key: AttrKey) -> Option<&'a Attr> {
        let found = self.attr(block, key);
        if found.is_none() && !has_syntax_error(block) {
            let what = self.qualified(decl);
            let diag = Diag::error(
                codes::MISSING_ATTRIBUTE,
                self.origin(block.name.id),
                format!(
                    "{} `{what}` has no `{}`, which is required",
                    block.kind.keyword(),
                    key.keyword(),
                ),
            )
            .label(format!("`{}` missing", key.keyword()));
            self.error(diag);
        }
        found
    }

    fn bool_attr(&mut self, block: &'a Block, key: AttrKey, default: bool) -> bool {
        self.attr(block, key)
            .and_then(|a| a.value.as_bool())
            .unwrap_or(default)
    }

    /// Sets `self.file` to the file of `decl` and returns its block.
    fn enter(&mut self, decl: DeclId) -> &'a Block {
        let (file, block) = self.blocks[decl];
        self.file = file;
        block
    }
}

/// Whether a syntax error was recovered from inside `block`'s own statements.
pub(crate) fn has_syntax_error(block: &Block) -> bool {
    block.body.iter().any(|s| matches!(s, Stmt::Error(_)))
}

/// Which arena a block kind lowers into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ArenaKind {
    Kind(BlockKind),
    Workload,
}

fn arena(kind: BlockKind) -> ArenaKind {
    if kind.is_workload() {
        ArenaKind::Workload
    } else {
        ArenaKind::Kind(kind)
    }
}
