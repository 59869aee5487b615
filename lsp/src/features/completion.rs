//! Completion that knows the position: the statements valid in the enclosing block; after an
//! attribute, only names of the kinds it accepts (or its fixed words, AWS services, the
//! region's AZs); in rule lines, each part in turn (actions, protocols, `from`, targets).
//!
//! The position is read from the text before the cursor (the block stack and the current
//! line), because the line being typed is rarely valid yet.

mod context;
mod grammar;

use gen_lsp_types::{CompletionItemKind, CompletionParams, Range};
use serde_json::{json, Value};
use vnet::db;
use vnet::ir::Scope;
use vnet::syntax::{AttrKey, BlockKind};

use crate::convert::Lines;
use crate::snapshot::{FileRef, Snapshot};
use crate::Failure;
use context::Context;

pub use context::block_stack;

pub fn completion(snap: &Snapshot, params: CompletionParams) -> Result<Value, Failure> {
    let Some((file, offset)) = snap.position(&params.text_document_position_params) else {
        return Ok(json!([]));
    };
    let text = snap.text(file.file);
    let Some(cx) = Context::at(text, offset) else {
        return Ok(json!([]));
    };
    let lines = Lines::new(text);
    let range = lines.range(cx.partial_span);
    let mut items = Items {
        range,
        out: Vec::new(),
    };
    suggest(snap, file, &cx, &mut items);
    Ok(json!({ "isIncomplete": false, "items": items.out }))
}

struct Items {
    range: Range,
    out: Vec<Value>,
}

impl Items {
    fn add(&mut self, label: &str, kind: CompletionItemKind, detail: &str) {
        if self.out.iter().any(|i| i["label"] == label) {
            return;
        }
        let rank = self.out.len();
        self.out.push(json!({
            "label": label,
            "kind": kind,
            "detail": detail,
            "sortText": format!("{rank:04}"),
            "filterText": label,
            "textEdit": { "range": self.range, "newText": label },
        }));
    }

    fn words(&mut self, words: &[&str], detail: &str) {
        for w in words {
            self.add(w, CompletionItemKind::Keyword, detail);
        }
    }
}

fn suggest(snap: &Snapshot, file: FileRef<'_>, cx: &Context<'_>, items: &mut Items) {
    let block = cx.block();
    let tokens = &cx.tokens;
    let Some(first) = tokens.first().copied() else {
        items.words(grammar::statements(block), "statement");
        return;
    };
    let n = tokens.len();
    let names = |items: &mut Items, kinds: &[BlockKind]| {
        declared_names(snap, file, cx, kinds, false, items)
    };
    // Positions that may name items of other VPCs, as `vpc.name`.
    let any_names =
        |items: &mut Items, kinds: &[BlockKind]| declared_names(snap, file, cx, kinds, true, items);
    match first {
        "route" => match n {
            2 => items.words(&["->"], "route target follows"),
            3 => {
                names(items, grammar::ROUTE_TARGETS);
                items.words(&["blackhole"], "drop the traffic");
            }
            _ => {}
        },
        "inbound" | "outbound" => {
            let peer_word = if first == "inbound" { "from" } else { "to" };
            match n {
                2 => items.words(&["allow", "deny"], "action"),
                3 => items.words(grammar::PROTOCOLS, "protocol"),
                4 | 5 if !tokens.contains(&peer_word) => {
                    items.words(&[peer_word], "peer CIDR follows")
                }
                _ => {}
            }
        }
        "ingress" | "egress" => {
            let peer_word = if first == "ingress" { "from" } else { "to" };
            if n == 1 {
                items.words(grammar::PROTOCOLS, "protocol");
            } else if tokens.last() == Some(&peer_word) {
                any_names(items, &[BlockKind::SecurityGroup]);
                items.words(vnet::aws::PREFIX_LIST_SERVICES, "AWS service prefix list");
            } else if !tokens.contains(&peer_word) && n <= 3 {
                items.words(&[peer_word], "peer follows");
            }
        }
        "listener" => match n {
            1 => items.words(grammar::APP_PROTOCOLS, "protocol"),
            3 => items.words(&["->"], "target group follows"),
            4 => names(items, &[BlockKind::TargetGroup]),
            _ => {}
        },
        "expect" => match n {
            1 | 3 => {
                any_names(items, grammar::FLOW_ENDPOINTS);
                items.words(&["internet"], "the internet");
                items.words(vnet::aws::SERVICES, "AWS service");
            }
            2 => items.words(&["->"], "destination follows"),
            4 => items.words(grammar::PROTOCOLS, "protocol"),
            _ => items.words(&["allowed", "denied"], "verdict"),
        },
        "region" if n == 1 => items.words(vnet::aws::REGIONS, "AWS region"),
        "az" if n == 1 => availability_zones(snap, file, cx, items),
        key if grammar::block_kind(key).is_some()
            && grammar::reference_kinds(block, key).is_empty() => {}
        key => {
            if n > 1 && !cx.in_list {
                return;
            }
            items.words(grammar::words(block, key), key);
            names(items, grammar::reference_kinds(block, key));
            if grammar::takes_services(block, key) {
                if key == "uses" {
                    items.words(&["internet"], "the internet");
                }
                items.words(vnet::aws::SERVICES, "AWS service");
            }
        }
    }
}

/// Names of declarations of `kinds` visible from the cursor: those of the enclosing VPC (or
/// transit gateway, on-premises network) and the top-level ones, then, with `qualified`, those
/// of the other top-level items as `outer.name`; after `outer.`, those inside `outer`.
fn declared_names(
    snap: &Snapshot,
    file: FileRef<'_>,
    cx: &Context<'_>,
    kinds: &[BlockKind],
    qualified: bool,
    items: &mut Items,
) {
    if kinds.is_empty() {
        return;
    }
    let index = db::item_index(&snap.db, file.ws());
    let scope_of = |name: &str| index.lookup(Scope::Top, name).map(Scope::In);
    if let Some((outer, _)) = cx.partial.split_once('.') {
        if let Some(scope) = scope_of(outer) {
            for (_, d) in index
                .in_scope(scope)
                .filter(|(_, d)| kinds.contains(&d.kind))
            {
                items.add(
                    &format!("{outer}.{}", d.name),
                    CompletionItemKind::Reference,
                    d.kind.describe(),
                );
            }
        }
        return;
    }
    // Inside a transit gateway attachment, names resolve in the attached VPC.
    let enclosing = attached_vpc(snap, file, cx)
        .as_deref()
        .and_then(scope_of)
        .or_else(|| cx.outermost_name().and_then(scope_of));
    let scopes = enclosing.into_iter().chain([Scope::Top]);
    for scope in scopes {
        for (_, d) in index
            .in_scope(scope)
            .filter(|(_, d)| kinds.contains(&d.kind))
        {
            items.add(&d.name, CompletionItemKind::Reference, d.kind.describe());
        }
    }
    if !qualified {
        return;
    }
    for (id, d) in index.decls.iter().enumerate() {
        let elsewhere = matches!(d.scope, Scope::In(_)) && Some(d.scope) != enclosing;
        if elsewhere && kinds.contains(&d.kind) {
            let name = index.qualified(id);
            items.add(&name, CompletionItemKind::Reference, d.kind.describe());
        }
    }
}

/// The VPC named by the `vpc` line of the attachment block the cursor is in.
fn attached_vpc(snap: &Snapshot, file: FileRef<'_>, cx: &Context<'_>) -> Option<String> {
    if cx.block() != Some(BlockKind::Attachment) {
        return None;
    }
    let parsed = db::parse(&snap.db, file.file);
    let offset = cx.partial_span.start as usize;
    parsed
        .tree
        .walk_blocks()
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| b.kind == BlockKind::Attachment && parsed.spans.get(b.id).contains(offset))
        .find_map(|b| b.attrs(AttrKey::Vpc).next().map(|a| a.value.describe()))
}

/// The AZs of the enclosing VPC's region (`a` to `c`, and any other letter the workspace
/// already uses in that region).
fn availability_zones(snap: &Snapshot, file: FileRef<'_>, cx: &Context<'_>, items: &mut Items) {
    let net = db::network(&snap.db, file.ws());
    let region = cx
        .outermost_name()
        .and_then(|vpc| net.vpcs.iter().find(|v| v.name == vpc))
        .map(|v| v.region.clone());
    let Some(region) = region.filter(|r| vnet::aws::is_region(r)) else {
        return;
    };
    let detail = format!("availability zone of {region}");
    for letter in ['a', 'b', 'c'] {
        items.add(
            &format!("{region}{letter}"),
            CompletionItemKind::EnumMember,
            &detail,
        );
    }
    let mut used: Vec<&str> = net
        .subnets
        .iter()
        .map(|s| s.az.as_str())
        .filter(|az| vnet::aws::az_in_region(az, &region))
        .collect();
    used.sort();
    for az in used {
        items.add(az, CompletionItemKind::EnumMember, &detail);
    }
}
