//! `vnetc reach SRC DST`: can SRC reach DST on a protocol and port, and if not, which rule
//! drops it. Exit 0 when the flow completes, 1 when it does not, 2 on usage errors.

use serde::Serialize;

use super::{Paths, EXIT_FINDINGS, EXIT_OK};
use crate::diagnostics::render;
use crate::flow::{self, Engine, Outcome, Query, Reach};
use crate::ir::{PortRange, Protocol};
use crate::{config, db, workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Proto {
    Tcp,
    Udp,
    Icmp,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where the flow starts: a workload, load balancer, endpoint, subnet, on-premises
    /// network, AWS service, IP address or `internet` (`shop.api`, or `api` when unique).
    source: String,
    /// Where it goes (the same kinds).
    destination: String,
    #[command(flatten)]
    paths: Paths,
    /// The protocol.
    #[arg(long, value_enum, default_value_t = Proto::Tcp)]
    proto: Proto,
    /// The destination port or range (`443`, `1024-65535`); default 443 (none for icmp).
    #[arg(long)]
    port: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::Format::Human)]
    format: super::Format,
}

#[derive(Serialize)]
struct JsonReach<'a> {
    version: u32,
    source: &'a str,
    destination: &'a str,
    protocol: String,
    ports: String,
    #[serde(flatten)]
    reach: &'a Reach<'a>,
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
    let network = db::network(&database, ws);
    let protocol = match args.proto {
        Proto::Tcp => Protocol::Tcp,
        Proto::Udp => Protocol::Udp,
        Proto::Icmp => Protocol::Icmp,
    };
    let ports = match (&args.port, protocol) {
        (Some(_), Protocol::Icmp) => {
            return super::usage_error("icmp has no ports: leave out --port")
        }
        (None, Protocol::Icmp) => PortRange::ALL,
        (None, _) => PortRange::single(443),
        (Some(text), _) => match parse_ports(text) {
            Some(p) => p,
            None => {
                return super::usage_error(format!(
                    "--port {text}: expected a port or a range such as 1024-65535"
                ))
            }
        },
    };
    let source = match flow::endpoint::parse(&network, &args.source) {
        Ok(e) => e,
        Err(e) => return super::usage_error(e),
    };
    let destination = match flow::endpoint::parse(&network, &args.destination) {
        Ok(e) => e,
        Err(e) => return super::usage_error(e),
    };
    let engine = Engine::new(&network, config.flow);
    let query = Query {
        source,
        destination,
        protocol,
        ports,
    };
    let reach = match engine.reach(&query) {
        Ok(r) => r,
        Err(e) => return super::usage_error(e),
    };
    let shown_ports = if protocol.has_ports() {
        format!(" {ports}")
    } else {
        String::new()
    };
    match args.format {
        super::Format::Human => {
            let title = format!(
                "{} -> {} {protocol}{shown_ports}",
                args.source, args.destination
            );
            print!("{}", flow::render::human(&title, &reach));
        }
        super::Format::Json => {
            let doc = JsonReach {
                version: 1,
                source: &args.source,
                destination: &args.destination,
                protocol: protocol.to_string(),
                ports: if protocol.has_ports() {
                    ports.to_string()
                } else {
                    String::new()
                },
                reach: &reach,
            };
            match serde_json::to_string_pretty(&doc) {
                Ok(s) => println!("{s}"),
                Err(e) => return super::usage_error(e),
            }
        }
    }
    if reach.outcome_for_some == Outcome::Completed {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

fn parse_ports(text: &str) -> Option<PortRange> {
    let (lo, hi) = text.split_once('-').unwrap_or((text, text));
    let (from, to) = (
        lo.trim().parse::<u16>().ok()?,
        hi.trim().parse::<u16>().ok()?,
    );
    (from <= to).then_some(PortRange { from, to })
}
