//! The stable codes of compile errors. Their documentation is `docs/errors.md` (embedded, so
//! `vnetc explain E0001` prints the same text the repository shows).

use std::fmt;

use serde::{Serialize, Serializer};

/// A diagnostic code: `E0001`... for compile errors, a rule id for lint findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(pub &'static str);

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

macro_rules! codes {
    ($($name:ident = $code:literal, $title:literal;)*) => {
        $(#[doc = $title] pub const $name: Code = Code($code);)*

        /// Every compile error code with its one-line title.
        pub const ALL: &[(Code, &str)] = &[$(($name, $title),)*];
    };
}

codes! {
    SYNTAX = "E0001", "syntax error";
    UNKNOWN_NAME = "E0002", "unknown name";
    DUPLICATE_NAME = "E0003", "duplicate name";
    WRONG_KIND = "E0004", "reference to the wrong kind of resource";
    CROSS_VPC_REFERENCE = "E0005", "reference into another VPC where AWS allows none";
    MALFORMED_CIDR = "E0006", "malformed CIDR block or address";
    CIDR_HOST_BITS = "E0007", "CIDR block with host bits set";
    CIDR_SIZE = "E0008", "VPC or subnet CIDR block of a size AWS does not allow";
    SUBNET_OUTSIDE_VPC = "E0009", "subnet CIDR block outside every CIDR block of its VPC";
    SUBNET_OVERLAP = "E0010", "overlapping subnets";
    VPC_CIDR_OVERLAP = "E0011", "overlapping VPC CIDR blocks";
    AZ_NOT_IN_REGION = "E0012", "availability zone not in the VPC's region";
    NACL_RULE_NUMBER = "E0013", "network ACL rule number outside 1 to 32766";
    NACL_RULE_DUPLICATE = "E0014", "network ACL rule number repeated in one direction";
    PORT_RANGE = "E0015", "port outside 0 to 65535, or a range whose low end is above its high end";
    PORTS_WITHOUT_PROTOCOL = "E0016", "ports given with protocol `all` or `icmp`";
    DUPLICATE_ROUTE = "E0017", "two routes to the same destination in one route table";
    ROUTE_TARGET_KIND = "E0018", "route target of a kind that cannot be a route target";
    ROUTE_TARGET_OTHER_VPC = "E0019", "route target in another VPC";
    GATEWAY_ENDPOINT_SERVICE = "E0020", "gateway endpoint for a service other than s3 or dynamodb";
    ENDPOINT_SUBNETS_SAME_AZ = "E0021", "interface endpoint with two subnets in one availability zone";
    GATEWAY_ENDPOINT_DUPLICATE = "E0022", "two gateway endpoints for the same service on one route table";
    PRIVATE_DNS_DISABLED = "E0023", "private DNS on an endpoint in a VPC without DNS hostnames or DNS support";
    ENDPOINT_SERVICE_LB_TYPE = "E0024", "endpoint service whose load balancer is not a network load balancer";
    PEERING_OVERLAP = "E0025", "peering between VPCs with overlapping CIDR blocks";
    PEERING_SELF = "E0026", "peering of a VPC with itself";
    SG_REFERENCE_UNREACHABLE = "E0027", "security group rule naming a group AWS cannot reference";
    ALB_SINGLE_AZ = "E0028", "application load balancer with subnets in fewer than two availability zones";
    ATTACHMENT_SUBNETS_SAME_AZ = "E0029", "transit gateway attachment with two subnets in one availability zone";
    ATTACHMENT_FOREIGN_SUBNET = "E0030", "transit gateway attachment with a subnet of another VPC";
    RESOURCE_CONFIGURATION_GATEWAY = "E0031", "resource configuration without a resource gateway";
    PRIVATE_DNS_CONFLICT = "E0032", "two interface endpoints with private DNS for the same service in one VPC";
    MULTIPLE_INTERNET_GATEWAYS = "E0033", "more than one internet gateway in a VPC";
    TOO_MANY_CIDRS = "E0034", "more than 50 IPv4 CIDR blocks on a VPC";
    MISSING_ATTRIBUTE = "E0035", "required attribute missing";
    REPEATED_ATTRIBUTE = "E0036", "attribute given twice";
    UNKNOWN_SERVICE = "E0037", "unknown AWS service";
    UNKNOWN_REGION = "E0038", "unknown AWS region";
    INVALID_VALUE = "E0039", "value out of range or of the wrong form";
    LISTENER_PROTOCOL = "E0040", "listener or target group protocol that the load balancer type does not support";
    LOAD_BALANCER_SUBNETS_SAME_AZ = "E0041", "load balancer with two subnets in one availability zone";
    MULTIPLE_MAIN_ROUTE_TABLES = "E0042", "more than one main route table in a VPC";
}

/// The documentation of every compile error, as written in `docs/errors.md`.
pub const ERRORS_MD: &str = include_str!("../../docs/errors.md");

/// The section of `docs/errors.md` for `code` (from its `## CODE` heading to the next one).
pub fn explain(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    let mut lines = ERRORS_MD.lines();
    let heading = format!("## {code}");
    lines.find(|l| l.starts_with(&heading))?;
    let mut out = vec![];
    let title = ALL.iter().find(|(c, _)| c.0 == code).map(|(_, t)| *t)?;
    out.push(format!("{code}: {title}"));
    out.push(String::new());
    for line in lines.skip_while(|l| l.trim().is_empty()) {
        if line.starts_with("## ") {
            break;
        }
        out.push(line.to_string());
    }
    Some(out.join("\n").trim_end().to_string() + "\n")
}

/// Where the repository's documentation is published: `codeDescription` links of the language
/// server and SARIF readers point below it.
pub const DOCS_URL: &str = "https://github.com/vnet-lang/vnet/blob/main/docs/";

/// The GitHub anchor of a Markdown heading: lower case, punctuation dropped, spaces to `-`.
pub fn heading_anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The documentation page of a compile error code (`docs/errors.md#e0002-unknown-name`) or a
/// lint rule id (`docs/rules.md#nacl-missing-return`); `None` for anything else.
pub fn doc_url(code: &str) -> Option<String> {
    if let Some((code, title)) = ALL.iter().find(|(c, _)| c.0 == code) {
        return Some(format!(
            "{DOCS_URL}errors.md#{}",
            heading_anchor(&format!("{code}: {title}"))
        ));
    }
    crate::lint::registry::find(code).map(|rule| format!("{DOCS_URL}rules.md#{}", rule.id))
}

#[cfg(test)]
mod doc_url_tests {
    use super::*;

    #[test]
    fn anchors_follow_the_headings_of_the_docs() {
        for (code, title) in ALL {
            let heading = format!("## {code}: {title}");
            assert!(ERRORS_MD.lines().any(|l| l == heading), "{heading}");
        }
        assert_eq!(
            doc_url("E0016").as_deref(),
            Some("https://github.com/vnet-lang/vnet/blob/main/docs/errors.md#e0016-ports-given-with-protocol-all-or-icmp")
        );
        assert_eq!(
            doc_url("nacl-missing-return").as_deref(),
            Some("https://github.com/vnet-lang/vnet/blob/main/docs/rules.md#nacl-missing-return")
        );
        assert_eq!(doc_url("nope"), None);
    }
}
