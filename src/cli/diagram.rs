//! `vnetc diagram`: a picture of the compiled network, as DOT or Mermaid text, or as SVG or
//! PNG through Graphviz. Exit 0 when drawn, 1 on compile errors (nothing is drawn), 2 on
//! usage or I/O errors (including Graphviz missing for svg/png).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::{Paths, EXIT_FINDINGS, EXIT_OK};
use crate::db::Database;
use crate::diagnostics::render;
use crate::diagram::{self, render::Image};
use crate::{config, workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagramFormat {
    /// Graphviz DOT text.
    Dot,
    /// A Mermaid flowchart (for Markdown).
    Mermaid,
    /// SVG, rendered by Graphviz's `dot` (tooltips carry the findings' messages).
    Svg,
    /// PNG, rendered by Graphviz's `dot`.
    Png,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum View {
    /// Regions, VPCs, AZs, subnets, what they hold and how they connect.
    Network,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    paths: Paths,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiagramFormat::Dot)]
    format: DiagramFormat,
    /// What to draw.
    #[arg(long, value_enum, default_value_t = View::Network)]
    view: View,
    /// Draw only this VPC in full, and what it connects to.
    #[arg(long, value_name = "NAME")]
    vpc: Option<String>,
    /// Add the intended flows as edges, dashed and red where the flow engine finds them
    /// broken.
    #[arg(long)]
    flows: bool,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
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
    if args.format == DiagramFormat::Png && args.output.is_none() && std::io::stdout().is_terminal()
    {
        return super::usage_error("PNG is binary: write it to a file with -o FILE");
    }
    let mut database = Database::for_one_run();
    let ws = database.workspace(files);
    database.prepare_all(ws);
    database.set_flow_config(ws, config.flow);
    let errors = render::compile_diagnostics(&database, ws);
    if !errors.is_empty() {
        eprint!(
            "{}",
            render::human_string(&render::files(&database, ws), &errors)
        );
        eprintln!("error: the workspace has compile errors; nothing drawn");
        return EXIT_FINDINGS;
    }
    let options = diagram::Options {
        vpc: args.vpc.clone(),
        flows: args.flows,
        lint: config.lint.clone(),
    };
    let d = match args.view {
        View::Network => match diagram::network_view(&database, ws, &options) {
            Ok(d) => d,
            Err(e) => return super::usage_error(e),
        },
    };
    let bytes = match args.format {
        DiagramFormat::Dot => diagram::dot::write(&d).into_bytes(),
        DiagramFormat::Mermaid => diagram::mermaid::write(&d).into_bytes(),
        DiagramFormat::Svg | DiagramFormat::Png => {
            let image = if args.format == DiagramFormat::Svg {
                Image::Svg
            } else {
                Image::Png
            };
            match diagram::render::render(&diagram::dot::write(&d), image) {
                Ok(b) => b,
                Err(e) => return super::usage_error(e),
            }
        }
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|e| format!("standard output: {e}"))
        }
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => super::usage_error(e),
    }
}
