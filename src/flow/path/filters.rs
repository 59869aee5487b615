//! Filters on the path: network ACLs (stateless, first match) and security groups (stateful,
//! every rule counts), and the crossing from one subnet to another.

use std::sync::Arc;

use super::*;
use crate::flow::explain::{Kind, Side};
use crate::flow::explain::{NaclDrop, SgDrop};
use crate::flow::nacl;
use crate::flow::packet_set::{PacketSet, PortSet};
use crate::flow::party::Party;
use crate::flow::security_group;
use crate::flow::trace::{Decision, Explanation};
use crate::syntax::Direction;

impl<'n> Walk<'n, '_> {
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
        let component = Component::sided(Kind::Nacl, &acl.name, Side::of(direction, true));
        let decisions = nacl::evaluate(
            acl,
            direction,
            pkt.protocol,
            PacketSet::new(ports.clone(), far.clone()),
        );
        let passed = match self.mode {
            Mode::Every => ports.difference(&nacl::ports_decided(&decisions, Action::Deny)),
            Mode::Some => nacl::ports_decided(&decisions, Action::Allow),
        };
        if !self.record {
            return passed;
        }
        let partial = decisions.len() > 1;
        for d in decisions {
            let origin = d.rule.map(|r| r.origin).or(Some(acl.origin));
            if d.action == Action::Allow {
                let rule = match d.rule {
                    Some(r) => Note::NaclRule(r, direction),
                    None => Note::Static("no rule matches, implicit deny (*)"),
                };
                let shown = partial.then(|| d.packets.ports());
                self.hop(
                    component.clone(),
                    Decision::Allow,
                    rule,
                    shown.as_ref(),
                    origin,
                );
            } else {
                let denied_ports = d.packets.ports();
                let drop = Arc::new(NaclDrop {
                    acl,
                    direction,
                    protocol: pkt.protocol,
                    rule: d.rule,
                    packets: d.packets.compacted(),
                });
                self.drop(
                    Explanation::SubnetAclRestriction,
                    component.clone(),
                    &denied_ports,
                    Note::NaclDenied(drop.clone()),
                    Note::NaclFix(drop),
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
        let (matches, rest) = security_group::evaluate(
            net,
            groups,
            direction,
            pkt.protocol,
            &PacketSet::new(ports.clone(), far.clone()),
            self.plan,
        );
        if self.record {
            for m in &matches {
                let group = &net.security_groups[m.group.index()];
                let shown = (!rest.is_empty() || matches.len() > 1).then(|| m.packets.ports());
                self.hop(
                    Component::sided(Kind::SecurityGroup, &group.name, Side::of(direction, false)),
                    Decision::Allow,
                    Note::SgRule(net, m.rule, direction),
                    shown.as_ref(),
                    Some(m.rule.origin),
                );
            }
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
        let remaining = ports.difference(&dropped);
        if !self.record {
            return remaining;
        }
        let names: Vec<&str> = groups
            .iter()
            .map(|g| net.security_groups[g.index()].name.as_str())
            .collect();
        let component = format!("security_group {} {dir}", names.join(", "));
        let first = groups.first().map(|g| &*net.security_groups[g.index()]);
        let drop = Arc::new(SgDrop {
            net,
            group: first,
            direction,
            protocol: pkt.protocol,
            dropped: dropped.clone(),
            far: rest.addrs(),
            far_groups: far_party.groups.clone(),
        });
        let origin = first.map(|g| g.origin);
        self.drop(
            Explanation::EniSgRulesMismatch,
            component,
            &dropped,
            Note::SgDenied(drop.clone()),
            Note::SgFix(drop),
            origin,
        );
        remaining
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
