//! Network ACL evaluation: rules in number order, the first that matches a packet decides,
//! and what no rule matches is denied by the implicit final rule (`*`). Stateless: a reply is
//! evaluated on its own, as a packet to the client's ephemeral ports.

use super::packet_set::{AddrSet, PacketSet, PortSet};
use crate::ir::{Action, Nacl, NaclRule, Protocol};
use crate::syntax::Direction;

/// What one rule (or the implicit deny, `rule: None`) decides for part of the packets.
#[derive(Clone, Debug)]
pub struct NaclDecision<'n> {
    pub packets: PacketSet,
    pub action: Action,
    pub rule: Option<&'n NaclRule>,
}

/// Whether a rule of protocol `rule` matches packets of protocol `packet`.
pub fn protocol_matches(rule: Protocol, packet: Protocol) -> bool {
    rule == Protocol::All || rule == packet
}

/// The ports a rule matches: its range for tcp and udp, every port otherwise.
pub fn rule_ports(protocol: Protocol, ports: crate::ir::PortRange) -> PortSet {
    if protocol.has_ports() {
        PortSet::range(ports)
    } else {
        PortSet::all()
    }
}

/// Partitions `packets` (of protocol `protocol`; addresses are the far end's) by the rule of
/// `direction` that decides each part. The packets are taken, not copied: the evaluation
/// splits them up as the rules match.
pub fn evaluate<'n>(
    nacl: &'n Nacl,
    direction: Direction,
    protocol: Protocol,
    packets: PacketSet,
) -> Vec<NaclDecision<'n>> {
    let rules = match direction {
        Direction::Inbound => &nacl.inbound,
        Direction::Outbound => &nacl.outbound,
    };
    let mut remaining = packets;
    let mut out = Vec::new();
    for rule in rules {
        if remaining.is_empty() {
            break;
        }
        if !protocol_matches(rule.protocol, protocol) {
            continue;
        }
        let ports = rule_ports(rule.protocol, rule.ports);
        let addrs = AddrSet::cidr(&rule.cidr);
        let matched = remaining.split_off_box(&ports, &addrs);
        if matched.is_empty() {
            continue;
        }
        out.push(NaclDecision {
            packets: matched,
            action: rule.action,
            rule: Some(rule),
        });
    }
    if !remaining.is_empty() {
        out.push(NaclDecision {
            packets: remaining,
            action: Action::Deny,
            rule: None,
        });
    }
    out
}

/// The first rule after `deny` that would allow some of `packets` (which `deny` decided): an
/// allow the deny shadows, the usual sign that the rules are numbered in the wrong order.
pub fn shadowed_allow<'n>(
    nacl: &'n Nacl,
    direction: Direction,
    protocol: Protocol,
    deny: &NaclRule,
    packets: &PacketSet,
) -> Option<&'n NaclRule> {
    let rules = match direction {
        Direction::Inbound => &nacl.inbound,
        Direction::Outbound => &nacl.outbound,
    };
    let mut remaining = packets.clone();
    for rule in rules.iter().filter(|r| r.number > deny.number) {
        if remaining.is_empty() {
            break;
        }
        if !protocol_matches(rule.protocol, protocol) {
            continue;
        }
        let ports = rule_ports(rule.protocol, rule.ports);
        let addrs = AddrSet::cidr(&rule.cidr);
        if !remaining.intersects_box(&ports, &addrs) {
            continue;
        }
        if rule.action == Action::Allow {
            return Some(rule);
        }
        remaining = remaining.minus_box(&ports, &addrs);
    }
    None
}

/// The ports of the packets that `evaluate` decides with `action` (whatever the address),
/// without building their packet set: asked for every NACL of every intended flow.
pub fn ports_decided(decisions: &[NaclDecision], action: Action) -> PortSet {
    decisions
        .iter()
        .filter(|d| d.action == action)
        .flat_map(|d| d.packets.boxes())
        .fold(PortSet::default(), |acc, (ports, _)| acc.union(ports))
}

/// A rule as written: `inbound 100 allow tcp 5432 from 172.16.1.0/24`.
pub fn describe_rule(rule: &NaclRule, direction: Direction) -> String {
    let (dir, prep) = match direction {
        Direction::Inbound => ("inbound", "from"),
        Direction::Outbound => ("outbound", "to"),
    };
    let action = match rule.action {
        Action::Allow => "allow",
        Action::Deny => "deny",
    };
    let ports = if rule.protocol.has_ports() && !rule.ports.is_all() {
        format!(" {}", rule.ports)
    } else {
        String::new()
    };
    format!(
        "{dir} {} {action} {}{ports} {prep} {}",
        rule.number, rule.protocol, rule.cidr
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{FileIdx, Id, Origin, PortRange};

    fn rule(number: u32, action: Action, ports: (u16, u16), cidr: &str) -> NaclRule {
        NaclRule {
            number,
            action,
            protocol: Protocol::Tcp,
            ports: PortRange {
                from: ports.0,
                to: ports.1,
            },
            cidr: cidr.parse().unwrap(),
            origin: Origin {
                file: FileIdx(0),
                node: Default::default(),
            },
        }
    }

    fn nacl(outbound: Vec<NaclRule>) -> Nacl {
        Nacl {
            name: "shop.data_acl".into(),
            vpc: Id::new(0),
            origin: Origin {
                file: FileIdx(0),
                node: Default::default(),
            },
            default: false,
            inbound: Vec::new(),
            outbound,
        }
    }

    #[test]
    fn first_match_decides_and_the_rest_is_implicitly_denied() {
        // db-return.vnet: replies to 1024-65535 leave only through `outbound 100 ... 5432`.
        let acl = nacl(vec![rule(
            100,
            Action::Allow,
            (5432, 5432),
            "172.16.1.0/24",
        )]);
        let replies = PacketSet::new(
            PortSet::range(PortRange {
                from: 1024,
                to: 65535,
            }),
            AddrSet::cidr(&"172.16.1.0/24".parse().unwrap()),
        );
        let d = evaluate(&acl, Direction::Outbound, Protocol::Tcp, replies);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].packets.ports().to_string(), "5432");
        assert_eq!(d[1].action, Action::Deny);
        assert!(d[1].rule.is_none());
        assert_eq!(d[1].packets.ports().to_string(), "1024-5431, 5433-65535");
    }

    #[test]
    fn an_allow_behind_a_matching_deny_does_not_count() {
        let acl = nacl(vec![
            rule(90, Action::Deny, (0, 65535), "0.0.0.0/0"),
            rule(100, Action::Allow, (1024, 65535), "0.0.0.0/0"),
        ]);
        let replies = PacketSet::new(
            PortSet::range(PortRange {
                from: 1024,
                to: 65535,
            }),
            AddrSet::cidr(&"10.0.0.0/24".parse().unwrap()),
        );
        let d = evaluate(&acl, Direction::Outbound, Protocol::Tcp, replies);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule.map(|r| r.number), Some(90));
        assert!(ports_decided(&d, Action::Allow).is_empty());
    }
}
