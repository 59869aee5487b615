//! Completion, rename, code actions, semantic tokens, inlay hints, signature help, folding.

use serde_json::{json, Value};

use super::support::Client;

fn labels(completion: &Value) -> Vec<String> {
    completion["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["label"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Opens `text` (with `|` marking the cursor) and completes there.
fn complete(client: &mut Client, text: &str) -> Vec<String> {
    let cursor = text.find('|').unwrap_or(text.len());
    let source = text.replacen('|', "", 1);
    client.change_full("network.vnet", 10, &source);
    let before = &text[..cursor];
    let line_no = before.matches('\n').count() as u32;
    let col_no = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .encode_utf16()
        .count() as u32;
    labels(&client.at("textDocument/completion", "network.vnet", line_no, col_no))
}

#[test]
fn completion_knows_the_position() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    let original = std::fs::read_to_string(client.path("network.vnet")).unwrap_or_default();
    let at = |marker: &str, insert: &str| {
        let i = original.find(marker).unwrap_or(0) + marker.len();
        format!("{}{insert}|{}", &original[..i], &original[i..])
    };
    // Statements of a subnet.
    let items = complete(&mut client, &at("subnet app_b {\n", "    "));
    assert_eq!(
        items,
        ["az", "cidr", "route_table", "nacl", "public_ip_on_launch"]
    );
    // A subnet's route table: only route tables.
    let items = complete(&mut client, &at("subnet app_b {\n", "    route_table "));
    assert_eq!(items, ["public", "private"]);
    // security_groups: only security groups, in a list.
    let items = complete(
        &mut client,
        &at("instance web {\n", "    security_groups [web_sg, "),
    );
    assert_eq!(items, ["web_sg", "db_sg", "spare_sg"]);
    // az: the VPC region's zones.
    let items = complete(&mut client, &at("subnet app_b {\n", "    az "));
    assert_eq!(items, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    // uses: AWS services (and endpoint services, lattice services...).
    let items = complete(&mut client, &at("instance web {\n", "    uses [s"));
    assert!(
        items.contains(&"s3".to_string()) && items.contains(&"sqs".to_string()),
        "{items:?}"
    );
    // NACL rules, part by part.
    let items = complete(&mut client, &at("nacl app_acl {\n", "    inbound 120 "));
    assert_eq!(items, ["allow", "deny"]);
    let items = complete(
        &mut client,
        &at("nacl app_acl {\n", "    inbound 120 deny "),
    );
    assert_eq!(items, ["tcp", "udp", "icmp", "all"]);
    // Route targets.
    let items = complete(
        &mut client,
        &at("route_table public  {", " route 10.9.0.0/16 -> "),
    );
    assert_eq!(items, ["igw", "nat_a", "web", "blackhole"]);
    // Security group peers.
    let items = complete(
        &mut client,
        &at("security_group db_sg {\n", "    ingress tcp 22 from "),
    );
    assert_eq!(items, ["web_sg", "db_sg", "spare_sg", "s3", "dynamodb"]);
    // Top level.
    let items = complete(&mut client, "|\n");
    assert_eq!(items[0], "vpc");
    client.shutdown();
}

#[test]
fn rename_updates_every_file_and_validates_the_name() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    let (line, col) = client.find("network.vnet", "database orders", 0, 10);
    let prepared = client.at("textDocument/prepareRename", "network.vnet", line, col);
    assert_eq!(prepared["placeholder"], "orders");
    let uri = client.uri("network.vnet");
    let params = |name: &str| {
        json!({
            "textDocument": { "uri": uri },
            "position": { "line": line, "character": col },
            "newName": name,
        })
    };
    let edit = client.request("textDocument/rename", params("ledger"));
    let changes = &edit["changes"];
    assert_eq!(
        changes[client.uri("network.vnet")].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        changes[client.uri("flows.vnet")].as_array().map(Vec::len),
        Some(2)
    );
    // A name taken in the scope, or not a name, is refused with a reason.
    for (bad, reason) in [
        ("web", "already the name of an instance"),
        ("9lives", "not a valid name"),
    ] {
        let id = client.send_request("textDocument/rename", params(bad));
        let response = client.response(id);
        let message = match response.response_result {
            Err(e) => e.message,
            Ok(v) => panic!("rename to {bad} accepted: {v}"),
        };
        assert!(message.contains(reason), "{message}");
    }
    client.shutdown();
}

#[test]
fn code_actions_offer_the_fixes_of_findings_and_errors() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    client.diagnostics("network.vnet");
    let (line, _) = client.find("network.vnet", "inbound  110", 0, 0);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri("network.vnet") },
            "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 0 } },
            "context": { "diagnostics": [] },
        }),
    );
    let titles: Vec<_> = actions
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["title"].as_str().unwrap_or(""))
        .collect();
    insta::assert_snapshot!("code_actions_lint", titles.join("\n"));
    insta::assert_snapshot!("code_action_fix_edit", client.redact(&actions[0]["edit"]));
    // A misspelt name: "did you mean".
    let text = std::fs::read_to_string(client.path("network.vnet"))
        .unwrap_or_default()
        .replace(
            "route_table private\n    nacl",
            "route_table privat\n    nacl",
        );
    client.change_full("network.vnet", 2, &text);
    let diagnostics = client.diagnostics_where("network.vnet", |d| {
        d.as_array()
            .is_some_and(|a| a.iter().any(|d| d["code"] == "E0002"))
    });
    let range = diagnostics[0]["range"].clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": client.uri("network.vnet") }, "range": range, "context": { "diagnostics": [] } }),
    );
    assert_eq!(actions[0]["title"], "Replace with `private`", "{actions}");
    client.shutdown();
}

#[test]
fn semantic_tokens_inlay_hints_signature_help_and_folding() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    let uri = client.uri("network.vnet");
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    let data = tokens["data"].as_array().map(Vec::len).unwrap_or(0);
    assert!(data > 100 && data.is_multiple_of(5), "{data}");
    let hints = client.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 999, "character": 0 } } }),
    );
    let labels: Vec<_> = hints
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            format!(
                "{}: {}",
                h["position"]["line"],
                h["label"].as_str().unwrap_or("")
            )
        })
        .collect();
    insta::assert_snapshot!("inlay_hints", labels.join("\n"));
    let (line, col) = client.find("network.vnet", "inbound  110 allow tcp ", 0, 23);
    let help = client.at("textDocument/signatureHelp", "network.vnet", line, col);
    assert_eq!(
        help["signatures"][0]["label"],
        "inbound NUMBER allow|deny PROTOCOL [PORTS] from CIDR"
    );
    assert_eq!(help["activeParameter"], 3);
    let folds = client.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": uri } }),
    );
    let first = &folds[0];
    assert_eq!(
        (first["startLine"].clone(), first["endLine"].clone()),
        (json!(1), json!(55)),
        "{folds}"
    );
    client.shutdown();
}

#[test]
fn semantic_tokens_decoded() {
    let mut client = Client::start("shop");
    let text = "# tokens\nvpc t {\n  region us-east-1\n  cidr 10.5.0.0/16\n  subnet a { az us-east-1a  cidr 10.5.0.0/24  route_table rt }\n  route_table rt { route 0.0.0.0/0 -> blackhole }\n  security_group sg { ingress tcp 443 from 10.0.0.0/8 \"web\" }\n}\nexpect t.a -> internet tcp 443 allowed\n";
    client.open_text("tokens.vnet", text);
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": client.uri("tokens.vnet") } }),
    );
    let types = [
        "keyword",
        "namespace",
        "class",
        "struct",
        "variable",
        "property",
        "number",
        "string",
        "comment",
        "enumMember",
        "type",
    ];
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let (mut line, mut col) = (0, 0);
    let mut out = String::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            col = 0;
        }
        line += t[0] as usize;
        col += t[1] as usize;
        let word: String = lines[line].chars().skip(col).take(t[2] as usize).collect();
        let modifier = if t[4] == 1 { " declaration" } else { "" };
        out.push_str(&format!(
            "{}:{} {word:?} {}{modifier}\n",
            line + 1,
            col + 1,
            types[t[3] as usize]
        ));
    }
    insta::assert_snapshot!("semantic_tokens", out);
    client.shutdown();
}

#[test]
fn completion_of_expect_endpoints_at_the_top_level_is_qualified() {
    let mut client = Client::start("shop");
    client.open("flows.vnet");
    let text = "expect ";
    client.change_full("flows.vnet", 2, text);
    let items = labels(&client.at("textDocument/completion", "flows.vnet", 0, 7));
    assert!(
        items.starts_with(&["shop.public_a".to_string(), "shop.app_a".to_string()]),
        "{items:?}"
    );
    assert!(
        items.contains(&"shop.web".to_string()) && items.contains(&"internet".to_string()),
        "{items:?}"
    );
    client.shutdown();
}

/// Applies protocol edits (ASCII text: columns are bytes) to a text.
fn apply(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap_or(0) as usize
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let new = e["newText"].as_str().unwrap_or("").to_string();
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                new,
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn fix_all_applies_every_fix_of_the_file() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    client.diagnostics_where("network.vnet", |d| {
        d.as_array().is_some_and(|a| a.len() == 2)
    });
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri("network.vnet") },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
            "context": { "diagnostics": [], "only": ["source.fixAll"] },
        }),
    );
    let fix_all = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["kind"] == "source.fixAll.vnet")
        .cloned()
        .unwrap_or_default();
    let edits = &fix_all["edit"]["changes"][client.uri("network.vnet")];
    let text = std::fs::read_to_string(client.path("network.vnet")).unwrap_or_default();
    let fixed = apply(&text, edits);
    assert!(
        !fixed.contains("spare_sg") && !fixed.contains("inbound  110"),
        "{fixed}"
    );
    client.change_full("network.vnet", 2, &fixed);
    let after = client.diagnostics("network.vnet");
    assert_eq!(after, json!([]));
    client.shutdown();
}

#[test]
fn completion_in_an_attachment_offers_the_attached_vpcs_subnets() {
    let mut client = Client::start("shop");
    client.open("flows.vnet");
    let text = "transit_gateway core {\n  region us-east-1\n  attachment shop_att {\n    vpc shop\n    subnets [\n  }\n}\n";
    client.change_full("flows.vnet", 2, text);
    let items = labels(&client.at("textDocument/completion", "flows.vnet", 4, 13));
    assert_eq!(items, ["public_a", "app_a", "app_b"]);
    client.shutdown();
}

#[test]
fn formatting_gives_vnetc_fmts_layout_and_leaves_broken_text_alone() {
    let mut client = Client::start("shop");
    let messy = "vpc a {\nregion us-east-1   # where\n      cidr 10.0.0.0/16\n  nacl n {\n inbound 100 allow tcp 443 from 0.0.0.0/0\n    outbound 100 allow tcp 1024-65535 to 0.0.0.0/0\n}\n}\nvpc b {\n    region us-east-1\n}\n";
    client.open_text("messy.vnet", messy);
    let uri = client.uri("messy.vnet");
    let whole = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let expected = vnet::fmt::format_source(messy).unwrap();
    assert_eq!(apply(messy, &whole), expected);

    // A range formats only the lines it touches: vpc b stays as written.
    let ranged = client.request(
        "textDocument/rangeFormatting",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 2, "character": 0 } },
            "options": { "tabSize": 2, "insertSpaces": true },
        }),
    );
    let partly = apply(messy, &ranged);
    assert!(
        partly.starts_with("vpc a {\n  region us-east-1"),
        "{partly}"
    );
    assert!(
        partly.contains("vpc b {\n    region us-east-1\n}"),
        "{partly}"
    );

    // Text that does not parse is not formatted.
    client.change_full("messy.vnet", 2, "vpc a {\n  region\n");
    let none = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(none, json!(null));
    client.shutdown();
}

#[test]
fn fix_all_never_leaves_a_file_that_does_not_compile() {
    // Two reply fixes for one NACL each pick rule 80 when computed alone: together they
    // would not compile, so the action takes `vnetc lint --fix`'s loop instead.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/fix/clashing-fixes.vnet"),
    )
    .unwrap_or_default();
    let mut client = Client::start("shop");
    client.open_text("clash.vnet", &text);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri("clash.vnet") },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
            "context": { "diagnostics": [], "only": ["source.fixAll"] },
        }),
    );
    let fix_all = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["kind"] == "source.fixAll.vnet")
        .cloned()
        .unwrap_or_default();
    let fixed = apply(&text, &fix_all["edit"]["changes"][client.uri("clash.vnet")]);
    let db = vnet::db::Database::default();
    let ws = db.workspace(vec![("clash.vnet".to_string(), fixed.clone())]);
    assert!(
        vnet::diagnostics::render::compile_diagnostics(&db, ws).is_empty(),
        "{fixed}"
    );
    assert!(
        fixed.contains("# keep: the old firewall said so"),
        "{fixed}"
    );
    assert_ne!(fixed, text);
    client.shutdown();
}
