//! SARIF 2.1.0 output for `vnetc lint --format sarif`: the rules with their help text, the
//! results with their locations and fixes, as GitHub code scanning reads them.

use serde_json::{json, Value};

use crate::db::{Database, Workspace};
use crate::diagnostics::render::{self, Located, Place};
use crate::diagnostics::Severity;
use crate::lint::registry;
use crate::syntax::Span;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file's URI: relative paths as they are (with `/`), absolute ones as `file://` URIs.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    if !path.starts_with('/') {
        return path;
    }
    let mut out = String::from("file://");
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `nacl-missing-return` → `NaclMissingReturn`: SARIF wants a `name` distinct from the id.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn region(database: &Database, ws: Workspace, place: Place) -> (String, Value) {
    let p = render::json_place(database, ws, place);
    (
        uri(&p.file),
        json!({"startLine": p.line, "startColumn": p.column, "endLine": p.end_line, "endColumn": p.end_column}),
    )
}

pub fn document(database: &Database, ws: Workspace, findings: &[Located]) -> Value {
    let rules: Vec<Value> = registry::all()
        .iter()
        .map(|r| {
            let doc = r.doc();
            json!({
                "id": r.id,
                "name": pascal(r.id),
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": r.summary()},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {"level": level(r.severity), "enabled": r.default},
                "properties": {"tags": [r.group.name()]},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let (uri, reg) = region(database, ws, f.primary);
            let mut result = json!({
                "ruleId": f.code.0,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": reg}}],
            });
            if let Some(index) = registry::all().iter().position(|r| r.id == f.code.0) {
                result["ruleIndex"] = json!(index);
            }
            if !f.secondary.is_empty() {
                result["relatedLocations"] = Value::Array(
                    f.secondary
                        .iter()
                        .enumerate()
                        .map(|(i, (place, message))| {
                            let (uri, reg) = region(database, ws, *place);
                            json!({"id": i + 1, "message": {"text": message}, "physicalLocation": {"artifactLocation": {"uri": uri}, "region": reg}})
                        })
                        .collect(),
                );
            }
            if let Some((title, edits)) = &f.fix {
                let changes: Vec<Value> = edits
                    .iter()
                    .map(|(file, e)| {
                        let (uri, reg) = region(database, ws, Place { file: *file, span: Span::new(e.start, e.end) });
                        json!({"artifactLocation": {"uri": uri}, "replacements": [{"deletedRegion": reg, "insertedContent": {"text": e.replacement}}]})
                    })
                    .collect();
                result["fixes"] = json!([{"description": {"text": title}, "artifactChanges": changes}]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vnetc",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}
