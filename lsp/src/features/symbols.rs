//! Document symbols (the hierarchy as written: VPCs, their subnets, tables, groups...) and
//! workspace symbols (every declaration of every root, by name).

use gen_lsp_types::{DocumentSymbolParams, SymbolKind, WorkspaceSymbolParams};
use serde_json::{json, Value};
use vnet::db;
use vnet::syntax::{AttrKey, Block, BlockKind, Stmt};

use crate::convert::Lines;
use crate::snapshot::Snapshot;
use crate::Failure;

/// The protocol's symbol kind closest to each block kind.
pub fn symbol_kind(kind: BlockKind) -> SymbolKind {
    match kind {
        BlockKind::Vpc | BlockKind::OnPremises => SymbolKind::Namespace,
        BlockKind::TransitGateway | BlockKind::ServiceNetwork => SymbolKind::Module,
        BlockKind::Subnet => SymbolKind::Struct,
        BlockKind::RouteTable | BlockKind::Nacl | BlockKind::SecurityGroup => SymbolKind::Class,
        BlockKind::Instance | BlockKind::Function | BlockKind::Database => SymbolKind::Object,
        BlockKind::LatticeService | BlockKind::EndpointService => SymbolKind::Interface,
        BlockKind::Peering | BlockKind::Attachment | BlockKind::Connection => SymbolKind::Event,
        _ => SymbolKind::Variable,
    }
}

/// A short detail: the kind, and the CIDR or AZ when the block has one.
fn detail(block: &Block) -> String {
    let mut parts = vec![block.kind.keyword().to_string()];
    for key in [AttrKey::Cidr, AttrKey::Az, AttrKey::Region] {
        if let Some(a) = block.attrs(key).next() {
            parts.push(a.value.describe());
        }
    }
    parts.join(" ")
}

pub fn document_symbols(snap: &Snapshot, params: DocumentSymbolParams) -> Result<Value, Failure> {
    let Some(file) = snap.file(&params.text_document.uri) else {
        return Ok(json!([]));
    };
    let parsed = db::parse(&snap.db, file.file);
    let lines = Lines::new(snap.text(file.file));
    fn symbols(stmts: &[Stmt], spans: &vnet::syntax::SpanTable, lines: &Lines) -> Vec<Value> {
        stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Block(b) if !b.name.text.is_empty() => {
                    let children = symbols(&b.body, spans, lines);
                    Some(json!({
                        "name": b.name.text,
                        "detail": detail(b),
                        "kind": symbol_kind(b.kind),
                        "range": lines.range(spans.get(b.id)),
                        "selectionRange": lines.range(spans.get(b.name.id)),
                        "children": children,
                    }))
                }
                _ => None,
            })
            .collect()
    }
    Ok(Value::Array(symbols(
        &parsed.tree.items,
        &parsed.spans,
        &lines,
    )))
}

pub fn workspace_symbols(
    snap: &Snapshot,
    params: WorkspaceSymbolParams,
) -> Result<Vec<Value>, Failure> {
    let query = params.query.to_lowercase();
    let mut out = Vec::new();
    for root in snap.roots.iter() {
        let index = db::item_index(&snap.db, root.ws);
        for d in &index.decls {
            if !fuzzy(&d.name.to_lowercase(), &query) {
                continue;
            }
            let Some(location) = snap.origin_location(root.ws, d.name_origin) else {
                continue;
            };
            let container = match d.scope {
                vnet::ir::Scope::In(parent) => Some(index.decls[parent].name.clone()),
                vnet::ir::Scope::Top => None,
            };
            out.push(json!({
                "name": d.name,
                "kind": symbol_kind(d.kind),
                "location": location,
                "containerName": container,
            }));
            if out.len() >= 1000 {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

/// Whether the query's characters appear in order in the name (as editors filter symbols).
fn fuzzy(name: &str, query: &str) -> bool {
    let mut chars = name.chars();
    query.chars().all(|q| chars.any(|c| c == q))
}
