//! Pictures of a compiled network (`vnetc diagram`).
//!
//! ```text
//! IR + lint findings + flow verdicts ─network/links/flows/findings─▶ model::Diagram
//!                                      ─dot::write─▶ DOT ─render (Graphviz)─▶ SVG, PNG
//!                                      ─mermaid::write─▶ Mermaid
//! ```
//! [`model`] says what is drawn where (with ids and escaping); [`builder`] holds the state
//! the stages share; [`network`] draws regions, VPCs, AZs and subnets with what [`vpc`] puts
//! in them, [`links`] the connections between VPCs and beyond, [`flows`] the intended flows
//! with their verdicts, and [`findings`] marks lint findings on what they concern. The
//! writers ([`dot`] with [`dot_edges`], [`mermaid`]; [`style`] and [`legend`] shared) only
//! format the model, so DOT and Mermaid show the same picture; [`render`] runs Graphviz.
//! Output is deterministic: everything is drawn in IR order and ids derive from qualified
//! names. The layout conventions are in docs/diagram.md.

pub mod builder;
pub mod dot;
pub mod dot_edges;
pub mod findings;
pub mod flows;
pub mod legend;
pub mod links;
pub mod mermaid;
pub mod model;
pub mod network;
pub mod render;
pub mod style;
pub mod vpc;

use crate::db::{self, Db, Workspace};
use crate::flow::{intent, Engine, Outcome, Query};
use crate::ir::Origin;
use crate::syntax::Span;

pub use model::Diagram;

/// What to draw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Only this VPC in full, and what it connects to.
    pub vpc: Option<String>,
    /// Add the intended flows with their verdicts.
    pub flows: bool,
    /// Which lint findings to show (`[lint]` of `vnet.toml`): the picture shows what
    /// `vnetc lint` reports, suppressions included.
    pub lint: crate::lint::config::LintConfig,
}

/// The network view of a workspace that has no compile errors (the caller checks: with
/// errors the IR is incomplete). `Err` is a one-line usage error (an unknown VPC).
pub fn network_view(db: &dyn Db, ws: Workspace, options: &Options) -> Result<Diagram, String> {
    let net = db::network(db, ws);
    let expanded: Vec<bool> = match &options.vpc {
        None => vec![true; net.vpcs.len()],
        Some(name) => {
            if !net.vpcs.iter().any(|v| &v.name == name) {
                let names: Vec<String> = net.vpcs.iter().map(|v| v.name.clone()).collect();
                let hint = crate::ir::lower::did_you_mean(name, &names)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_else(|| format!(" (VPCs: {})", names.join(", ")));
                return Err(format!("--vpc {name}: no VPC of that name{hint}"));
            }
            net.vpcs.iter().map(|v| &v.name == name).collect()
        }
    };
    let mut b = builder::Builder::new(&net, expanded);
    network::draw(&mut b);
    if options.flows {
        let engine = Engine::new(&net, *ws.flow(db));
        let intended = intent::IntendedFlows::of(&net);
        let verdicts: Vec<(intent::IntendedFlow, Outcome)> = intended
            .iter()
            .filter_map(|f| {
                let query = Query {
                    source: f.source.clone(),
                    destination: f.destination.clone(),
                    protocol: f.protocol,
                    ports: f.ports,
                };
                let reach = engine.reach(&query).ok()?;
                Some((f, reach.outcome_for_some))
            })
            .collect();
        flows::draw(&mut b, &verdicts, options.vpc.is_some());
    }
    let files = ws.files(db);
    let span = |o: Origin| -> Span {
        files
            .get(o.file.0 as usize)
            .map(|f| db::spans(db, *f).get(o.node))
            .unwrap_or_default()
    };
    let reported = crate::lint::report::findings(db, ws, &options.lint);
    let caption = findings::mark(&mut b, &reported, &span);
    b.fill_empty_clusters();
    let mut d = b.diagram;
    d.title = match (&options.vpc, options.flows) {
        (None, false) => "network".to_string(),
        (None, true) => "network, with intended flows".to_string(),
        (Some(v), false) => format!("network of VPC {v}"),
        (Some(v), true) => format!("network of VPC {v}, with intended flows"),
    };
    d.caption = caption;
    Ok(d)
}
