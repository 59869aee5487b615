//! Walking a flow through the network, hop by hop, as DOMAIN.md's "Flow analysis" says: the
//! source's security groups, its subnet's NACL, routing (local, peering, transit gateway,
//! NAT and internet gateways, VPN, gateway endpoints), the destination subnet's NACL and
//! the destination's security groups; then the reply, back through the routes and NACLs of
//! the other side (security groups are stateful and never drop replies).
//!
//! The walk carries a set of destination ports: each filter removes what it drops (recording
//! the hop, the rule and an explanation) and the walk goes on with what is left.

use std::sync::Arc;

use super::addressing::AddressPlan;
use super::explain::{Component, Note};
use super::packet_set::{AddrSet, PortSet};
use super::shared_hops::SharedHops;
use super::trace::{Decision, Drop, Explanation, Hop, HopPorts, Leg};
use crate::ir::*;

/// How deep forwarding may nest (NAT, transit gateway, appliance hops) before the walk gives
/// up on a routing loop.
const MAX_DEPTH: u8 = 8;

mod describe;
mod enter;
mod filters;
mod fixes;
mod forward;
mod gateways;

pub use describe::{
    describe_addrs, describe_destination, describe_route, free_rule_number, free_rule_number_except,
};
pub(super) use describe::{nacl_fix, span_of};
pub(super) use fixes::rule_peer;

/// The packets of one leg: protocol, destination ports (the walk's state) and addresses.
#[derive(Clone, Debug)]
pub(super) struct Packet {
    pub protocol: Protocol,
    pub src: AddrSet,
    pub dst: AddrSet,
    /// The sender has a public address (or is behind a NAT gateway that gives it one).
    pub public: bool,
}

/// How the packets came to the subnet the walk is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Arrival {
    /// From an interface of this subnet (the source itself).
    Origin,
    /// Translated by this NAT gateway.
    Nat(NatGatewayId),
    /// From a transit gateway attachment's interface.
    TransitGateway,
    /// Forwarded by an instance named as a route target.
    Appliance,
}

/// Which packets a walk follows when a filter drops packets of some addresses only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// A port goes on only if every address of the far end passes (what `reach` shows).
    Every,
    /// A port goes on if some address passes (whether the flow works for part of a range:
    /// `expect hq -> erp allowed` holds although hq's guest network is denied).
    Some,
}

/// The state of one leg's walk.
pub(super) struct Walk<'n, 'p> {
    pub mode: Mode,
    /// How many forwarding steps deep the walk is (see [`MAX_DEPTH`]).
    pub depth: u8,
    pub net: &'n Network,
    pub plan: &'p AddressPlan,
    pub leg: Leg,
    /// Whether hops and drops are kept (a walk asked for its verdict only keeps none).
    pub record: bool,
    pub hops: Vec<Arc<Hop<'n>>>,
    /// Where the hops' shared copies are (see [`SharedHops`]).
    pub shared: &'p SharedHops<'n>,
    pub drops: Vec<Drop<'n>>,
    /// The NAT gateway the request went through (its reply must come back through it).
    pub nat_used: Option<NatGatewayId>,
}

impl<'n, 'p> Walk<'n, 'p> {
    pub fn new(
        net: &'n Network,
        plan: &'p AddressPlan,
        leg: Leg,
        shared: &'p SharedHops<'n>,
    ) -> Self {
        Walk {
            mode: Mode::Every,
            depth: 0,
            net,
            plan,
            leg,
            record: true,
            hops: Vec::new(),
            shared,
            drops: Vec::new(),
            nat_used: None,
        }
    }

    pub(super) fn hop(
        &mut self,
        component: impl Into<Component<'n>>,
        decision: Decision,
        rule: impl Into<Note<'n>>,
        ports: Option<&PortSet>,
        origin: Option<Origin>,
    ) {
        if !self.record {
            return;
        }
        self.hops.push(self.shared.share(Hop {
            component: component.into(),
            decision,
            rule: rule.into(),
            ports: HopPorts::new(ports),
            origin,
        }));
    }

    /// Records a drop of `ports` and returns the empty set (the walk's result).
    pub(super) fn drop(
        &mut self,
        explanation: Explanation,
        component: impl Into<Component<'n>>,
        ports: &PortSet,
        message: impl Into<Note<'n>>,
        fix: impl Into<Note<'n>>,
        origin: Option<Origin>,
    ) -> PortSet {
        if !self.record {
            return PortSet::default();
        }
        let (component, message) = (component.into(), message.into());
        let explanation = match (self.leg, explanation) {
            (Leg::Reply, Explanation::NoRouteToDestination) => Explanation::NoReturnRoute,
            (_, e) => e,
        };
        self.hop(
            component.clone(),
            Decision::Deny,
            message.clone(),
            Some(ports),
            origin,
        );
        self.drops.push(Drop {
            explanation,
            leg: self.leg,
            ports: ports.clone(),
            message,
            fix: fix.into(),
            component,
            origin,
        });
        PortSet::default()
    }
}
