//! Hover: a resource's summary (kind, CIDR and usable addresses, AZ, the routes and rules that
//! apply, what uses it), or, on a rule id in a `# vnet: allow(...)` comment, the rule's
//! documentation.

mod summary;

use gen_lsp_types::HoverParams;
use serde_json::{json, Value};
use vnet::db;
use vnet::lint::{registry, suppress};
use vnet::syntax::Span;

use super::names;
use crate::convert::Lines;
use crate::snapshot::{FileRef, Snapshot};
use crate::Failure;

pub use summary::usable_addresses;

pub fn hover(snap: &Snapshot, params: HoverParams) -> Result<Option<Value>, Failure> {
    let Some((file, offset)) = snap.position(&params.text_document_position_params) else {
        return Ok(None);
    };
    let lines = Lines::new(snap.text(file.file));
    if let Some((rule, span)) = rule_id_at(snap, file, offset) {
        return Ok(Some(markdown(rule, lines.range(span))));
    }
    let Some(here) = names::at(snap, file, offset) else {
        return Ok(
            service_at(snap, file, offset).map(|(text, span)| markdown(text, lines.range(span)))
        );
    };
    let text = summary::summarize(snap, file.ws(), here.decl);
    Ok(Some(markdown(text, lines.range(here.span))))
}

fn markdown(value: String, range: gen_lsp_types::Range) -> Value {
    json!({
        "contents": { "kind": "markdown", "value": value },
        "range": range,
    })
}

/// A rule id of a suppression comment under the cursor, with its documentation.
fn rule_id_at(snap: &Snapshot, file: FileRef<'_>, offset: usize) -> Option<(String, Span)> {
    let text = snap.text(file.file);
    let parsed = db::parse(&snap.db, file.file);
    for s in suppress::find(text, &parsed.tree, &parsed.spans) {
        if !s.comment.contains(offset) {
            continue;
        }
        let comment = text.get(s.comment.range())?;
        let open = comment.find('(')?;
        let mut start = s.comment.start as usize + open + 1;
        for part in comment[open + 1..].split([',', ')']) {
            let lead = part.len() - part.trim_start().len();
            let id = part.trim();
            let span = Span::new(start + lead, start + lead + id.len());
            start += part.len() + 1;
            if !span.contains(offset) || id.is_empty() {
                continue;
            }
            let doc = match registry::find(id) {
                Some(rule) => rule.doc(),
                None => format!("`{id}` is not a rule id (`vnetc rules` lists them)."),
            };
            return Some((doc, span));
        }
    }
    None
}

/// An AWS service name under the cursor (`uses [s3]`, `service ecr.api`): what the service is
/// to the network.
fn service_at(snap: &Snapshot, file: FileRef<'_>, offset: usize) -> Option<(String, Span)> {
    let parsed = db::parse(&snap.db, file.file);
    let mut found = None;
    names::each_value(&parsed.tree.items, &mut |v| {
        if let vnet::syntax::ValueKind::Ref(path) = &v.kind {
            let span = parsed.spans.get(v.id);
            if span.contains(offset) {
                found = Some((path.to_string(), span));
            }
        }
    });
    let (name, span) = found?;
    if !vnet::aws::is_service(&name) {
        return None;
    }
    let mut text = format!("**AWS service** `{name}`\n\n");
    if vnet::aws::GATEWAY_SERVICES.contains(&name.as_str()) {
        text.push_str("- reachable through a gateway endpoint (free, on route tables) or an interface endpoint\n");
    } else {
        text.push_str("- reachable privately through an interface endpoint, otherwise through a NAT gateway or an internet gateway\n");
    }
    if vnet::aws::PREFIX_LIST_SERVICES.contains(&name.as_str()) {
        text.push_str("- has an AWS-managed prefix list, usable in security group rules\n");
    }
    Some((text.trim_end().to_string(), span))
}
