//! Security group evaluation: allow rules only, every rule counts (their union), stateful
//! (replies are never filtered). A rule's peer is a CIDR block, the members of a group (the
//! addresses of the interfaces it is attached to), or a service's managed prefix list.

use super::nacl::{protocol_matches, rule_ports};
use super::packet_set::{AddrSet, PacketSet};
use crate::ir::{Network, Protocol, SecurityGroupId, SgPeer, SgRule};
use crate::syntax::Direction;

/// Resolves the address sets that rule peers stand for.
pub trait PeerAddresses {
    /// The addresses of every interface the group is attached to.
    fn members(&self, group: SecurityGroupId) -> &AddrSet;
    /// The public addresses of a service (its prefix list).
    fn service(&self, name: &str) -> AddrSet;
}

/// A rule of a group and the packets it admits.
#[derive(Clone, Debug)]
pub struct SgMatch<'n> {
    pub group: SecurityGroupId,
    pub rule: &'n SgRule,
    pub packets: PacketSet,
}

/// What a set of groups admits of `packets` (addresses are the far end's), rule by rule; the
/// rest is dropped.
pub fn evaluate<'n>(
    net: &'n Network,
    groups: &[SecurityGroupId],
    direction: Direction,
    protocol: Protocol,
    packets: &PacketSet,
    peers: &dyn PeerAddresses,
) -> (Vec<SgMatch<'n>>, PacketSet) {
    let mut matches = Vec::new();
    let mut remaining = packets.clone();
    for &g in groups {
        let Some(group) = net.security_groups.get(g.index()) else {
            continue;
        };
        let rules = match direction {
            Direction::Inbound => &group.ingress,
            Direction::Outbound => &group.egress,
        };
        for rule in rules {
            if !protocol_matches(rule.protocol, protocol) {
                continue;
            }
            let ports = rule_ports(rule.protocol, rule.ports);
            let written;
            let addrs = match &rule.peer {
                SgPeer::Cidr(c) => {
                    written = AddrSet::cidr(c);
                    &written
                }
                SgPeer::SecurityGroup(other) => peers.members(*other),
                SgPeer::PrefixList(s) => {
                    written = peers.service(s);
                    &written
                }
            };
            let admitted = packets.intersect_box(&ports, addrs);
            if admitted.is_empty() {
                continue;
            }
            remaining = remaining.minus_box(&ports, addrs);
            matches.push(SgMatch {
                group: g,
                rule,
                packets: admitted,
            });
        }
    }
    (matches, remaining)
}

/// A rule as written: `ingress tcp 5432 from app_sg`.
pub fn describe_rule(net: &Network, rule: &SgRule, direction: Direction) -> String {
    let (dir, prep) = match direction {
        Direction::Inbound => ("ingress", "from"),
        Direction::Outbound => ("egress", "to"),
    };
    let ports = if rule.protocol.has_ports() && !rule.ports.is_all() {
        format!(" {}", rule.ports)
    } else {
        String::new()
    };
    let peer = match &rule.peer {
        SgPeer::Cidr(c) => c.to_string(),
        SgPeer::SecurityGroup(g) => net
            .security_groups
            .get(g.index())
            .map(|g| short_name(&g.name).to_string())
            .unwrap_or_default(),
        SgPeer::PrefixList(s) => s.clone(),
    };
    format!("{dir} {}{ports} {prep} {peer}", rule.protocol)
}

/// `prod.app_sg` → `app_sg`.
pub fn short_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}
