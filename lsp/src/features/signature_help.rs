//! Signature help for rule lines: the form of a route, NACL rule, security group rule,
//! listener or `expect`, with the part under the cursor highlighted.

use gen_lsp_types::SignatureHelpParams;
use serde_json::{json, Value};

use crate::snapshot::Snapshot;
use crate::Failure;

/// A part of a rule line: its placeholder, whether it may be left out, and what it is.
struct Part(&'static str, bool, &'static str);

fn form(keyword: &str) -> Option<&'static [Part]> {
    const NACL_IN: &[Part] = &[
        Part(
            "NUMBER",
            false,
            "rule number, 1 to 32766: lower numbers are evaluated first",
        ),
        Part("allow|deny", false, "the decision when the rule matches"),
        Part("PROTOCOL", false, "tcp, udp, icmp or all"),
        Part(
            "[PORTS]",
            true,
            "a port or a range such as 1024-65535 (tcp and udp only)",
        ),
        Part("from", false, ""),
        Part("CIDR", false, "the source addresses"),
    ];
    const NACL_OUT: &[Part] = &[
        Part(
            "NUMBER",
            false,
            "rule number, 1 to 32766: lower numbers are evaluated first",
        ),
        Part("allow|deny", false, "the decision when the rule matches"),
        Part("PROTOCOL", false, "tcp, udp, icmp or all"),
        Part(
            "[PORTS]",
            true,
            "a port or a range such as 1024-65535 (tcp and udp only)",
        ),
        Part("to", false, ""),
        Part("CIDR", false, "the destination addresses"),
    ];
    const INGRESS: &[Part] = &[
        Part("PROTOCOL", false, "tcp, udp, icmp or all"),
        Part("[PORTS]", true, "a port or a range (tcp and udp only)"),
        Part("from", false, ""),
        Part(
            "SOURCE",
            false,
            "a CIDR, a security group, or s3/dynamodb (prefix list)",
        ),
        Part("[\"description\"]", true, "why the rule exists"),
    ];
    const EGRESS: &[Part] = &[
        Part("PROTOCOL", false, "tcp, udp, icmp or all"),
        Part("[PORTS]", true, "a port or a range (tcp and udp only)"),
        Part("to", false, ""),
        Part(
            "DESTINATION",
            false,
            "a CIDR, a security group, or s3/dynamodb (prefix list)",
        ),
        Part("[\"description\"]", true, "why the rule exists"),
    ];
    const ROUTE: &[Part] = &[
        Part("CIDR", false, "the destination"),
        Part("->", false, ""),
        Part(
            "TARGET",
            false,
            "a gateway, NAT gateway, peering, transit gateway, instance, endpoint, or blackhole",
        ),
    ];
    const LISTENER: &[Part] = &[
        Part("PROTOCOL", false, "http, https, tcp, tls, udp or tcp_udp"),
        Part("PORT", false, "the port it listens on"),
        Part("->", false, ""),
        Part("TARGET_GROUP", false, "where it forwards"),
    ];
    const EXPECT: &[Part] = &[
        Part("SOURCE", false, "a workload, subnet, load balancer, endpoint, on-premises network, service, address or internet"),
        Part("->", false, ""),
        Part("DESTINATION", false, "the same kinds as the source"),
        Part("PROTOCOL", false, "tcp, udp, icmp or all"),
        Part("[PORTS]", true, "a port or a range (tcp and udp only)"),
        Part("allowed|denied", false, "what the flow engine must find"),
    ];
    Some(match keyword {
        "inbound" => NACL_IN,
        "outbound" => NACL_OUT,
        "ingress" => INGRESS,
        "egress" => EGRESS,
        "route" => ROUTE,
        "listener" => LISTENER,
        "expect" => EXPECT,
        _ => return None,
    })
}

/// Which part the `typed`-th token after the keyword fills (ports are skipped when the token
/// is not a port).
fn active_part(parts: &[Part], tokens: &[&str]) -> usize {
    let mut part = 0;
    for token in tokens {
        while part < parts.len() && parts[part].1 && !looks_like(parts[part].0, token) {
            part += 1;
        }
        part += 1;
    }
    // The cursor's part: skip optional parts the text already passed.
    part.min(parts.len().saturating_sub(1))
}

fn looks_like(placeholder: &str, token: &str) -> bool {
    match placeholder {
        "[PORTS]" => token.starts_with(|c: char| c.is_ascii_digit()),
        _ => token.starts_with('"'),
    }
}

pub fn signature_help(
    snap: &Snapshot,
    params: SignatureHelpParams,
) -> Result<Option<Value>, Failure> {
    let Some((file, offset)) = snap.position(&params.text_document_position_params) else {
        return Ok(None);
    };
    let text = snap.text(file.file);
    let Some(before) = text.get(..offset) else {
        return Ok(None);
    };
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let line = &line[line.rfind(['{', '}']).map_or(0, |i| i + 1)..];
    let mut tokens: Vec<&str> = line.split_whitespace().collect();
    let Some(keyword) = tokens.first().copied() else {
        return Ok(None);
    };
    let Some(parts) = form(keyword) else {
        return Ok(None);
    };
    // A word being typed is the part under the cursor, not a finished one.
    if !line.ends_with(char::is_whitespace) && tokens.len() > 1 {
        tokens.pop();
    }
    if tokens.len() == 1 && !line.ends_with(char::is_whitespace) {
        return Ok(None);
    }
    let active = active_part(parts, &tokens[1..]);
    let label = std::iter::once(keyword)
        .chain(parts.iter().map(|p| p.0))
        .collect::<Vec<_>>()
        .join(" ");
    let parameters: Vec<Value> = parts
        .iter()
        .map(|p| json!({ "label": p.0, "documentation": p.2 }))
        .collect();
    Ok(Some(json!({
        "signatures": [{ "label": label, "parameters": parameters }],
        "activeSignature": 0,
        "activeParameter": active,
    })))
}
