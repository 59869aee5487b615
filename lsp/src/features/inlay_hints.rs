//! Inlay hints: the usable addresses after a subnet's CIDR (the size after a VPC's), and, after
//! a NACL rule that an earlier rule shadows, the decision that really applies.

use gen_lsp_types::InlayHintParams;
use ipnet::IpNet;
use serde_json::{json, Value};
use vnet::db;
use vnet::ir::{Action, NaclRule};
use vnet::syntax::{AttrKey, BlockKind, ValueKind};

use super::hover::usable_addresses;
use crate::convert::Lines;
use crate::snapshot::Snapshot;
use crate::Failure;

pub fn inlay_hints(snap: &Snapshot, params: InlayHintParams) -> Result<Vec<Value>, Failure> {
    let Some(file) = snap.file(&params.text_document.uri) else {
        return Ok(Vec::new());
    };
    let text = snap.text(file.file);
    let lines = Lines::new(text);
    let wanted = lines.span(params.range);
    let parsed = db::parse(&snap.db, file.file);
    let mut out = Vec::new();
    let mut hint = |offset: usize, label: String| {
        if offset < wanted.start as usize || offset > wanted.end as usize {
            return;
        }
        out.push(json!({
            "position": lines.position(offset),
            "label": label,
            "paddingLeft": true,
        }));
    };
    for (_, block) in parsed.tree.walk_blocks() {
        if !matches!(block.kind, BlockKind::Subnet | BlockKind::Vpc) {
            continue;
        }
        for attr in block.attrs(AttrKey::Cidr) {
            let ValueKind::Cidr(written) = &attr.value.kind else {
                continue;
            };
            let Ok(cidr) = written.parse::<IpNet>() else {
                continue;
            };
            if cidr.prefix_len() < cidr.max_prefix_len().saturating_sub(64) {
                continue;
            }
            let end = parsed.spans.get(attr.value.id).end as usize;
            let label = if block.kind == BlockKind::Subnet {
                format!("{} usable", group_digits(usable_addresses(cidr)))
            } else {
                let bits = cidr.max_prefix_len() - cidr.prefix_len();
                format!("{} addresses", group_digits(1u128 << bits))
            };
            hint(end, label);
        }
    }
    let net = db::network(&snap.db, file.ws());
    for nacl in &net.nacls {
        for rules in [&nacl.inbound, &nacl.outbound] {
            for (i, rule) in rules.iter().enumerate() {
                if rule.origin.file != file.idx {
                    continue;
                }
                let Some(earlier) = rules[..i].iter().find(|e| covers(e, rule)) else {
                    continue;
                };
                let end = snap.span(file.ws(), rule.origin).end as usize;
                let decision = match earlier.action {
                    Action::Allow => "allowed",
                    Action::Deny => "denied",
                };
                hint(
                    end,
                    format!("never matches: rule {} has {decision} it", earlier.number),
                );
            }
        }
    }
    Ok(out)
}

/// Whether rule `a` matches every packet `b` matches (so `b`, evaluated later, never decides).
fn covers(a: &NaclRule, b: &NaclRule) -> bool {
    use vnet::ir::Protocol;
    let protocol = a.protocol == Protocol::All || a.protocol == b.protocol;
    let ports =
        !a.protocol.has_ports() || (a.ports.from <= b.ports.from && b.ports.to <= a.ports.to);
    protocol && ports && a.cidr.contains(&b.cidr) && a.number < b.number
}

fn group_digits(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
