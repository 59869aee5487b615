//! Exporters: what `vnetc build --emit cloudformation|terraform` prints — a deployable
//! description of everything vnet models, made from the compiled [`Network`]. What a format
//! cannot express (a blackhole route in CloudFormation, Direct Connect) is listed in the
//! output's notes, never dropped silently.

pub mod cloudformation;
pub mod terraform;

use std::collections::{HashMap, HashSet};

use crate::ir::{Network, Protocol};

/// An exporter's result: the document and what it could not express.
#[derive(Clone, Debug)]
pub struct Exported {
    pub text: String,
    pub notes: Vec<String>,
}

/// Unique identifiers made from qualified names: `webshop.public_a` → `WebshopPublicA`
/// (CloudFormation logical ids) or `webshop_public_a` (Terraform resource names).
#[derive(Default)]
pub struct Ids {
    taken: HashSet<String>,
    by_key: HashMap<String, String>,
    camel: bool,
}

impl Ids {
    pub fn camel() -> Self {
        Ids {
            camel: true,
            ..Ids::default()
        }
    }

    pub fn snake() -> Self {
        Ids::default()
    }

    /// The id of `key` (a qualified name plus an optional suffix such as `Eip`), made once.
    pub fn id(&mut self, key: &str) -> String {
        if let Some(id) = self.by_key.get(key) {
            return id.clone();
        }
        let parts = key
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|p| !p.is_empty());
        let base: String = if self.camel {
            parts
                .map(|p| {
                    let mut cs = p.chars();
                    match cs.next() {
                        Some(c) => c.to_ascii_uppercase().to_string() + cs.as_str(),
                        None => String::new(),
                    }
                })
                .collect()
        } else {
            parts.collect::<Vec<_>>().join("_").to_ascii_lowercase()
        };
        let base = match base.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => base,
            _ => format!("R{base}"),
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}{}{n}", if self.camel { "" } else { "_" });
            n += 1;
        }
        self.by_key.insert(key.to_string(), id.clone());
        id
    }
}

/// The name after the VPC's: `webshop.public_a` → `public_a`.
/// A VPC Lattice name for vnet name `name`: lower case letters, digits and single hyphens,
/// 3 characters or more, as Lattice requires (`orders.api_v2` -> `orders-api-v2`).
pub fn lattice_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    while out.len() < 3 {
        out.push('x');
    }
    out.truncate(40);
    out.trim_end_matches('-').to_string()
}

pub fn short(qualified: &str) -> &str {
    qualified.split_once('.').map_or(qualified, |(_, n)| n)
}

/// The IANA protocol number AWS APIs take.
pub fn protocol_number(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "6",
        Protocol::Udp => "17",
        Protocol::Icmp => "1",
        Protocol::All => "-1",
    }
}

/// Which subnet index (in the VPC's /56) an IPv6 /64 is, for `Fn::Cidr`/`cidrsubnet`.
pub fn ipv6_subnet_index(vpc_block: &ipnet::IpNet, subnet: &ipnet::IpNet) -> Option<u32> {
    match (vpc_block, subnet) {
        (ipnet::IpNet::V6(v), ipnet::IpNet::V6(s)) if v.contains(s) && s.prefix_len() == 64 => {
            let shift = 128 - 64;
            let offset = (u128::from(s.network()) - u128::from(v.network())) >> shift;
            u32::try_from(offset).ok()
        }
        _ => None,
    }
}

/// The note for `expect` lines, for a format with nowhere to keep them (Terraform).
pub fn unexported_expects(network: &Network, notes: &mut Vec<String>) {
    if !network.expects.is_empty() {
        notes.push(format!(
            "{} expect lines: intent, checked by `vnetc lint`, has no AWS resource",
            network.expects.len()
        ));
    }
}

/// `expect` lines as a user writes them, with qualified names (`vnetc import cloudformation`
/// reads them back from the template's metadata).
pub fn expect_lines(network: &Network) -> Vec<String> {
    use crate::flow::endpoint::describe;
    network
        .expects
        .iter()
        .map(|e| {
            let traffic = match e.protocol {
                Protocol::Tcp | Protocol::Udp => format!("{} {}", e.protocol, e.ports),
                _ => e.protocol.to_string(),
            };
            let verdict = match e.verdict {
                crate::ir::Verdict::Allowed => "allowed",
                crate::ir::Verdict::Denied => "denied",
            };
            format!(
                "expect {} -> {} {traffic} {verdict}",
                describe(network, &e.source),
                describe(network, &e.destination)
            )
        })
        .collect()
}

/// Everything the exporters do not express, network-wide (the same for both formats).
pub fn unexported(network: &Network, notes: &mut Vec<String>) {
    let regions: HashSet<&str> = network.vpcs.iter().map(|v| v.region.as_str()).collect();
    if regions.len() > 1 {
        let mut list: Vec<&str> = regions.into_iter().collect();
        list.sort();
        notes.push(format!(
            "VPCs in several regions ({}): deploy the resources of each region in that region",
            list.join(", ")
        ));
    }
}
