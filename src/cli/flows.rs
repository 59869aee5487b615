//! `vnetc flows`: every intended flow of the workspace (expect lines, security group pairs,
//! load balancer listeners, `uses`) and its verdict. Exit 0 when every one completes, 1 when
//! one does not, 2 on usage or compile errors.

use serde::Serialize;
use std::io::Write as _;

use super::{Format, Paths, EXIT_FINDINGS, EXIT_OK};
use crate::diagnostics::render;
use crate::flow::{self, intent, Engine, Outcome, Query};
use crate::{config, db, workspace};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: Paths,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Serialize)]
struct JsonFlow {
    source: String,
    destination: String,
    protocol: String,
    ports: String,
    /// The verdict for some address of each end (see docs/flow.md).
    outcome: Outcome,
    /// The verdict for every address.
    outcome_for_every_address: Outcome,
    reasons: Vec<String>,
}

pub fn run(args: Args) -> u8 {
    let paths = args.paths.or_current();
    let files = match workspace::load(&paths) {
        Ok(files) => files,
        Err(e) => return super::usage_error(e),
    };
    let config = match config::load(&paths) {
        Ok(c) => c,
        Err(e) => return super::usage_error(e),
    };
    let mut database = db::Database::for_one_run();
    let ws = database.workspace(files);
    database.prepare_all(ws);
    let diags = render::compile_diagnostics(&database, ws);
    if !diags.is_empty() {
        eprint!(
            "{}",
            render::human_string(&render::files(&database, ws), &diags)
        );
        return super::usage_error("the workspace has compile errors; fix them first");
    }
    let net = db::network(&database, ws);
    let engine = Engine::new(&net, config.flow);
    let mut rows = Vec::new();
    let intended = intent::IntendedFlows::of(&net);
    for f in intended.iter() {
        let query = Query {
            source: f.source.clone(),
            destination: f.destination.clone(),
            protocol: f.protocol,
            ports: f.ports,
        };
        let Ok(reach) = engine.reach(&query) else {
            continue;
        };
        rows.push(JsonFlow {
            source: flow::endpoint::describe(&net, f.source),
            destination: flow::endpoint::describe(&net, f.destination),
            protocol: f.protocol.to_string(),
            ports: if f.protocol.has_ports() {
                f.ports.to_string()
            } else {
                String::new()
            },
            outcome: reach.outcome_for_some,
            outcome_for_every_address: reach.outcome,
            reasons: f
                .reasons
                .iter()
                .map(|r| intent::describe_reason(&net, r))
                .collect(),
        });
    }
    let failing = rows
        .iter()
        .filter(|r| r.outcome != Outcome::Completed)
        .count();
    match args.format {
        Format::Json => {
            match serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "flows": rows }))
            {
                Ok(s) => println!("{s}"),
                Err(e) => return super::usage_error(e),
            }
        }
        Format::Human => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for r in &rows {
                let mark = if r.outcome == Outcome::Completed {
                    "ok  "
                } else {
                    "FAIL"
                };
                let _ = writeln!(
                    out,
                    "{mark} {} -> {} {} {}: {} ({})",
                    r.source,
                    r.destination,
                    r.protocol,
                    r.ports,
                    r.outcome,
                    r.reasons.join("; ")
                );
            }
            let _ = out.flush();
            eprintln!("{} intended flows, {failing} not completing (run `vnetc reach SRC DST` for the hops)", rows.len());
        }
    }
    if failing == 0 {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}
