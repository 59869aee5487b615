//! `vnetc import aws DIR`: `.vnet` text from the JSON that `aws ec2 describe-*` prints.
//!
//! Every `.json` file below DIR is read and recognised by its top-level key (`Vpcs`,
//! `Subnets`, `RouteTables`...), so both layouts in use work — one file per collection
//! (`Vpcs.json`) and the CLI's own names (`ec2-describe-vpcs.json`) — and so do several
//! regions and accounts side by side (`ACCOUNT/REGION/...`): ids are unique across them, and a
//! directory named after a region says where its VPCs are.

mod convert;
mod network;
mod services;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Imported, Warning};

/// One describe output: its collection key, the objects, and the region its path names.
pub(crate) struct Collection {
    pub key: String,
    pub items: Vec<Value>,
    pub region: Option<String>,
    pub file: String,
}

/// The collections a dump may hold, by their top-level key.
const KEYS: &[&str] = &[
    "Vpcs",
    "Subnets",
    "RouteTables",
    "NetworkAcls",
    "SecurityGroups",
    "InternetGateways",
    "NatGateways",
    "VpcEndpoints",
    "VpcPeeringConnections",
    "TransitGateways",
    "TransitGatewayAttachments",
    "TransitGatewayVpcAttachments",
    "TransitGatewayRouteTables",
    "Routes",
    "VpnGateways",
    "VpnConnections",
    "CustomerGateways",
    "NetworkInterfaces",
    "Reservations",
    "TransitGatewayStaticRoutes",
    "PrefixLists",
    "LoadBalancers",
    "TargetGroups",
    "Listeners",
    "LoadBalancerListeners",
    "LoadBalancerTargetHealth",
    "DBInstances",
    "Functions",
];

/// Collections a dump may hold that vnet does not model, and why (one warning each).
const UNMODELLED: &[(&str, &str)] = &[
    (
        "Addresses",
        "Elastic IPs: vnet models them as the public addresses of instances and NAT gateways",
    ),
    (
        "LoadBalancerDescriptions",
        "Classic Load Balancers are not modelled",
    ),
    (
        "DomainStatusList",
        "OpenSearch/Elasticsearch domains are not modelled",
    ),
    (
        "TransitGatewayPropagations",
        "vnet propagates every attachment into the transit gateway's table",
    ),
    (
        "LoadBalancerAttributes",
        "load balancer attributes do not change reachability in vnet",
    ),
    ("DhcpOptions", "DHCP options are not modelled"),
];

/// Imports the dump under `dir`. `Err` only when `dir` cannot be read at all.
pub fn import(dir: &Path) -> Result<Imported, super::Failure> {
    if !dir.is_dir() {
        return Err(super::Failure::Usage(format!(
            "{}: not a directory",
            dir.display()
        )));
    }
    let mut warnings = Vec::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| match e {
            Ok(e) => Some(e),
            Err(err) => {
                warnings.push(Warning {
                    subject: dir.display().to_string(),
                    message: format!("cannot list: {err}"),
                });
                None
            }
        })
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        })
        .collect();
    files.sort();
    let mut collections = Vec::new();
    for path in &files {
        let shown = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                warnings.push(Warning {
                    subject: shown,
                    message: format!("cannot read: {e}; skipped"),
                });
                continue;
            }
        };
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                warnings.push(Warning {
                    subject: shown,
                    message: format!("not valid JSON ({e}); skipped"),
                });
                continue;
            }
        };
        let region = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .components()
            .filter_map(|c| c.as_os_str().to_str())
            .rfind(|c| crate::aws::is_region(c))
            .map(str::to_string);
        let found = collections_of(&value, &shown, region, &mut collections);
        if !found {
            warnings.push(Warning {
                subject: shown,
                message: "not an `aws ec2 describe-*` output vnet reads (no known top-level key); skipped".to_string(),
            });
        }
    }
    if collections.is_empty() {
        let why: Vec<String> = warnings.iter().map(|w| format!("\n  {w}")).collect();
        return Err(super::Failure::Input(format!(
            "{}: no `aws ec2 describe-*` output found{}",
            dir.display(),
            why.concat()
        )));
    }
    let (draft, more) = convert::convert(&collections);
    warnings.extend(more);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &collections {
        let key = c
            .key
            .strip_prefix("unmodelled:")
            .map_or(c.key.as_str(), |k| k.split(':').next().unwrap_or(k));
        *counts.entry(key).or_default() += c.items.len();
    }
    let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let header = vec![
        format!(
            "Imported by `vnetc import aws` from {} ({}).",
            dir.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| dir.display().to_string()),
            summary.join(", ")
        ),
        "`# aws: ID` before a block names the AWS object it describes; `vnetc lint --format json` reports it as `aws_id`.".to_string(),
    ];
    Ok(super::finish(&draft, &header, warnings))
}

/// Adds the collections `value` holds; false when it holds none.
fn collections_of(
    value: &Value,
    file: &str,
    region: Option<String>,
    out: &mut Vec<Collection>,
) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    let mut found = false;
    for (key, why) in UNMODELLED {
        if let Some(items) = object.get(*key).and_then(Value::as_array) {
            found = true;
            out.push(Collection {
                key: format!("unmodelled:{key}:{why}"),
                items: items.clone(),
                region: region.clone(),
                file: file.to_string(),
            });
        }
    }
    for key in KEYS {
        if let Some(items) = object.get(*key).and_then(Value::as_array) {
            found = true;
            out.push(Collection {
                key: key.to_string(),
                items: items.clone(),
                region: region.clone(),
                file: file.to_string(),
            });
        }
    }
    found
}
