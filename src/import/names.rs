//! Readable, valid and unique `.vnet` names for imported objects: the `Name` tag (or a
//! logical id) made into an identifier, else the kind and the id (`subnet_0428892a`); a name
//! already taken in its scope gets the id appended.

use std::collections::HashSet;

/// Words a `.vnet` name must not be: the implicit items' names (`VPC.default`, `VPC.main`),
/// the two special references and the services a rule peer may name.
const RESERVED: &[&str] = &["default", "main", "internet", "blackhole", "s3", "dynamodb"];

/// One namespace: a VPC's items, or the top level.
#[derive(Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A unique name for an object of `kind` with source id `id` and name hint `hint`.
    pub fn name(&mut self, kind: &str, id: &str, hint: Option<&str>) -> String {
        let from_id = from_id(kind, id);
        let base = hint
            .map(sanitize)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| from_id.clone());
        let mut candidates = vec![base.clone()];
        if base != from_id {
            candidates.push(format!("{base}_{}", id_fragment(id)));
        }
        candidates.push(from_id);
        let last = id.rsplit(['/', ':']).next().unwrap_or(id);
        let full: String = last
            .rsplit('-')
            .next()
            .unwrap_or(last)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        if id.contains('-') && !full.is_empty() {
            candidates.push(format!("{kind}_{}", full.to_ascii_lowercase()));
        }
        for candidate in candidates {
            let candidate = avoid_reserved(candidate, kind);
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        // Every candidate is taken: number the base name.
        (2..)
            .map(|n| format!("{base}_{n}"))
            .find(|c| self.taken.insert(c.clone()))
            .unwrap_or(base)
    }
}

/// The hint as an identifier: lower case, runs of other characters as one `_`, a letter first.
pub fn sanitize(hint: &str) -> String {
    let chars: Vec<char> = hint.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            // Word boundaries of CamelCase: `PublicSubnet1` → `public_subnet1`,
            // `NATGateway1` → `nat_gateway1`.
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = c.is_ascii_uppercase()
                && match prev {
                    Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                    Some(p) if p.is_ascii_uppercase() => {
                        next.is_some_and(|n| n.is_ascii_lowercase())
                    }
                    _ => false,
                };
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("n{out}"),
        _ => out,
    }
}

fn avoid_reserved(name: String, kind: &str) -> String {
    if RESERVED.contains(&name.as_str()) {
        format!("{name}_{kind}")
    } else {
        name
    }
}

/// `subnet-0428892a357fa1f94` → `subnet_0428892a`, `tgw-attach-0a1` → `tgw_attach_0a1`, an
/// ARN → the kind and the start of its last part; a logical id → its sanitized form.
fn from_id(kind: &str, id: &str) -> String {
    let fragment = id_fragment(id);
    let prefix: Vec<&str> = id.split('-').collect();
    let aws_style = !id.starts_with("arn:")
        && prefix.len() >= 2
        && prefix[..prefix.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
    if fragment.is_empty() {
        kind.to_string()
    } else if aws_style {
        format!("{}_{fragment}", prefix[..prefix.len() - 1].join("_"))
    } else if id.starts_with("arn:") || id.contains('-') {
        format!("{kind}_{fragment}")
    } else {
        let s = sanitize(id);
        if s.is_empty() {
            kind.to_string()
        } else {
            s
        }
    }
}

/// The distinctive part of an id: the first 8 characters of its last part (after the last
/// `/` of an ARN, then after the last `-`).
fn id_fragment(id: &str) -> String {
    let last = id.rsplit(['/', ':']).next().unwrap_or(id);
    let tail = last.rsplit('-').next().unwrap_or(last);
    tail.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_tags_ids_and_collisions() {
        let mut scope = Scope::default();
        assert_eq!(
            scope.name("subnet", "subnet-0428892a357fa1f94", Some("Subnet 1")),
            "subnet_1"
        );
        assert_eq!(
            scope.name("subnet", "subnet-0428892a357fa1f94", None),
            "subnet_0428892a"
        );
        assert_eq!(
            scope.name("rt", "rtb-02fe228b42de92a7c", Some("subnet 1")),
            "subnet_1_02fe228b"
        );
        assert_eq!(scope.name("sg", "sg-1", Some("default")), "default_sg");
        assert_eq!(scope.name("vpc", "PublicSubnet1", None), "public_subnet1");
        assert_eq!(sanitize("10 net"), "n10_net");
        assert_eq!(
            sanitize("PrivateSubnet1ARouteTable"),
            "private_subnet1_a_route_table"
        );
        assert_eq!(sanitize("NATGateway1"), "nat_gateway1");
        assert_eq!(sanitize("S3VPCEndpoint"), "s3_vpc_endpoint");
        assert_eq!(sanitize("vpc_a_public"), "vpc_a_public");
    }
}
