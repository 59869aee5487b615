//! Literal values: CIDR blocks, addresses, numbers and ports, each checked with a precise
//! error.

use std::net::IpAddr;

use ipnet::IpNet;

use super::Lowerer;
use crate::diagnostics::{codes, Diag};
use crate::ir::model::PortRange;
use crate::syntax::{Value, ValueKind};

impl Lowerer<'_> {
    /// A CIDR block; malformed ones and ones with host bits set are reported.
    pub(super) fn cidr(&mut self, value: &Value) -> Option<IpNet> {
        let ValueKind::Cidr(text) = &value.kind else {
            let diag = Diag::error(
                codes::MALFORMED_CIDR,
                self.origin(value.id),
                format!("expected a CIDR block, found `{}`", value.describe()),
            )
            .label("not a CIDR block");
            self.error(diag);
            return None;
        };
        let net: IpNet = match text.parse() {
            Ok(net) => net,
            Err(_) => {
                let diag = Diag::error(
                    codes::MALFORMED_CIDR,
                    self.origin(value.id),
                    format!("malformed CIDR block `{text}`: {}", why_malformed(text)),
                )
                .label("not a valid CIDR block");
                self.error(diag);
                return None;
            }
        };
        if net.trunc() != net {
            let fixed = net.trunc();
            let diag = Diag::error(
                codes::CIDR_HOST_BITS,
                self.origin(value.id),
                format!(
                    "CIDR block `{text}` has host bits set: the network of a /{} is `{fixed}`",
                    net.prefix_len()
                ),
            )
            .label(format!("did you mean `{fixed}`?"))
            .suggest(fixed.to_string())
            .note("AWS rejects a CIDR block whose address has bits set beyond its prefix length");
            self.error(diag);
            return Some(fixed);
        }
        Some(net)
    }

    pub(super) fn address(&mut self, value: &Value) -> Option<IpAddr> {
        let text = match &value.kind {
            ValueKind::Address(t) => t,
            _ => return None,
        };
        match text.parse() {
            Ok(addr) => Some(addr),
            Err(_) => {
                let diag = Diag::error(
                    codes::MALFORMED_CIDR,
                    self.origin(value.id),
                    format!("malformed IP address `{text}`"),
                )
                .label("not a valid IPv4 or IPv6 address");
                self.error(diag);
                None
            }
        }
    }

    /// An integer in `min..=max`; `what` names it in the error ("a port"), reported as `code`
    /// (each range AWS enforces has its own code: ports, NACL rule numbers, other values).
    pub(super) fn int(
        &mut self,
        value: &Value,
        min: u64,
        max: u64,
        what: &str,
        code: crate::diagnostics::Code,
    ) -> Option<u64> {
        let text = match &value.kind {
            ValueKind::Int(t) | ValueKind::Ports(t) => t,
            _ => return None,
        };
        match text.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                let diag = Diag::error(
                    code,
                    self.origin(value.id),
                    format!("{what} must be between {min} and {max}, found `{text}`"),
                )
                .label("out of range");
                self.error(diag);
                None
            }
        }
    }

    pub(super) fn port(&mut self, value: &Value) -> Option<u16> {
        self.int(value, 0, 65535, "a port", codes::PORT_RANGE)
            .map(|p| p as u16)
    }

    /// `443` or `1024-65535`.
    pub(super) fn ports(&mut self, value: &Value) -> Option<PortRange> {
        let text = match &value.kind {
            ValueKind::Ports(t) | ValueKind::Int(t) => t.clone(),
            _ => return None,
        };
        let (lo, hi) = match text.split_once('-') {
            Some((lo, hi)) => (lo, hi),
            None => (text.as_str(), text.as_str()),
        };
        let parse = |s: &str| s.parse::<u64>().ok().filter(|&p| p <= 65535);
        match (parse(lo), parse(hi)) {
            (Some(lo), Some(hi)) if lo <= hi => Some(PortRange {
                from: lo as u16,
                to: hi as u16,
            }),
            (Some(lo), Some(hi)) => {
                let diag = Diag::error(
                    codes::PORT_RANGE,
                    self.origin(value.id),
                    format!(
                        "port range `{text}` is empty: its low end {lo} is above its high end {hi}"
                    ),
                )
                .label(format!("did you mean `{hi}-{lo}`?"))
                .suggest(format!("{hi}-{lo}"));
                self.error(diag);
                None
            }
            _ => {
                let diag = Diag::error(
                    codes::PORT_RANGE,
                    self.origin(value.id),
                    format!("port `{text}` is outside 0-65535"),
                )
                .label("ports are 0 to 65535");
                self.error(diag);
                None
            }
        }
    }
}

fn why_malformed(text: &str) -> String {
    let Some((addr, prefix)) = text.split_once('/') else {
        return "a CIDR block is an address, `/` and a prefix length".to_string();
    };
    let v6 = addr.contains(':');
    let max = if v6 { 128 } else { 32 };
    if !v6 {
        let octets: Vec<&str> = addr.split('.').collect();
        if octets.len() != 4 {
            return format!(
                "an IPv4 address has 4 numbers separated by dots, this one has {}",
                octets.len()
            );
        }
        if let Some(bad) = octets.iter().find(|o| o.parse::<u8>().is_err()) {
            return format!("`{bad}` is not a number from 0 to 255");
        }
    } else if addr.parse::<std::net::Ipv6Addr>().is_err() {
        return format!("`{addr}` is not an IPv6 address");
    }
    match prefix.parse::<u32>() {
        Ok(p) if p > max => format!("the prefix length /{p} is above /{max}"),
        Ok(_) => "invalid CIDR block".to_string(),
        Err(_) => format!("`{prefix}` is not a prefix length"),
    }
}
