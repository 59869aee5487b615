//! Diagnostics: compile errors and lint findings with codes, links, related information and
//! tags; `vnet.toml` honoured; every affected file republished when one changes.

use serde_json::Value;

use super::support::Client;

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn lint_findings_of_the_workspace_honour_vnet_toml() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    let diagnostics = client.diagnostics("network.vnet");
    // `nat-cross-az` is ignored by the fixture's vnet.toml.
    assert_eq!(
        codes(&diagnostics),
        ["nacl-rule-shadowed", "unused-security-group"]
    );
    insta::assert_snapshot!("lint_findings", client.redact(&diagnostics));
    client.shutdown();
}

#[test]
fn an_edit_in_one_file_republishes_the_files_it_breaks() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    client.open("flows.vnet");
    client.diagnostics_where("flows.vnet", |d| d.as_array().is_some_and(|a| a.is_empty()));
    // Rename the database in network.vnet by hand: flows.vnet's references break.
    let (line, col) = client.find("network.vnet", "database orders", 0, 9);
    client.change_range("network.vnet", 2, [line, col, line, col + 6], "ledger");
    let flows = client.diagnostics_where("flows.vnet", |d| !codes(d).is_empty());
    assert_eq!(codes(&flows), ["E0002", "E0002"]);
    insta::assert_snapshot!("unknown_name_in_other_file", client.redact(&flows));
    // And back: the errors go away in the other file.
    client.change_range("network.vnet", 3, [line, col, line, col + 6], "orders");
    let flows = client.diagnostics_where("flows.vnet", |d| codes(d).is_empty());
    assert!(codes(&flows).is_empty());
    client.shutdown();
}

#[test]
fn syntax_errors_have_a_code_and_a_link() {
    let mut client = Client::start("shop");
    client.open_text(
        "scratch.vnet",
        "vpc x {\n  region us-east-1\n  cidr 10.1.0.0/16\n  subnet s { az }\n}\n",
    );
    let diagnostics = client.diagnostics_where("scratch.vnet", |d| !codes(d).is_empty());
    assert_eq!(codes(&diagnostics)[0], "E0001");
    let href = diagnostics[0]["codeDescription"]["href"]
        .as_str()
        .unwrap_or("");
    assert!(
        href.ends_with("docs/errors.md#e0001-syntax-error"),
        "{href}"
    );
    client.shutdown();
}

#[test]
fn a_broken_file_does_not_hide_the_findings_of_the_others() {
    let mut client = Client::start("shop");
    client.open("network.vnet");
    client.diagnostics_where("network.vnet", |d| codes(d).len() == 2);
    // A file with a syntax error joins the workspace: its error is reported, and the findings
    // of network.vnet stay.
    client.open_text(
        "scratch.vnet",
        "vpc scratch {\n  region us-east-1\n  cidr 10.77.0.0/16\n  subnet s { az\n}\n",
    );
    let scratch = client.diagnostics_where("scratch.vnet", |d| !codes(d).is_empty());
    assert_eq!(codes(&scratch)[0], "E0001");
    // network.vnet's diagnostics are unchanged, so not republished (a change would have been
    // published with scratch.vnet's, before it: files go in path order).
    let uri = client.uri("network.vnet");
    let republished = client
        .notifications
        .iter()
        .any(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri.as_str());
    assert!(!republished);
    // An edit of network.vnet shows its findings are still computed.
    let text = std::fs::read_to_string(client.path("network.vnet")).unwrap_or_default();
    client.change_full("network.vnet", 2, &text.replace("spare_sg", "extra_sg"));
    let network = client.diagnostics("network.vnet");
    assert_eq!(
        codes(&network),
        ["nacl-rule-shadowed", "unused-security-group"]
    );
    assert!(network[1]["message"]
        .as_str()
        .unwrap_or("")
        .contains("extra_sg"));
    client.shutdown();
}
