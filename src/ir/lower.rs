//! Lowering: one file's syntax tree, the workspace's item index and the file's resolution to
//! that file's part of the [`Network`] (a [`Fragment`]); [`assemble`] joins the fragments.
//!
//! Arena ids come from the index (`ItemIndex::arena_index`: every live declaration, then the
//! implicit main route table, default NACL and default security group of each VPC), so that
//! any entity can refer to any other, in any file. Within a file, entities are built kind by
//! kind, in the order their checks need (VPCs before subnets, subnets before the things placed
//! in them). A file's lowering reads nothing of another file but the index: what needs
//! another file's entities (propagated transit gateway routes, an attachment's subnets in
//! another file's VPC) is done by [`assemble`], on the joined network. Errors that need only
//! one item and what it names are reported here; errors about how items relate are in
//! `crate::check`.

mod assemble;
mod references;

pub use assemble::assemble;
pub(crate) use references::did_you_mean;
mod top_items;
mod values;
mod vpc_items;

use std::sync::Arc;

use crate::diagnostics::{codes, Code, Diag};
use crate::ir::index::allocation::FileBases;
use crate::ir::model::*;
use crate::ir::{DeclId, ItemIndex, Resolution, Scope};
use crate::syntax::{Attr, AttrKey, Block, BlockKind, NodeId, Stmt, Tree};

/// The IR and the compile errors found while building it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lowered {
    pub network: Arc<Network>,
    pub diagnostics: Vec<Diag>,
}

/// One file's entities and compile errors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// The file's entities: in each arena, those of its live declarations in order, then
    /// (route tables, NACLs, security groups) the implicit ones of its VPCs.
    pub net: Network,
    /// How many of `net.route_tables`, `net.nacls` and `net.security_groups` are declared
    /// (the rest are implicit, and go after every file's declared ones).
    pub declared: [usize; 3],
    pub diagnostics: Vec<Diag>,
    /// Attachments' subnet lists to check for two subnets in one zone once every file's
    /// subnets are known (an attachment names another file's VPC).
    pub zone_checks: Vec<ZoneCheck>,
}

/// A list of subnets that must have one subnet per availability zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneCheck {
    /// The list's value.
    pub origin: Origin,
    pub subnets: Vec<SubnetId>,
    pub code: Code,
    /// What has the list ("transit gateway attachment `hub.prod`").
    pub what: String,
}

/// Lowers the `file`-th file of the workspace.
pub fn lower_file(
    file: FileIdx,
    tree: &Tree,
    index: &ItemIndex,
    resolution: &Resolution,
) -> Fragment {
    let decls = index.in_file(file);
    let mut blocks = Vec::with_capacity(decls.len());
    collect_blocks(&tree.items, &mut blocks);
    let default_bases = FileBases::default();
    let bases = index
        .allocation
        .files
        .get(file.0 as usize)
        .unwrap_or(&default_bases);
    let mut l = Lowerer {
        index,
        resolution,
        blocks,
        decls,
        bases,
        net: Network::default(),
        declared: [0; 3],
        diags: Vec::new(),
        zone_checks: Vec::new(),
        file,
    };
    l.lower_all(tree);
    Fragment {
        net: l.net,
        declared: l.declared,
        diagnostics: l.diags,
        zone_checks: l.zone_checks,
    }
}

fn collect_blocks<'t>(stmts: &'t [Stmt], out: &mut Vec<&'t Block>) {
    for stmt in stmts {
        if let Stmt::Block(b) = stmt {
            out.push(b);
            collect_blocks(&b.body, out);
        }
    }
}

pub(crate) struct Lowerer<'a> {
    index: &'a ItemIndex,
    resolution: &'a Resolution,
    /// The block of each of the file's declarations (same order as `decls`).
    blocks: Vec<&'a Block>,
    /// The file's declarations.
    decls: std::ops::Range<DeclId>,
    /// Where the file's runs of arena indices start.
    bases: &'a FileBases,
    /// The file's entities (see [`Fragment::net`]).
    net: Network,
    declared: [usize; 3],
    diags: Vec<Diag>,
    zone_checks: Vec<ZoneCheck>,
    /// The file being lowered.
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
        self.index.arena_index(decl).map(Id::new)
    }

    fn is_live(&self, decl: DeclId) -> bool {
        self.index.arena_index(decl).is_some()
    }

    /// The VPC declaration enclosing `decl`, if any.
    fn vpc_of(&self, decl: DeclId) -> Option<DeclId> {
        match self.index.decls[decl].scope {
            Scope::In(parent) if self.index.decls[parent].kind == BlockKind::Vpc => Some(parent),
            _ => None,
        }
    }

    /// The file's live declarations of `kinds`, in order.
    fn live_of_kind(&self, kinds: &'static [BlockKind]) -> Vec<DeclId> {
        self.decls
            .clone()
            .filter(|&d| self.is_live(d) && kinds.contains(&self.index.decls[d].kind))
            .collect()
    }

    /// How many live declarations the arena of `kind` holds, in every file.
    fn count(&self, kind: BlockKind) -> usize {
        self.index.allocation.count(kind)
    }

    /// The position in this file's arena of `kind` of the arena index `id`, when the file
    /// has that entity (declared, not implicit).
    fn local(&self, kind: BlockKind, id: usize) -> Option<usize> {
        id.checked_sub(self.bases.base(kind))
    }

    /// One of this file's VPCs.
    fn local_vpc(&self, vpc: VpcId) -> Option<&Vpc> {
        self.net
            .vpcs
            .get(self.local(BlockKind::Vpc, vpc.index())?)
            .map(|v| &**v)
    }

    /// One of this file's subnets.
    fn local_subnet(&self, subnet: SubnetId) -> Option<&Subnet> {
        let i = self.local(BlockKind::Subnet, subnet.index())?;
        self.net.subnets.get(i).map(|s| &**s)
    }

    fn lower_all(&mut self, tree: &'a Tree) {
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
        self.lower_expects(tree);
        self.add_gateway_endpoint_routes();
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

    /// The block of one of the file's declarations.
    fn enter(&mut self, decl: DeclId) -> &'a Block {
        self.blocks[decl - self.decls.start]
    }
}

/// Whether a syntax error was recovered from inside `block`'s own statements.
pub(crate) fn has_syntax_error(block: &Block) -> bool {
    block.body.iter().any(|s| matches!(s, Stmt::Error(_)))
}
