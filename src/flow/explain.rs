//! The words of a trace, kept as the facts they are made of and written only when printed.
//!
//! Every flow the engine walks records its hops and drops, but only a few are ever shown: the
//! traces of `vnetc reach`, and of the lint findings about a flow. `vnetc lint` asks for every
//! intended flow of the network and `vnetc flows` reads verdicts only, so formatting each hop's
//! rule and each drop's message and fix as it happened was time and memory spent on text almost
//! never read. A [`Component`] or a [`Note`] holds references into the network and the sets
//! involved; [`fmt::Display`] writes the same text the engine used to build at once.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::nacl;
use super::packet_set::{AddrSet, PacketSet, PortSet};
use super::path::{describe_addrs, describe_route, nacl_fix, rule_peer, span_of};
use super::security_group::{self, short_name};
use crate::ir::*;
use crate::syntax::Direction;

mod component;

pub use component::{Component, Kind, Side};

/// A hop's deciding rule, or a drop's message or fix.
#[derive(Clone, Debug)]
pub enum Note<'n> {
    /// Words made at once (the rare paths: gateways, routing problems).
    Text(Box<str>),
    Static(&'static str),
    /// `inbound 100 allow tcp 5432 from 172.16.1.0/24`.
    NaclRule(&'n NaclRule, Direction),
    /// `ingress tcp 5432 from app_sg`.
    SgRule(&'n Network, &'n SgRule, Direction),
    /// `0.0.0.0/0 -> nat_a`.
    Route(&'n Network, &'n Route),
    /// `10.1.0.0/16 -> spoke_1_att (propagated)`: a transit gateway's route to an attachment
    /// or a connection (the common path of a hub and spoke network: not formatted per hop).
    TgwRoute(&'n Network, &'n TgwRoute),
    /// `enters through subnet hub.tgw_a (us-east-1a)`: a transit gateway attachment's subnet.
    TgwEntry(&'n Subnet),
    /// Why a NACL dropped packets.
    NaclDenied(Arc<NaclDrop<'n>>),
    /// The NACL rule that would let them through.
    NaclFix(Arc<NaclDrop<'n>>),
    /// Why security groups dropped packets.
    SgDenied(Arc<SgDrop<'n>>),
    /// The security group rule that would let them through.
    SgFix(Arc<SgDrop<'n>>),
}

/// A NACL's decision to deny some packets.
#[derive(Debug)]
pub struct NaclDrop<'n> {
    pub acl: &'n Nacl,
    pub direction: Direction,
    pub protocol: Protocol,
    /// The deny rule, or `None` for the implicit deny.
    pub rule: Option<&'n NaclRule>,
    pub packets: PacketSet,
}

/// Security groups that admit none of some packets.
#[derive(Debug)]
pub struct SgDrop<'n> {
    pub net: &'n Network,
    /// The first group of the interface: the fix adds a rule to it.
    pub group: Option<&'n SecurityGroup>,
    pub direction: Direction,
    pub protocol: Protocol,
    /// The ports no rule admits.
    pub dropped: PortSet,
    /// The far end's addresses no rule admits.
    pub far: AddrSet,
    /// The far end's security groups (a fix names one of the same VPC).
    pub far_groups: Option<Vec<SecurityGroupId>>,
}

impl Note<'_> {
    /// Whether the text is empty (a drop without a fix).
    pub fn is_empty(&self) -> bool {
        match self {
            Note::Text(t) => t.is_empty(),
            Note::Static(t) => t.is_empty(),
            Note::SgFix(d) => d.group.is_none(),
            _ => false,
        }
    }
}

impl From<String> for Note<'_> {
    fn from(text: String) -> Self {
        Note::Text(text.into())
    }
}

impl From<&'static str> for Note<'_> {
    fn from(text: &'static str) -> Self {
        Note::Static(text)
    }
}

impl fmt::Display for Note<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Text(t) => f.write_str(t),
            Note::Static(t) => f.write_str(t),
            Note::NaclRule(rule, direction) => f.write_str(&nacl::describe_rule(rule, *direction)),
            Note::SgRule(net, rule, direction) => {
                f.write_str(&security_group::describe_rule(net, rule, *direction))
            }
            Note::Route(net, route) => f.write_str(&describe_route(net, route)),
            Note::TgwRoute(net, route) => {
                let target = match route.target {
                    TgwTarget::Attachment(a) => short_name(&net.attachments[a.index()].name),
                    TgwTarget::Connection(c) => short_name(&net.connections[c.index()].name),
                    TgwTarget::Blackhole => "blackhole",
                };
                let propagated = if route.propagated {
                    " (propagated)"
                } else {
                    ""
                };
                write!(f, "{} -> {target}{propagated}", route.destination)
            }
            Note::TgwEntry(subnet) => {
                write!(f, "enters through subnet {} ({})", subnet.name, subnet.az)
            }
            Note::NaclDenied(d) => d.message(f),
            Note::NaclFix(d) => f.write_str(&nacl_fix(
                d.acl,
                d.direction,
                d.protocol,
                &d.packets.ports(),
                &d.packets.addrs(),
                d.rule,
            )),
            Note::SgDenied(d) => d.message(f),
            Note::SgFix(d) => d.fix(f),
        }
    }
}

impl Serialize for Note<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl NaclDrop<'_> {
    fn message(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inbound = self.direction == Direction::Inbound;
        let far = describe_addrs(&self.packets.addrs());
        match self.rule {
            Some(rule) => {
                let verb = if inbound { "come from" } else { "go to" };
                write!(
                    f,
                    "{} (the packets {verb} {far})",
                    nacl::describe_rule(rule, self.direction)
                )?;
                let shadowed = nacl::shadowed_allow(
                    self.acl,
                    self.direction,
                    self.protocol,
                    rule,
                    &self.packets,
                );
                if let Some(allow) = shadowed {
                    write!(
                        f,
                        "; it shadows `{}`, which comes after it",
                        nacl::describe_rule(allow, self.direction)
                    )?;
                }
                Ok(())
            }
            None => write!(
                f,
                "no rule matches, implicit deny (*) for the packets {} {far}",
                if inbound { "from" } else { "to" }
            ),
        }
    }
}

impl SgDrop<'_> {
    fn prep(&self) -> &'static str {
        match self.direction {
            Direction::Inbound => "from",
            Direction::Outbound => "to",
        }
    }

    fn message(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self.direction {
            Direction::Inbound => "admits",
            Direction::Outbound => "allows",
        };
        write!(f, "no rule {verb} {}", self.protocol)?;
        if self.protocol.has_ports() {
            write!(f, " {}", self.dropped)?;
        }
        write!(f, " {} {}", self.prep(), describe_addrs(&self.far))
    }

    fn fix(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(group) = self.group else {
            return Ok(());
        };
        // One rule in vnet's syntax: one port range, none for icmp or all ports.
        let rule_ports = match span_of(&self.dropped) {
            p if !self.protocol.has_ports() || p == "0-65535" => String::new(),
            p => format!(" {p}"),
        };
        let side = match self.direction {
            Direction::Inbound => "ingress",
            Direction::Outbound => "egress",
        };
        write!(
            f,
            "add to security_group {}: `{side} {}{rule_ports} {} {}`",
            group.name,
            self.protocol,
            self.prep(),
            self.peer(group)
        )
    }

    /// What a rule of `group` names to admit the far end: its security group when it has one
    /// of the same VPC (AWS's way of naming a tier), else its addresses.
    fn peer(&self, group: &SecurityGroup) -> String {
        let net = self.net;
        self.far_groups
            .iter()
            .flatten()
            .map(|g| (*g, &net.security_groups[g.index()]))
            .find(|(id, g)| {
                g.vpc == group.vpc && net.vpcs[g.vpc.index()].default_security_group != *id
            })
            .map(|(_, g)| short_name(&g.name).to_string())
            .unwrap_or_else(|| rule_peer(&self.far, true))
    }
}
