//! What the flow engine reports: the hops a request and its reply take, each with its
//! component, decision and deciding rule, and for every drop an explanation code (modelled on
//! AWS Reachability Analyzer's) and the change that would let the packets through.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use thin_vec::ThinVec;

use super::explain::{Component, Note};
use super::packet_set::PortSet;
use super::shared_hops::{Hops, Label};
use crate::ir::{Origin, PortRange, SubnetId};

/// Why packets were dropped. Documented in `docs/flow.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Explanation {
    /// The source's security groups allow no egress for these packets.
    EniSgRulesMismatch,
    /// A network ACL denies the packets (a deny rule, or no rule: the implicit deny).
    SubnetAclRestriction,
    /// No route matches the destination.
    NoRouteToDestination,
    /// The matching route is a blackhole.
    BlackholeRoute,
    /// The reply has no route back, or routes back another way than the request came.
    NoReturnRoute,
    /// The destination is across a peering from a VPC that is itself across a peering.
    NonTransitivePeering,
    /// A VPC cannot use another VPC's gateways or endpoints through a peering.
    NoEdgeToEdgeRouting,
    /// The internet gateway carries only traffic of interfaces with public addresses.
    NoPublicIp,
    /// The destination VPC has no internet gateway.
    NoInternetGateway,
    /// A NAT gateway's subnet has no route to an internet gateway.
    NatGatewayNoInternetRoute,
    /// A NAT gateway carries connections its side opens, never ones from the internet.
    NatGatewayOutboundOnly,
    /// The transit gateway has no attachment subnet in the source's availability zone.
    TgwAttachmentNotInAz,
    /// The transit gateway's route table has no route (or a blackhole) for the destination.
    TgwRtbCannotRoute,
    /// The peering or transit gateway the route names does not reach the destination's VPC.
    ConnectionDoesNotReach,
    /// The destination's subnet holds no such address, or the destination has no interface.
    DestinationUnreachable,
    /// An on-premises network is not connected to the VPC's gateway.
    NoVpnConnection,
    /// A kind of flow vnet does not analyse (stated, never guessed).
    NotModelled,
}

impl Explanation {
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// What a component did with (part of) the packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Deny,
    Forward,
    Deliver,
}

/// One step of a path (its words are written when printed: see [`super::explain`]).
#[derive(Clone, Debug, Serialize)]
pub struct Hop<'n> {
    /// `security_group shop.app_sg egress`, `nacl shop.data_acl outbound`,
    /// `route_table shop.private_a`, `nat_gateway batch.nat`.
    pub component: Component<'n>,
    pub decision: Decision,
    /// The deciding rule, as written (`tcp 5432 from app_sg`, `0.0.0.0/0 -> nat_a`), or why
    /// (`no rule matches, implicit deny (*)`).
    pub rule: Note<'n>,
    /// The ports this decision applies to, when it applies to only some of them.
    #[serde(skip_serializing_if = "HopPorts::is_every")]
    pub ports: HopPorts,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// Where a flow lost packets.
#[derive(Clone, Debug, Serialize)]
pub struct Drop<'n> {
    pub explanation: Explanation,
    /// `request` or `reply`.
    pub leg: Leg,
    /// The destination ports of the dropped packets.
    #[serde(serialize_with = "ports_str")]
    pub ports: PortSet,
    /// What happened, in words.
    pub message: Note<'n>,
    /// The change that would let the packets through.
    pub fix: Note<'n>,
    /// The component that decided (a NACL, a route table ...).
    pub component: Component<'n>,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Leg {
    Request,
    Reply,
}

/// The verdict on a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every request packet is delivered and every reply routed back.
    Completed,
    /// Some (or all) request packets never reach the destination.
    RequestDropped,
    /// The requests arrive, but some (or all) replies are dropped.
    ReplyDropped,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Completed => "delivered and answered",
            Outcome::RequestDropped => "request dropped",
            Outcome::ReplyDropped => "reply dropped",
        })
    }
}

/// The analysis of one flow between one placement of the source and one of the destination.
#[derive(Clone, Debug, Serialize)]
pub struct Trace<'n> {
    pub outcome: Outcome,
    /// Where the source and destination are (`instance shop.api in subnet shop.app`), shown
    /// when they have several. `None` in an answer a lint run shares between the flows that
    /// differ only in their ends' names (see [`super::shared_hops`]): no rule shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub between: Option<Between>,
    /// The subnets of the source and the destination, when they are in one (as `between`
    /// names them).
    #[serde(skip)]
    pub subnets: [Option<SubnetId>; 2],
    /// Each leg, and each of its hops, a pointer to a copy shared with other traces (see
    /// [`super::shared_hops`]).
    pub request: Hops<'n>,
    pub reply: Hops<'n>,
    /// Where packets were lost (none, for most traces: a thin vector takes 8 bytes).
    pub drops: ThinVec<Drop<'n>>,
    /// Request ports that reach the destination.
    pub delivered: CompactPorts,
}

fn ports_str<S: serde::Serializer>(p: &PortSet, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// A trace's two ends, `instance shop.api in subnet shop.app and endpoint shop.ssm in subnet
/// shop.data`: each label a copy shared with the other traces of that end (see
/// [`super::shared_hops`]), joined when shown.
#[derive(Clone, Debug)]
pub struct Between(pub [Label; 2]);

impl fmt::Display for Between {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} and {}", self.0[0], self.0[1])
    }
}

impl Serialize for Between {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A set of ports in 16 bytes: one range inline (most sets), several in a thin vector. A lint
/// run keeps a set for every hop and every trace of every intended flow, where a [`PortSet`]
/// (eight ranges inline, for computing with) takes 40.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CompactPorts {
    /// One range, `from..=to`.
    Range(u16, u16),
    /// No port, or several ranges.
    Ranges(ThinVec<(u16, u16)>),
}

impl CompactPorts {
    pub fn new(ports: &PortSet) -> Self {
        match ports.0.intervals() {
            &[(from, to)] => CompactPorts::Range(from, to),
            more => CompactPorts::Ranges(more.iter().copied().collect()),
        }
    }

    /// The ports, to compute with.
    pub fn get(&self) -> PortSet {
        let set = |ranges: &[(u16, u16)]| {
            ranges.iter().fold(PortSet::default(), |set, &(from, to)| {
                set.union(&PortSet::range(PortRange { from, to }))
            })
        };
        match self {
            CompactPorts::Range(from, to) => set(&[(*from, *to)]),
            CompactPorts::Ranges(ranges) => set(ranges),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, CompactPorts::Ranges(ranges) if ranges.is_empty())
    }
}

impl fmt::Display for CompactPorts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for CompactPorts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The ports a hop's decision applies to, when it applies to only some (16-bit ranges, not
/// the 128-bit ones a [`PortSet`] shares with addresses: half of each hop's 128 bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum HopPorts {
    /// Every port of the leg.
    #[default]
    Every,
    Some(CompactPorts),
}

impl HopPorts {
    /// `None` for every port of the leg.
    pub fn new(ports: Option<&PortSet>) -> Self {
        ports.map_or(HopPorts::Every, |ports| {
            HopPorts::Some(CompactPorts::new(ports))
        })
    }

    pub fn is_every(&self) -> bool {
        matches!(self, HopPorts::Every)
    }

    /// The ports, `None` for every port of the leg.
    pub fn get(&self) -> Option<PortSet> {
        match self {
            HopPorts::Every => None,
            HopPorts::Some(ports) => Some(ports.get()),
        }
    }
}

impl Serialize for HopPorts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            HopPorts::Some(ports) => ports.serialize(s),
            HopPorts::Every => s.serialize_none(),
        }
    }
}

impl<'n> Trace<'n> {
    /// The hops of one leg.
    pub fn hops(&self, leg: Leg) -> &[Arc<Hop<'n>>] {
        match leg {
            Leg::Request => &self.request,
            Leg::Reply => &self.reply,
        }
    }

    /// Some request packet reaches the destination.
    pub fn delivered_any(&self) -> bool {
        !self.delivered.is_empty()
    }
}
