//! Hover, definition, references, highlight, document and workspace symbols.

use serde_json::json;

use super::support::Client;

#[test]
fn hover_summarizes_a_subnet() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    let (line, col) = client.find("network.vnet", "subnet app_a", 0, 8);
    let hover = client.at("textDocument/hover", "network.vnet", line, col);
    insta::assert_snapshot!(
        "hover_subnet",
        hover["contents"]["value"].as_str().unwrap_or("")
    );
    client.shutdown();
}

#[test]
fn hover_on_a_reference_summarizes_what_it_names() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    // `db_sg` in web_sg's egress rule.
    let (line, col) = client.find("network.vnet", "to db_sg", 0, 4);
    let hover = client.at("textDocument/hover", "network.vnet", line, col);
    insta::assert_snapshot!(
        "hover_security_group",
        hover["contents"]["value"].as_str().unwrap_or("")
    );
    let (line, col) = client.find("network.vnet", "route_table private", 0, 13);
    let hover = client.at("textDocument/hover", "network.vnet", line, col);
    insta::assert_snapshot!(
        "hover_route_table",
        hover["contents"]["value"].as_str().unwrap_or("")
    );
    client.shutdown();
}

#[test]
fn hover_on_a_suppressed_rule_id_shows_its_documentation() {
    let mut client = Client::start("shop");
    let text =
        "# vnet: allow(unused-nacl, not-a-rule) kept for later\nvpc x { region us-east-1 }\n";
    client.open_text("suppressed.vnet", text);
    let hover = client.at("textDocument/hover", "suppressed.vnet", 0, 16);
    let doc = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(doc.starts_with("`unused-nacl`"), "{doc}");
    let hover = client.at("textDocument/hover", "suppressed.vnet", 0, 30);
    let doc = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(doc.contains("not a rule id"), "{doc}");
    client.shutdown();
}

#[test]
fn definition_goes_across_files() {
    let mut client = Client::start("shop");
    client.open("flows.vnet");
    let (line, col) = client.find("flows.vnet", "shop.orders", 0, 6);
    let definition = client.at("textDocument/definition", "flows.vnet", line, col);
    let (dl, dc) = client.find("network.vnet", "database orders", 0, 9);
    assert_eq!(definition[0]["uri"], client.uri("network.vnet").as_str());
    assert_eq!(
        definition[0]["range"]["start"],
        json!({ "line": dl, "character": dc })
    );
    // The first segment of `shop.orders` names the VPC.
    let (line, col) = client.find("flows.vnet", "shop.orders", 0, 1);
    let definition = client.at("textDocument/definition", "flows.vnet", line, col);
    let (vl, vc) = client.find("network.vnet", "vpc shop", 0, 4);
    assert_eq!(
        definition[0]["range"]["start"],
        json!({ "line": vl, "character": vc })
    );
    client.shutdown();
}

#[test]
fn references_and_highlights_of_a_subnet() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    let (line, col) = client.find("network.vnet", "subnet app_a", 0, 8);
    let refs = client.at("textDocument/references", "network.vnet", line, col);
    // The declaration and the two `subnets [app_a, ...]` lists.
    assert_eq!(refs.as_array().map(Vec::len), Some(3), "{refs}");
    let highlights = client.at("textDocument/documentHighlight", "network.vnet", line, col);
    let kinds: Vec<_> = highlights
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| h["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!(3), json!(2), json!(2)]);
    // References of a VPC include the first segment of qualified names in other files.
    let (line, col) = client.find("network.vnet", "vpc shop", 0, 5);
    let refs = client.at("textDocument/references", "network.vnet", line, col);
    let in_flows = refs
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["uri"] == client.uri("flows.vnet").as_str())
        .count();
    assert_eq!(in_flows, 3);
    client.shutdown();
}

#[test]
fn document_symbols_are_the_vpc_hierarchy() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri("network.vnet") } }),
    );
    let mut outline = String::new();
    fn walk(symbols: &serde_json::Value, depth: usize, out: &mut String) {
        for s in symbols.as_array().into_iter().flatten() {
            out.push_str(&format!(
                "{}{} ({}) kind {}\n",
                "  ".repeat(depth),
                s["name"].as_str().unwrap_or(""),
                s["detail"].as_str().unwrap_or(""),
                s["kind"]
            ));
            walk(&s["children"], depth + 1, out);
        }
    }
    walk(&symbols, 0, &mut outline);
    insta::assert_snapshot!("document_symbols", outline);
    client.shutdown();
}

#[test]
fn workspace_symbols_match_by_name() {
    let mut client = Client::start("shop");
    let symbols = client.request("workspace/symbol", json!({ "query": "sg" }));
    let names: Vec<_> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            format!(
                "{}.{}",
                s["containerName"].as_str().unwrap_or(""),
                s["name"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(names, ["shop.web_sg", "shop.db_sg", "shop.spare_sg"]);
    client.shutdown();
}

#[test]
fn hover_on_an_aws_service_name() {
    let mut client = Client::start("shop");
    let text = "vpc x {\n  region us-east-1\n  cidr 10.1.0.0/16\n  subnet a { az us-east-1a  cidr 10.1.0.0/24 }\n  instance i { subnet a  uses [s3, sqs] }\n}\n";
    client.open_text("services.vnet", text);
    let hover = client.at("textDocument/hover", "services.vnet", 4, 32);
    let value = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        value.starts_with("**AWS service** `s3`") && value.contains("gateway endpoint"),
        "{value}"
    );
    let hover = client.at("textDocument/hover", "services.vnet", 4, 36);
    let value = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        value.starts_with("**AWS service** `sqs`") && value.contains("interface endpoint"),
        "{value}"
    );
    client.shutdown();
}

#[test]
fn hover_on_gateways_of_an_example() {
    let root = tempfile::tempdir().expect("temp dir");
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hub.vnet");
    std::fs::copy(example, root.path().join("hub.vnet")).expect("copy");
    let mut client = Client::start_with(root, json!({}));
    client.open("hub.vnet");
    let mut out = String::new();
    for needle in ["transit_gateway core", "target_group billing_tg"] {
        let (line, col) = client.find("hub.vnet", needle, 0, needle.len() as u32 - 1);
        let hover = client.at("textDocument/hover", "hub.vnet", line, col);
        out.push_str(hover["contents"]["value"].as_str().unwrap_or(""));
        out.push_str("\n\n");
    }
    insta::assert_snapshot!("hover_gateways", out);
    client.shutdown();
}
