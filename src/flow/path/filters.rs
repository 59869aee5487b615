//! Filters on the path: network ACLs (stateless, first match) and security groups (stateful,
//! every rule counts), and the crossing from one subnet to another.

use super::describe::*;
use super::fixes;
use super::*;
use crate::flow::nacl;
use crate::flow::packet_set::{AddrSet, PacketSet, PortSet};
use crate::flow::party::Party;
use crate::flow::security_group::{self, short_name};
use crate::flow::trace::{Decision, Explanation};
use crate::syntax::Direction;

impl<'n> Walk<'n> {
    // --- Filters ------------------------------------------------------------------------

    /// A subnet's NACL in one direction; the far end is the packet's destination (outbound)
    /// or source (inbound). Returns the ports it lets through for every address.
    pub fn nacl(
        &mut self,
        subnet: SubnetId,
        direction: Direction,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        if ports.is_empty() {
            return ports;
        }
        let net = self.net;
        let s = &net.subnets[subnet.index()];
        let acl = &net.nacls[s.nacl.index()];
        let far = match direction {
            Direction::Inbound => &pkt.src,
            Direction::Outbound => &pkt.dst,
        };
        let dir = match direction {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        };
        let component = format!("nacl {} {dir}", acl.name);
        let decisions = nacl::evaluate(
            acl,
            direction,
            pkt.protocol,
            &PacketSet::new(ports.clone(), far.clone()),
        );
        let denied = decisions
            .iter()
            .filter(|d| d.action == Action::Deny)
            .fold(PacketSet::default(), |acc, d| acc.union(&d.packets));
        let passed = match self.mode {
            Mode::Every => ports.difference(&denied.ports()),
            Mode::Some => nacl::allowed(&decisions).ports(),
        };
        let partial = decisions.len() > 1;
        for d in &decisions {
            let rule = match d.rule {
                Some(r) => nacl::describe_rule(r, direction),
                None => "no rule matches, implicit deny (*)".to_string(),
            };
            let shown = partial.then(|| d.packets.ports());
            let origin = d.rule.map(|r| r.origin).or(Some(acl.origin));
            if d.action == Action::Allow {
                self.hop(
                    component.clone(),
                    Decision::Allow,
                    rule,
                    shown.as_ref(),
                    origin,
                );
            } else {
                let denied_ports = d.packets.ports();
                let far = describe_addrs(&d.packets.addrs());
                let shadowed = d.rule.and_then(|r| {
                    nacl::shadowed_allow(acl, direction, pkt.protocol, r, &d.packets)
                });
                let message = match d.rule {
                    Some(_) => format!(
                        "{rule} (the packets {} {far}){}",
                        if direction == Direction::Inbound {
                            "come from"
                        } else {
                            "go to"
                        },
                        shadowed
                            .map(|a| format!(
                                "; it shadows `{}`, which comes after it",
                                nacl::describe_rule(a, direction)
                            ))
                            .unwrap_or_default()
                    ),
                    None => format!(
                        "{rule} for the packets {} {far}",
                        if direction == Direction::Inbound {
                            "from"
                        } else {
                            "to"
                        }
                    ),
                };
                let fix = nacl_fix(
                    acl,
                    direction,
                    pkt.protocol,
                    &denied_ports,
                    &d.packets.addrs(),
                    d.rule,
                );
                self.drop(
                    Explanation::SubnetAclRestriction,
                    component.clone(),
                    &denied_ports,
                    message,
                    fix,
                    origin,
                );
            }
        }
        passed
    }

    /// Security groups: what their rules admit (egress of the source, ingress of the
    /// destination); the far end as for NACLs.
    pub fn groups(
        &mut self,
        party: &Party,
        far_party: &Party,
        direction: Direction,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        let Some(groups) = &party.groups else {
            return ports;
        };
        if ports.is_empty() {
            return ports;
        }
        let net = self.net;
        let far = match direction {
            Direction::Inbound => &pkt.src,
            Direction::Outbound => &pkt.dst,
        };
        let dir = match direction {
            Direction::Inbound => "ingress",
            Direction::Outbound => "egress",
        };
        let names: Vec<&str> = groups
            .iter()
            .map(|g| net.security_groups[g.index()].name.as_str())
            .collect();
        let (matches, rest) = security_group::evaluate(
            net,
            groups,
            direction,
            pkt.protocol,
            &PacketSet::new(ports.clone(), far.clone()),
            self.plan,
        );
        for m in &matches {
            let group = &net.security_groups[m.group.index()];
            let shown = (!rest.is_empty() || matches.len() > 1).then(|| m.packets.ports());
            self.hop(
                format!("security_group {} {dir}", group.name),
                Decision::Allow,
                security_group::describe_rule(net, m.rule, direction),
                shown.as_ref(),
                Some(m.rule.origin),
            );
        }
        if rest.is_empty() {
            return ports;
        }
        let admitted = matches
            .iter()
            .fold(PortSet::default(), |acc, m| acc.union(&m.packets.ports()));
        let dropped = match self.mode {
            Mode::Every => rest.ports(),
            Mode::Some => ports.difference(&admitted),
        };
        if dropped.is_empty() {
            return ports;
        }
        let component = format!("security_group {} {dir}", names.join(", "));
        let (verb, prep) = match direction {
            Direction::Inbound => ("admits", "from"),
            Direction::Outbound => ("allows", "to"),
        };
        let message = format!(
            "no rule {verb} {}{} {prep} {}",
            pkt.protocol,
            if pkt.protocol.has_ports() {
                format!(" {dropped}")
            } else {
                String::new()
            },
            describe_addrs(&rest.addrs())
        );
        let first = groups.first().map(|g| &net.security_groups[g.index()]);
        // One rule in vnet's syntax: one port range, none for icmp or all ports.
        let rule_ports = match span_of(&dropped) {
            p if !pkt.protocol.has_ports() || p == "0-65535" => String::new(),
            p => format!(" {p}"),
        };
        let fix = match first {
            Some(g) => format!(
                "add to security_group {}: `{} {}{rule_ports} {prep} {}`",
                g.name,
                if direction == Direction::Inbound {
                    "ingress"
                } else {
                    "egress"
                },
                pkt.protocol,
                self.rule_peer(g, far_party, &rest.addrs())
            ),
            None => String::new(),
        };
        let origin = first.map(|g| g.origin);
        self.drop(
            Explanation::EniSgRulesMismatch,
            component,
            &dropped,
            message,
            fix,
            origin,
        );
        ports.difference(&dropped)
    }

    /// What a rule of `group` names to admit the far end: its security group when it has one
    /// of the same VPC (AWS's way of naming a tier), else its addresses.
    fn rule_peer(&self, group: &SecurityGroup, far: &Party, addrs: &AddrSet) -> String {
        let net = self.net;
        far.groups
            .iter()
            .flatten()
            .map(|g| (*g, &net.security_groups[g.index()]))
            .find(|(id, g)| {
                g.vpc == group.vpc && net.vpcs[g.vpc.index()].default_security_group != *id
            })
            .map(|(_, g)| short_name(&g.name).to_string())
            .unwrap_or_else(|| fixes::rule_peer(addrs, true))
    }

    /// Crossing from one subnet to another: the first's NACL outbound, the second's inbound;
    /// traffic inside one subnet crosses no NACL.
    pub(super) fn cross(
        &mut self,
        from: SubnetId,
        to: SubnetId,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        if from == to {
            return ports;
        }
        let ports = self.nacl(from, Direction::Outbound, pkt, ports);
        self.nacl(to, Direction::Inbound, pkt, ports)
    }
}
