//! `vnetc build --emit ir|cloudformation|terraform`: the IR as JSON (schema in docs/ir.md),
//! or a deployable template (docs/cloudformation.md, docs/terraform.md).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Paths, EXIT_FINDINGS, EXIT_OK};
use crate::db::{self, Database};
use crate::diagnostics::render;
use crate::ir::{self, Network};
use crate::workspace;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// The resolved network as JSON.
    Ir,
    /// A deployable CloudFormation template (JSON) of everything vnet models.
    Cloudformation,
    /// A Terraform JSON configuration (`.tf.json`) of everything vnet models.
    Terraform,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: Paths,
    /// What to produce.
    #[arg(long, value_enum)]
    emit: Emit,
}

/// `vnetc build --emit ir`'s document.
#[derive(Serialize)]
struct IrDocument<'a> {
    version: u32,
    network: &'a Network,
    /// For each file index, node id to source position.
    spans: BTreeMap<String, BTreeMap<u32, render::JsonPlace>>,
}

pub fn run(args: Args) -> u8 {
    let files = match workspace::load(&args.paths.or_current()) {
        Ok(files) => files,
        Err(e) => return super::usage_error(e),
    };
    let mut db = Database::for_one_run();
    let ws = db.workspace(files);
    db.prepare_all(ws);
    let diags = render::compile_diagnostics(&db, ws);
    if !diags.is_empty() {
        let cs_files = render::files(&db, ws);
        eprint!("{}", render::human_string(&cs_files, &diags));
        eprintln!("error: the workspace has compile errors; nothing emitted");
        return EXIT_FINDINGS;
    }
    match args.emit {
        Emit::Cloudformation | Emit::Terraform => {
            let network = db::network(&db, ws);
            let exported = if args.emit == Emit::Cloudformation {
                crate::export::cloudformation::export(&network)
            } else {
                crate::export::terraform::export(&network)
            };
            for note in &exported.notes {
                eprintln!("note: not exported: {note}");
            }
            print!("{}", exported.text);
        }
        Emit::Ir => {
            let network = db::network(&db, ws);
            let spans = origins(&network).into_iter().fold(
                BTreeMap::new(),
                |mut acc: BTreeMap<String, BTreeMap<u32, _>>, o| {
                    let place = render::place(&db, ws, o);
                    acc.entry(o.file.0.to_string())
                        .or_default()
                        .insert(o.node.0, render::json_place(&db, ws, place));
                    acc
                },
            );
            let doc = IrDocument {
                version: ir::IR_VERSION,
                network: &network,
                spans,
            };
            match serde_json::to_string_pretty(&doc) {
                Ok(s) => println!("{s}"),
                Err(e) => return super::usage_error(e),
            }
        }
    }
    EXIT_OK
}

/// Every origin the IR mentions.
fn origins(network: &Network) -> Vec<ir::Origin> {
    let value = serde_json::to_value(network).unwrap_or_default();
    let mut out = Vec::new();
    collect_origins(&value, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect_origins(value: &serde_json::Value, out: &mut Vec<ir::Origin>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(o) = map.get("origin").and_then(as_origin) {
                out.push(o);
            }
            for v in map.values() {
                collect_origins(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_origins(v, out)),
        _ => {}
    }
}

fn as_origin(v: &serde_json::Value) -> Option<ir::Origin> {
    Some(ir::Origin {
        file: ir::FileIdx(v.get("file")?.as_u64()? as u32),
        node: crate::syntax::NodeId(v.get("node")?.as_u64()? as u32),
    })
}
