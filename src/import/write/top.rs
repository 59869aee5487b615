//! Top-level items: peering connections, transit gateways with their attachments and route
//! table, on-premises networks with their VPN connections.

use std::collections::HashSet;

use ipnet::IpNet;

use super::items::{overlaps, subnet_list};
use super::text::{list, Text};
use super::{Kind, Named, Writer};

/// Checks peerings and attachments, leaves out those vnet cannot write, and records which VPCs
/// they connect (for security group references across VPCs).
pub(super) fn connections(w: &mut Writer) {
    let draft = w.draft;
    let vpc_index = |id: &str| draft.vpcs.iter().position(|v| v.src.id == id);
    for p in &draft.peerings {
        let sides = (
            p.requester.as_deref().map(|r| (r, vpc_index(r))),
            p.accepter.as_deref().map(|a| (a, vpc_index(a))),
        );
        let why = match sides {
            (Some((_, Some(a))), Some((_, Some(b)))) if a == b => {
                Some("it peers a VPC with itself".to_string())
            }
            (Some((_, Some(a))), Some((_, Some(b))))
                if w.vpc_cidrs[a].is_empty() || w.vpc_cidrs[b].is_empty() =>
            {
                Some("one of its VPCs was not imported".to_string())
            }
            (Some((_, Some(a))), Some((_, Some(b)))) => {
                let overlap = w.vpc_cidrs[a]
                    .iter()
                    .any(|x| w.vpc_cidrs[b].iter().any(|y| overlaps(x, y)));
                if overlap {
                    Some("its VPCs' CIDR blocks overlap".to_string())
                } else {
                    w.connected.push((a, b));
                    None
                }
            }
            (Some((r, None)), _) | (_, Some((r, None))) => Some(format!(
                "VPC `{r}` (another account or region?) is not in the input"
            )),
            _ => Some("a side of the peering is unknown".to_string()),
        };
        if let Some(why) = why {
            w.named.remove(&p.src.id);
            w.drop_item(&p.src.id, format!("peering not imported: {why}"));
        }
    }
    for t in &draft.transit_gateways {
        let mut attached = Vec::new();
        let mut scope = crate::import::names::Scope::default();
        for a in &t.attachments {
            match a.vpc.as_deref().map(|v| (v, vpc_index(v))) {
                Some((_, Some(i))) if !w.vpc_cidrs[i].is_empty() => {
                    attached.push(i);
                    let name = scope.name("att", &a.src.id, a.src.name.as_deref());
                    w.named.insert(
                        a.src.id.clone(),
                        Named {
                            vpc: None,
                            name,
                            kind: Kind::Attachment,
                        },
                    );
                }
                Some((v, _)) => w.drop_item(
                    &a.src.id,
                    format!("attachment not imported: {}", w.missing(v)),
                ),
                None => w.drop_item(
                    &a.src.id,
                    "attachment not imported: it names no VPC".to_string(),
                ),
            }
        }
        for (k, a) in attached.iter().enumerate() {
            for b in &attached[k + 1..] {
                w.connected.push((*a, *b));
            }
        }
    }
}

pub(super) fn peerings(w: &mut Writer, out: &mut Text) {
    for p in &w.draft.peerings {
        let Some(name) = w.named.get(&p.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let side = |id: &Option<String>| {
            id.as_deref()
                .and_then(|i| w.named.get(i))
                .map(|n| n.name.clone())
                .unwrap_or_default()
        };
        let (requester, accepter) = (side(&p.requester), side(&p.accepter));
        out.blank();
        out.comment(&p.src.trace);
        out.open(&format!("peering {name}"));
        out.line(&format!("requester {requester}"));
        out.line(&format!("accepter {accepter}"));
        out.close();
    }
}

pub(super) fn transit_gateways(w: &mut Writer, out: &mut Text) {
    let draft = w.draft;
    for t in &draft.transit_gateways {
        let Some(name) = w.named.get(&t.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let id = t.src.id.as_str();
        let region = match &t.region {
            Some(r) if crate::aws::is_region(r) => r.clone(),
            _ => {
                let from_vpc = t
                    .attachments
                    .iter()
                    .filter_map(|a| a.vpc.as_deref())
                    .filter_map(|v| draft.vpcs.iter().position(|x| x.src.id == v))
                    .map(|i| w.regions[i].clone())
                    .next();
                from_vpc.unwrap_or_else(|| {
                    w.warn(id, "region unknown; written as us-east-1");
                    "us-east-1".to_string()
                })
            }
        };
        let mut lines = vec![format!("region {region}")];
        if let Some(asn) = t.asn {
            lines.push(format!("asn {asn}"));
        }
        for a in &t.attachments {
            let Some(att) = w.named.get(&a.src.id).map(|n| n.name.clone()) else {
                continue;
            };
            let Some(vpc) = a.vpc.as_deref() else {
                continue;
            };
            let Some(vi) = draft.vpcs.iter().position(|v| v.src.id == vpc) else {
                continue;
            };
            if w.regions[vi] != region {
                w.warn(
                    &a.src.id,
                    format!(
                        "the attached VPC is in {}, the transit gateway in {region}; left out",
                        w.regions[vi]
                    ),
                );
                w.named.remove(&a.src.id);
                continue;
            }
            let subnets = subnet_list(w, &a.src.id, vi, &a.subnets, true);
            let vpc_name = w.named_vpc(vi);
            lines.push(format!("# {}", a.src.trace));
            lines.push(format!(
                "attachment {att} {{ vpc {vpc_name}  subnets {} }}",
                list(&subnets)
            ));
        }
        let mut seen: HashSet<IpNet> = HashSet::new();
        for (dest, target) in &t.routes {
            let Ok(net) = dest.parse::<IpNet>() else {
                w.warn(
                    id,
                    format!("route destination `{dest}` is malformed; left out"),
                );
                continue;
            };
            if !seen.insert(net) {
                w.warn(id, format!("a second route to {net}; left out"));
                continue;
            }
            let target = match target {
                None => "blackhole".to_string(),
                Some(t) => match w.named.get(w.canonical(t)) {
                    Some(n) if matches!(n.kind, Kind::Attachment | Kind::Site) => n.name.clone(),
                    _ => {
                        w.warn(
                            id,
                            format!("route {net} -> {t}: {}; left out", w.missing(t)),
                        );
                        continue;
                    }
                },
            };
            lines.push(format!("route {net} -> {target}"));
        }
        out.blank();
        out.comment(&t.src.trace);
        out.open(&format!("transit_gateway {name}"));
        for l in lines {
            out.line(&l);
        }
        out.close();
    }
}

pub(super) fn sites(w: &mut Writer, out: &mut Text) {
    for s in &w.draft.sites {
        let Some(name) = w.named.get(&s.src.id).map(|n| n.name.clone()) else {
            continue;
        };
        let cidrs: Vec<IpNet> = s
            .cidrs
            .iter()
            .filter_map(|c| c.parse::<IpNet>().ok().map(|n| n.trunc()))
            .collect();
        if cidrs.is_empty() {
            w.named.remove(&s.src.id);
            w.drop_item(
                &s.src.id,
                "on-premises network not imported: no address block is known (no static VPN route)"
                    .to_string(),
            );
            continue;
        }
        let mut lines: Vec<String> = cidrs.iter().map(|c| format!("cidr {c}")).collect();
        if let Some(asn) = s.asn {
            lines.push(format!("asn {asn}"));
        }
        let mut scope = crate::import::names::Scope::default();
        for c in &s.connections {
            let gateway = match c.gateway.as_deref().map(|g| (g, w.named.get(g))) {
                Some((_, Some(n))) if n.kind == Kind::TransitGateway => n.name.clone(),
                Some((_, Some(n))) if n.kind == Kind::VpnGateway => {
                    format!(
                        "{}.{}",
                        n.vpc.map(|v| w.named_vpc(v)).unwrap_or_default(),
                        n.name
                    )
                }
                Some((g, _)) => {
                    w.warn(
                        &c.src.id,
                        format!("connection not imported: {}", w.missing(g)),
                    );
                    continue;
                }
                None => {
                    w.warn(&c.src.id, "connection not imported: it ends on no gateway");
                    continue;
                }
            };
            let conn = scope.name("vpn", &c.src.id, c.src.name.as_deref());
            lines.push(format!("# {}", c.src.trace));
            let mut line = format!("connection {conn} {{ type vpn  gateway {gateway}");
            if let Some(ip) = &c.customer_gateway {
                if ip.parse::<std::net::IpAddr>().is_ok() {
                    line.push_str(&format!("  customer_gateway {ip}"));
                }
            }
            line.push_str(" }");
            lines.push(line);
        }
        out.blank();
        out.comment(&s.src.trace);
        out.open(&format!("on_premises {name}"));
        for l in lines {
            out.line(&l);
        }
        out.close();
    }
}

/// The `expect` lines an exported template kept, each kept only when both its ends were
/// imported (a flow to something left out would not compile).
pub(super) fn expects(w: &mut Writer, out: &mut Text) {
    let draft = w.draft;
    let mut first = true;
    for line in &draft.expects {
        let words: Vec<&str> = line.split_whitespace().collect();
        let ends = match words.as_slice() {
            ["expect", src, "->", dst, ..] => Some([*src, *dst]),
            _ => None,
        };
        let missing = ends.map(|e| e.into_iter().find(|end| !flow_end_known(w, end)));
        match missing {
            Some(None) => {
                if first {
                    out.blank();
                    first = false;
                }
                out.line(&words.join(" "));
            }
            Some(Some(end)) => w.warn(
                "Metadata.vnet.Expects",
                format!("`{line}`: `{end}` was not imported; left out"),
            ),
            None => w.warn(
                "Metadata.vnet.Expects",
                format!("`{line}` is not an expect line; left out"),
            ),
        }
    }
}

/// Whether a flow end names something the output declares: `internet`, an address, an AWS
/// service, a top-level item or `VPC.NAME`.
fn flow_end_known(w: &Writer, end: &str) -> bool {
    if end == "internet" || end.parse::<std::net::IpAddr>().is_ok() || crate::aws::is_service(end) {
        return true;
    }
    w.named.values().any(|n| match n.vpc {
        None => n.kind != Kind::Vpc && n.name == end,
        Some(v) => format!("{}.{}", w.named_vpc(v), n.name) == end,
    })
}
