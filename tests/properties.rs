//! Property tests (proptest), in the default test run:
//! - any token soup goes through every stage of the pipeline without a panic, with every
//!   diagnostic inside the text;
//! - on generated networks, the text `vnetc lint --fix` writes still compiles with no errors.
//!
//! The stages are a table (`STAGES`): a new stage (`fmt`, and "fmt keeps the IR" as its own
//! property) is one function added there.

use proptest::prelude::*;
use vnet::db::{self, Database};
use vnet::diagnostics::{fix, render};
use vnet::flow::FlowConfig;

/// One stage of the pipeline run on one file's text; it must not panic.
type Stage = fn(&str);

const STAGES: &[(&str, Stage)] = &[("parse", parse), ("check", check), ("lint", lint)];

fn parse(text: &str) {
    let parsed = vnet::syntax::parse(text);
    for e in &parsed.errors {
        assert!(
            e.span.end as usize <= text.len(),
            "syntax error past the end"
        );
    }
}

fn check(text: &str) {
    let db = Database::default();
    let ws = db.workspace(vec![("soup.vnet".into(), text.to_string())]);
    for d in render::compile_diagnostics(&db, ws) {
        assert!(
            d.primary.span.end as usize <= text.len(),
            "diagnostic past the end"
        );
    }
    let _ = db::network(&db, ws);
}

fn lint(text: &str) {
    let db = Database::default();
    let ws = db.workspace(vec![("soup.vnet".into(), text.to_string())]);
    if render::compile_diagnostics(&db, ws).is_empty() {
        let _ = db::lint_findings(&db, ws);
    }
}

/// Tokens of the language and tokens that break it.
fn token() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "vpc",
        "subnet",
        "route_table",
        "nacl",
        "security_group",
        "endpoint",
        "instance",
        "nat_gateway",
        "internet_gateway",
        "transit_gateway",
        "peering",
        "expect",
        "region",
        "cidr",
        "az",
        "route",
        "inbound",
        "outbound",
        "ingress",
        "egress",
        "allow",
        "deny",
        "tcp",
        "udp",
        "icmp",
        "all",
        "from",
        "to",
        "uses",
        "subnets",
        "security_groups",
        "service",
        "type",
        "gateway",
        "interface",
        "main",
        "true",
        "false",
        "allowed",
        "denied",
        "->",
        "{",
        "}",
        "[",
        "]",
        ",",
        ".",
        "/",
        "\"",
        "#",
        "\n",
        "\r\n",
        "\t",
        "\0",
        "\u{feff}",
        "é",
        "0.0.0.0/0",
        "10.0.0.0/16",
        "10.0.1.0/24",
        "::/0",
        "us-east-1",
        "us-east-1a",
        "443",
        "1024-65535",
        "100",
        "65536",
        "s3",
        "ssm",
        "internet",
        "a",
        "b",
        "a.b",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        4 => fixed,
        1 => "[a-z_][a-z0-9_.-]{0,8}",
        1 => "[0-9./:-]{1,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(4).collect()),
    ]
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (token(), prop::sample::select(vec!["", " ", "  ", "\n"])),
        0..120,
    )
    .prop_map(|parts| parts.into_iter().map(|(t, sep)| t + sep).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn token_soups_never_panic(text in soup()) {
        for (_, stage) in STAGES {
            stage(&text);
        }
    }
}

// ---- Generated networks: `--fix` output still compiles -----------------------------------

#[derive(Debug, Clone)]
struct NaclRule {
    inbound: bool,
    number: u16,
    allow: bool,
    port: &'static str,
    cidr: &'static str,
}

#[derive(Debug, Clone)]
struct SgRule {
    ingress: bool,
    port: &'static str,
    peer: &'static str,
}

#[derive(Debug, Clone)]
struct Net {
    nat: bool,
    s3_gateway: bool,
    ssm_endpoint: bool,
    app_public: bool,
    data_nacl: Vec<NaclRule>,
    app_sg: Vec<SgRule>,
    db_sg: Vec<SgRule>,
    uses: Vec<&'static str>,
    expects: Vec<(bool, &'static str)>,
}

const PORTS: &[&str] = &[
    "tcp 22",
    "tcp 443",
    "tcp 5432",
    "tcp 1024-65535",
    "udp 53",
    "icmp",
    "all",
];
const CIDRS: &[&str] = &["0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24"];
const PEERS: &[&str] = &["0.0.0.0/0", "10.0.0.0/16", "app_sg", "db_sg", "s3"];

fn nacl_rule() -> impl Strategy<Value = NaclRule> {
    (
        any::<bool>(),
        1u16..40,
        any::<bool>(),
        prop::sample::select(PORTS),
        prop::sample::select(CIDRS),
    )
        .prop_map(|(inbound, n, allow, port, cidr)| NaclRule {
            inbound,
            number: n * 10,
            allow,
            port,
            cidr,
        })
}

fn sg_rule() -> impl Strategy<Value = SgRule> {
    (
        any::<bool>(),
        prop::sample::select(&PORTS[..5]),
        prop::sample::select(PEERS),
    )
        .prop_map(|(ingress, port, peer)| SgRule {
            ingress,
            port,
            peer,
        })
}

fn net() -> impl Strategy<Value = Net> {
    (
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        prop::collection::vec(nacl_rule(), 0..8),
        prop::collection::vec(sg_rule(), 0..5),
        prop::collection::vec(sg_rule(), 0..5),
        prop::sample::subsequence(vec!["s3", "ssm", "internet"], 0..=3),
        prop::collection::vec(
            (
                any::<bool>(),
                prop::sample::select(&["tcp 5432", "tcp 443", "tcp 22"][..]),
            ),
            0..3,
        ),
    )
        .prop_map(
            |(
                (nat, s3_gateway, ssm_endpoint, app_public),
                data_nacl,
                app_sg,
                db_sg,
                uses,
                expects,
            )| Net {
                nat,
                s3_gateway,
                ssm_endpoint,
                app_public,
                data_nacl,
                app_sg,
                db_sg,
                uses,
                expects,
            },
        )
}

fn sg_text(name: &str, rules: &[SgRule]) -> String {
    let mut out = format!("  security_group {name} {{\n");
    for r in rules {
        let (dir, word) = if r.ingress {
            ("ingress", "from")
        } else {
            ("egress", "to")
        };
        // `s3` is a prefix list: a destination of egress only.
        let peer = if r.ingress && r.peer == "s3" {
            "10.0.0.0/16"
        } else {
            r.peer
        };
        out += &format!("    {dir} {} {word} {peer}\n", r.port);
    }
    out + "  }\n"
}

fn render_net(n: &Net) -> String {
    let mut t = String::from(
        "vpc shop {\n  region us-east-1\n  cidr 10.0.0.0/16\n  internet_gateway igw\n",
    );
    t += "  subnet edge { az us-east-1a cidr 10.0.0.0/24 route_table public }\n";
    let app_table = if n.app_public { "public" } else { "private" };
    t += &format!("  subnet app {{ az us-east-1a cidr 10.0.1.0/24 route_table {app_table} }}\n");
    t += "  subnet data { az us-east-1a cidr 10.0.2.0/24 nacl data_acl }\n";
    t += "  route_table public { route 0.0.0.0/0 -> igw }\n";
    if n.nat {
        t +=
            "  nat_gateway nat { subnet edge }\n  route_table private { route 0.0.0.0/0 -> nat }\n";
    } else {
        t += "  route_table private { }\n";
    }
    if n.s3_gateway {
        t += "  endpoint s3_gw { service s3 type gateway route_tables [private] }\n";
    }
    if n.ssm_endpoint {
        t += "  endpoint ssm_vpce { service ssm type interface subnets [data] security_groups [db_sg] }\n";
    }
    t += "  nacl data_acl {\n";
    let mut seen = std::collections::HashSet::new();
    for r in &n.data_nacl {
        if !seen.insert((r.inbound, r.number)) {
            continue; // a repeated number is a compile error, not what this test is about
        }
        let (dir, word) = if r.inbound {
            ("inbound", "from")
        } else {
            ("outbound", "to")
        };
        let action = if r.allow { "allow" } else { "deny" };
        t += &format!(
            "    {dir} {} {action} {} {word} {}\n",
            r.number, r.port, r.cidr
        );
    }
    t += "  }\n";
    t += &sg_text("app_sg", &n.app_sg);
    t += &sg_text("db_sg", &n.db_sg);
    let uses = if n.uses.is_empty() {
        String::new()
    } else {
        format!(" uses [{}]", n.uses.join(", "))
    };
    t += &format!("  instance api {{ subnet app security_groups [app_sg]{uses} }}\n");
    t += "  instance orders { subnet data security_groups [db_sg] }\n";
    for (allowed, what) in &n.expects {
        let verdict = if *allowed { "allowed" } else { "denied" };
        t += &format!("  expect api -> orders {what} {verdict}\n");
    }
    t + "}\n"
}

/// Applies every offered fix, as `vnetc lint --fix` does; `None` when none applies.
fn fixed(text: &str) -> Option<String> {
    let db = Database::default();
    let ws = db.workspace(vec![("net.vnet".into(), text.to_string())]);
    if !render::compile_diagnostics(&db, ws).is_empty() {
        return None;
    }
    let config = vnet::lint::config::LintConfig::default();
    let findings = vnet::lint::report::findings(&db, ws, &config);
    let edits: Vec<fix::TextEdit> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .flat_map(|(_, edits)| edits.iter().map(|(_, e)| e.clone()))
        .collect();
    if edits.is_empty() {
        return None;
    }
    let (after, _) = fix::apply(text, edits);
    Some(after)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn lint_fix_output_still_compiles(n in net()) {
        let text = render_net(&n);
        if let Some(after) = fixed(&text) {
            let db = Database::default();
            let ws = db.workspace(vec![("net.vnet".into(), after.clone())]);
            let errors = render::compile_diagnostics(&db, ws);
            prop_assert!(
                errors.is_empty(),
                "fixes made compile errors:\n{}\n----- before\n{text}\n----- after\n{after}",
                render::human_string(&render::files(&db, ws), &errors)
            );
            let mut db = db;
            db.set_flow_config(ws, FlowConfig::default());
            let _ = db::lint_findings(&db, ws);
        }
    }
}
