//! Flow fixtures: each `tests/fixtures/reach/*.vnet` file lists queries in comments
//! (`# reach: SRC -> DST PROTO [PORTS]`, optionally followed by `=> OUTCOME`, the verdict worked
//! out by hand: `completed`, `request_dropped` or `reply_dropped`) and the snapshot shows what
//! `vnetc reach` prints for each: the verdict, every hop with its deciding rule, the drops with
//! their explanation codes and fixes. Every `expect` line of the file is checked too.

mod common;

use vnet::db::{self, Database};
use vnet::flow::{self, Engine, FlowConfig, Query};
use vnet::ir::{PortRange, Protocol};

struct Case {
    src: String,
    dst: String,
    protocol: Protocol,
    ports: PortRange,
    expected: Option<String>,
    line: String,
}

fn cases(text: &str) -> Vec<Case> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(spec) = line.trim().strip_prefix("# reach:") else {
            continue;
        };
        let (query, expected) = match spec.split_once("=>") {
            Some((q, e)) => (q.trim(), Some(e.trim().to_string())),
            None => (spec.trim(), None),
        };
        let words: Vec<&str> = query.split_whitespace().collect();
        let [src, "->", dst, proto, rest @ ..] = words.as_slice() else {
            panic!("bad reach line: {line}");
        };
        let protocol = Protocol::parse(proto).expect("protocol");
        let ports = match rest.first() {
            None => PortRange::ALL,
            Some(p) => {
                let (lo, hi) = p.split_once('-').unwrap_or((p, p));
                PortRange {
                    from: lo.parse().unwrap(),
                    to: hi.parse().unwrap(),
                }
            }
        };
        out.push(Case {
            src: src.to_string(),
            dst: dst.to_string(),
            protocol,
            ports,
            expected,
            line: query.to_string(),
        });
    }
    out
}

#[test]
fn reach_fixtures() {
    insta::glob!("fixtures/reach/*.vnet", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let db = Database::default();
        let ws = db.workspace(vec![(common::relative(path), text.clone())]);
        let errors = vnet::diagnostics::render::compile_diagnostics(&db, ws);
        assert!(errors.is_empty(), "{} has compile errors", path.display());
        let net = db::network(&db, ws);
        let engine = Engine::new(&net, FlowConfig::default());
        let mut body = String::new();
        let cases = cases(&text);
        assert!(
            !cases.is_empty(),
            "{} has no `# reach:` line",
            path.display()
        );
        for case in cases {
            let source = flow::endpoint::parse(&net, &case.src).unwrap();
            let destination = flow::endpoint::parse(&net, &case.dst).unwrap();
            let reach = engine
                .reach(&Query {
                    source,
                    destination,
                    protocol: case.protocol,
                    ports: case.ports,
                })
                .unwrap();
            if let Some(expected) = &case.expected {
                let got = serde_json::to_value(reach.outcome).unwrap();
                assert_eq!(
                    got.as_str(),
                    Some(expected.as_str()),
                    "{}: {}",
                    path.display(),
                    case.line
                );
            }
            body.push_str(&flow::render::human(&case.line, &reach));
            body.push('\n');
        }
        for check in flow::expect::check(&engine) {
            let e = check.expect;
            let ports = if e.protocol.has_ports() && !e.ports.is_all() {
                format!(" {}", e.ports)
            } else {
                String::new()
            };
            let line = format!(
                "expect {} -> {} {}{ports} {}: {}\n",
                flow::endpoint::describe(&net, &e.source),
                flow::endpoint::describe(&net, &e.destination),
                e.protocol,
                serde_json::to_value(e.verdict).unwrap().as_str().unwrap(),
                if check.violated() {
                    "VIOLATED"
                } else {
                    "holds"
                }
            );
            body.push_str(&line);
        }
        insta::assert_snapshot!(body);
    });
}
