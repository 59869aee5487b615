//! Network ACLs and security groups: rule by rule, what vnet can express (tcp, udp, icmp,
//! all; CIDR, group and service peers) and a warning for each rule it cannot.

use std::collections::HashSet;

use ipnet::IpNet;

use super::text::{quote, Text};
use super::{Kind, Writer};
use crate::import::draft::{Nacl, Peer, Proto, SgRule, Vpc};

/// AWS's default NACL and security group stay implicit when they hold AWS's default rules
/// and nothing names the group in a way vnet's implicit group cannot stand for.
pub(super) fn decide_implicit(w: &mut Writer, _index: usize, vpc: &Vpc) {
    for n in &vpc.nacls {
        if n.default && is_allow_all(n) {
            w.implicit.insert(n.src.id.clone());
            w.named.remove(&n.src.id);
        }
    }
    for g in &vpc.security_groups {
        if !g.default {
            continue;
        }
        let id = g.src.id.as_str();
        let self_only = matches!(g.ingress.as_slice(),
            [r] if r.protocol == Ok(Proto::All) && matches!(&r.peer, Peer::Group(p) if p == id));
        let egress_default = !g.egress_given || is_default_egress(&g.egress);
        let named_in_rules = w
            .draft
            .vpcs
            .iter()
            .flat_map(|v| &v.security_groups)
            .any(|o| {
                o.src.id != id
                    && o.ingress
                        .iter()
                        .chain(&o.egress)
                        .any(|r| matches!(&r.peer, Peer::Group(p) if p == id))
            });
        let listed_with_others = vpc
            .endpoints
            .iter()
            .map(|e| &e.security_groups)
            .chain(vpc.workloads.iter().map(|x| &x.security_groups))
            .any(|groups| groups.len() > 1 && groups.iter().any(|x| x == id));
        if self_only && egress_default && !named_in_rules && !listed_with_others {
            w.implicit.insert(id.to_string());
            w.named.remove(id);
        }
    }
}

fn is_allow_all(n: &Nacl) -> bool {
    n.entries.iter().filter(|e| e.number != 32767).all(|e| {
        e.allow && e.protocol == Ok(Proto::All) && matches!(e.cidr.as_str(), "0.0.0.0/0" | "::/0")
    }) && [false, true].iter().all(|egress| {
        n.entries
            .iter()
            .any(|e| e.egress == *egress && e.allow && e.cidr == "0.0.0.0/0" && e.number != 32767)
    })
}

fn is_default_egress(rules: &[SgRule]) -> bool {
    !rules.is_empty()
        && rules.iter().all(|r| {
            r.protocol == Ok(Proto::All)
                && matches!(&r.peer, Peer::Cidr(c) if c == "0.0.0.0/0" || c == "::/0")
        })
}

fn proto_word(p: Proto) -> &'static str {
    match p {
        Proto::Tcp => "tcp",
        Proto::Udp => "udp",
        Proto::Icmp => "icmp",
        Proto::All => "all",
    }
}

/// `PROTO [PORTS]` of a rule, or why it cannot be written.
fn proto_ports(
    protocol: &Result<Proto, String>,
    ports: Option<(i64, i64)>,
) -> Result<(String, Option<String>), String> {
    let p = match protocol {
        Ok(p) => *p,
        Err(other) => {
            return Err(format!(
                "protocol `{other}` is not modelled (vnet knows tcp, udp, icmp and all)"
            ))
        }
    };
    let mut note = None;
    let text = match (p, ports) {
        (Proto::Tcp | Proto::Udp, Some((from, to))) if from == -1 || (from <= 0 && to >= 65535) => {
            proto_word(p).to_string()
        }
        (Proto::Tcp | Proto::Udp, Some((from, to))) => {
            if !(0..=65535).contains(&from) || !(0..=65535).contains(&to) || from > to {
                return Err(format!("port range {from}-{to} is not valid"));
            }
            if from == to {
                format!("{} {from}", proto_word(p))
            } else {
                format!("{} {from}-{to}", proto_word(p))
            }
        }
        (Proto::Icmp, Some((t, _))) if t != -1 => {
            note = Some(format!(
                "ICMP type {t} is written as all ICMP (vnet does not model ICMP types)"
            ));
            "icmp".to_string()
        }
        _ => proto_word(p).to_string(),
    };
    Ok((text, note))
}

pub(super) fn nacls(w: &mut Writer, out: &mut Text, _index: usize, vpc: &Vpc) {
    for n in &vpc.nacls {
        let Some(name) = w.named.get(&n.src.id).map(|x| x.name.clone()) else {
            continue;
        };
        let id = n.src.id.as_str();
        let mut lines = Vec::new();
        let mut numbers: HashSet<(bool, i64)> = HashSet::new();
        let mut entries: Vec<_> = n.entries.iter().collect();
        entries.sort_by_key(|e| (e.egress, e.number));
        for e in entries {
            let dir = if e.egress { "outbound" } else { "inbound" };
            if e.number == 32767 {
                continue; // AWS's final `*` rule: implicit in vnet.
            }
            let what = format!("{dir} rule {}", e.number);
            if !(1..=32766).contains(&e.number) {
                w.warn(id, format!("{what}: number outside 1 to 32766; left out"));
                continue;
            }
            if !numbers.insert((e.egress, e.number)) {
                w.warn(id, format!("{what}: number repeated; left out"));
                continue;
            }
            let cidr = match e.cidr.parse::<IpNet>() {
                Ok(c) => c.trunc(),
                Err(_) => {
                    w.warn(
                        id,
                        format!("{what}: CIDR `{}` is malformed; left out", e.cidr),
                    );
                    continue;
                }
            };
            let (proto, note) = match proto_ports(&e.protocol, e.ports) {
                Ok(x) => x,
                Err(why) => {
                    w.warn(id, format!("{what}: {why}; left out"));
                    continue;
                }
            };
            if let Some(note) = note {
                w.warn(id, format!("{what}: {note}"));
            }
            let action = if e.allow { "allow" } else { "deny" };
            let side = if e.egress { "to" } else { "from" };
            lines.push(format!("{dir} {} {action} {proto} {side} {cidr}", e.number));
        }
        out.blank();
        out.comment(&n.src.trace);
        if lines.is_empty() {
            out.line(&format!("nacl {name} {{}}"));
        } else {
            out.open(&format!("nacl {name}"));
            for l in lines {
                out.line(&l);
            }
            out.close();
        }
    }
}

pub(super) fn security_groups(w: &mut Writer, out: &mut Text, index: usize, vpc: &Vpc) {
    for g in &vpc.security_groups {
        let Some(name) = w.named.get(&g.src.id).map(|x| x.name.clone()) else {
            continue;
        };
        let id = g.src.id.as_str();
        let mut lines = Vec::new();
        if let Some(d) = &g.description {
            lines.push(format!("description {}", quote(d)));
        }
        for r in &g.ingress {
            if let Some(l) = sg_rule(w, id, index, "ingress", r) {
                lines.push(l);
            }
        }
        if g.egress_given && g.egress.is_empty() {
            w.warn(id, "the group has no egress rule; vnet cannot write an empty egress list, so AWS's default egress (all traffic) applies");
        }
        if g.egress_given && !is_default_egress(&g.egress) {
            for r in &g.egress {
                if let Some(l) = sg_rule(w, id, index, "egress", r) {
                    lines.push(l);
                }
            }
        }
        out.blank();
        out.comment(&g.src.trace);
        if lines.is_empty() {
            out.line(&format!("security_group {name} {{}}"));
        } else {
            out.open(&format!("security_group {name}"));
            for l in lines {
                out.line(&l);
            }
            out.close();
        }
    }
}

fn sg_rule(w: &mut Writer, id: &str, index: usize, dir: &str, r: &SgRule) -> Option<String> {
    let side = if dir == "ingress" { "from" } else { "to" };
    let what = format!("{dir} rule {side} {}", peer_text(&r.peer));
    let (proto, note) = match proto_ports(&r.protocol, r.ports) {
        Ok(x) => x,
        Err(why) => {
            w.warn(id, format!("{what}: {why}; left out"));
            return None;
        }
    };
    if let Some(note) = note {
        w.warn(id, format!("{what}: {note}"));
    }
    let peer = match &r.peer {
        Peer::Cidr(c) => match c.parse::<IpNet>() {
            Ok(net) => net.trunc().to_string(),
            Err(_) => {
                w.warn(id, format!("{what}: malformed CIDR; left out"));
                return None;
            }
        },
        Peer::PrefixList(pl) => {
            let service = w
                .prefix_lists
                .get(pl)
                .cloned()
                .unwrap_or_else(|| pl.clone());
            if crate::aws::PREFIX_LIST_SERVICES.contains(&service.as_str()) {
                service
            } else {
                w.warn(id, format!("{what}: prefix list `{pl}` is not a service prefix list vnet knows (s3, dynamodb); left out"));
                return None;
            }
        }
        Peer::Group(g) => match group_peer(w, index, g) {
            Ok(n) => n,
            Err(why) => {
                w.warn(id, format!("{what}: {why}; left out"));
                return None;
            }
        },
    };
    let mut line = format!("{dir} {proto} {side} {peer}");
    if let Some(d) = r.description.as_deref().filter(|d| !d.is_empty()) {
        line.push(' ');
        line.push_str(&quote(d));
    }
    Some(line)
}

fn peer_text(peer: &Peer) -> &str {
    match peer {
        Peer::Cidr(s) | Peer::Group(s) | Peer::PrefixList(s) => s,
    }
}

/// A group a rule names: of this VPC, or of a VPC in the same region that a peering or a
/// transit gateway connects to this one (what AWS allows).
fn group_peer(w: &Writer, index: usize, group: &str) -> Result<String, String> {
    let name = w.reference(group, &[Kind::SecurityGroup], Some(index))?;
    let Some(other) = w.named.get(group).and_then(|n| n.vpc) else {
        return Ok(name);
    };
    if other == index {
        return Ok(name);
    }
    let connected = w
        .connected
        .iter()
        .any(|&(a, b)| (a, b) == (index, other) || (b, a) == (index, other));
    if w.regions[other] != w.regions[index] || !connected {
        return Err(format!(
            "group `{group}` is in another VPC that is not peered with this one in the same region"
        ));
    }
    Ok(name)
}

/// Names of the groups among `ids` (of this VPC), without AWS's implicit default group.
pub(super) fn group_list(w: &mut Writer, owner: &str, index: usize, ids: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    for g in ids {
        if w.implicit.contains(g) || g == crate::import::cloudformation::DEFAULT_GROUP {
            continue;
        }
        match w.reference(g, &[Kind::SecurityGroup], Some(index)) {
            Ok(r) if r.contains('.') => w.warn(
                owner,
                format!("security group `{g}` is in another VPC; left out"),
            ),
            Ok(r) => names.push(r),
            Err(why) => w.warn(owner, format!("security group {why}; left out")),
        }
    }
    names
}
