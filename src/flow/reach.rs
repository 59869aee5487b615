//! A flow query from end to end: every placement of the source to every placement of the
//! destination, the request then the reply, and the verdict.

use std::sync::Arc;

use super::access::{self, Access};
use super::addressing::AddressPlan;
use super::packet_set::PortSet;
use super::party::{self, Party, Place};
use super::path::{Arrival, Mode, Packet, Walk};
use super::shared_hops::SharedHops;
use super::trace::{Between, CompactPorts, Leg, Outcome, Trace};
use crate::ir::*;
use crate::syntax::Direction;

/// Settings of the analysis (`vnet.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowConfig {
    /// The client ports replies go to (`ephemeral_ports`; AWS advises 1024-65535).
    pub ephemeral: PortRange,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig {
            ephemeral: PortRange {
                from: 1024,
                to: 65535,
            },
        }
    }
}

/// A flow to analyse.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Query {
    pub source: FlowEndpoint,
    pub destination: FlowEndpoint,
    pub protocol: Protocol,
    pub ports: PortRange,
}

/// The answer to a query.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Reach<'n> {
    /// The verdict for every address of both ends (and every placement).
    pub outcome: Outcome,
    /// The verdict for some address of each end, in every placement: what `expect ...
    /// allowed` requires (a range such as an on-premises network need not be allowed whole).
    pub outcome_for_some: Outcome,
    /// Some request packet from some address reaches the destination (what `expect ...
    /// denied` forbids).
    pub delivered_any: bool,
    /// One per pair of placements, worst first (a lint run keeps every intended flow's: no
    /// spare capacity).
    pub traces: Box<[Trace<'n>]>,
}

/// Whether an answer names its ends ([`Trace::between`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    Named,
    Unnamed,
}

/// The flow engine over one network.
pub struct Engine<'n> {
    pub net: &'n Network,
    pub plan: Arc<AddressPlan>,
    /// How subnets reach AWS services (asked for every flow to a service).
    pub services: access::ServiceEndpoints<'n>,
    pub config: FlowConfig,
}

impl<'n> Engine<'n> {
    pub fn new(net: &'n Network, config: FlowConfig) -> Self {
        Engine {
            net,
            plan: Arc::new(AddressPlan::new(net)),
            services: access::ServiceEndpoints::new(net),
            config,
        }
    }

    /// An engine over `net`, a copy of this engine's network with only route tables, network
    /// ACLs or security groups' rules changed: what its indexes hold (addresses, group
    /// members, endpoints, attachments, gateways) is the same, so they are shared. Building
    /// them again for every fix a lint rule checks was quadratic in the network's size.
    pub fn with_filters_changed<'c>(&self, net: &'c Network) -> Engine<'c>
    where
        'n: 'c,
    {
        Engine {
            net,
            plan: self.plan.clone(),
            services: self.services.sharing_index(),
            config: self.config,
        }
    }

    /// Analyses a flow; `Err` says why it cannot be (an end vnet does not model).
    pub fn reach(&self, query: &Query) -> Result<Reach<'n>, String> {
        self.reach_sharing(query, &SharedHops::default())
    }

    /// [`Self::reach`], its traces' hops shared with those of the other flows that `hops`
    /// has seen (a lint run keeps the traces of every intended flow).
    pub fn reach_sharing(&self, query: &Query, hops: &SharedHops<'n>) -> Result<Reach<'n>, String> {
        self.answer(query, hops, Naming::Named)
    }

    /// [`Self::reach_sharing`], without the ends' names, and the whole answer shared with
    /// the equal answers `hops` has given: a lint run keeps an answer for every intended
    /// flow, and most flows differ from many others only in their ends' names (the members
    /// of a security group that admits another group's members, in one subnet).
    pub fn reach_shared(
        &self,
        query: &Query,
        hops: &SharedHops<'n>,
    ) -> Result<Arc<Reach<'n>>, String> {
        let answer = self.answer(query, hops, Naming::Unnamed)?;
        Ok(hops.share_reach(answer))
    }

    fn answer(
        &self,
        query: &Query,
        hops: &SharedHops<'n>,
        naming: Naming,
    ) -> Result<Reach<'n>, String> {
        if query.protocol == Protocol::All {
            // Every protocol must pass: the worst of tcp, udp and icmp.
            let mut worst: Option<Reach<'n>> = None;
            for protocol in [Protocol::Tcp, Protocol::Udp, Protocol::Icmp] {
                let query = Query {
                    protocol,
                    ..query.clone()
                };
                let r = self.answer(&query, hops, naming)?;
                if worst
                    .as_ref()
                    .is_none_or(|w| rank(r.outcome) > rank(w.outcome))
                {
                    worst = Some(r);
                }
            }
            return worst.ok_or_else(|| "no protocol".to_string());
        }
        let sources = party::parties(self.net, &self.plan, &query.source)?;
        let mut traces = Vec::new();
        let mut outcome_for_some = Outcome::Completed;
        let mut delivered_any = false;
        for src in &sources {
            for dst in self.destinations(src, &query.destination)? {
                let walk = |mode| {
                    self.trace(
                        src,
                        &dst,
                        (query.protocol, query.ports),
                        (mode, naming),
                        hops,
                    )
                };
                let every = walk(Mode::Every);
                // What passes for every address passes for some: a completed flow needs no
                // second walk. Otherwise the verdict for some addresses, without its words.
                let (some_outcome, some_delivered) = if every.outcome == Outcome::Completed {
                    (Outcome::Completed, every.delivered_any())
                } else {
                    let some = walk(Mode::Some);
                    (some.outcome, some.delivered_any())
                };
                traces.push(every);
                delivered_any |= some_delivered;
                if rank(some_outcome) > rank(outcome_for_some) {
                    outcome_for_some = some_outcome;
                }
            }
        }
        if traces.is_empty() {
            outcome_for_some = Outcome::RequestDropped;
        }
        traces.sort_by_key(|t| std::cmp::Reverse(rank(t.outcome)));
        let outcome = traces
            .first()
            .map(|t| t.outcome)
            .unwrap_or(Outcome::RequestDropped);
        Ok(Reach {
            outcome,
            outcome_for_some,
            delivered_any,
            traces: traces.into(),
        })
    }

    /// The destination's parties; an AWS service is reached through the endpoint the
    /// source's subnet would use.
    pub fn destinations(&self, src: &Party, dst: &FlowEndpoint) -> Result<Vec<Party>, String> {
        if let (FlowEndpoint::Service(s), Some(subnet)) = (dst, src.subnet()) {
            if let Access::InterfaceEndpoint(e) = self.services.access(self.net, subnet, s) {
                return party::parties(self.net, &self.plan, &FlowEndpoint::Endpoint(e));
            }
        }
        party::parties(self.net, &self.plan, dst)
    }

    fn trace(
        &self,
        src: &Party,
        dst: &Party,
        (protocol, ports): (Protocol, PortRange),
        (mode, naming): (Mode, Naming),
        shared: &SharedHops<'n>,
    ) -> Trace<'n> {
        // Both ends speak a family they share.
        let (mut src, mut dst) = (src.clone(), dst.clone());
        src.addrs = src.addrs.in_families_of(&dst.addrs);
        dst.addrs = dst.addrs.in_families_of(&src.addrs);
        let (src, dst) = (&src, &dst);
        let requested = if protocol.has_ports() {
            PortSet::range(ports)
        } else {
            PortSet::all()
        };
        let mut request = Walk::new(self.net, &self.plan, Leg::Request, shared);
        request.mode = mode;
        // Only the walk for every address is shown; the other gives a verdict.
        request.record = mode == Mode::Every;
        let pkt = Packet {
            protocol,
            src: src.addrs.clone(),
            dst: dst.addrs.clone(),
            public: src.public,
        };
        let mut delivered = request.groups(src, dst, Direction::Outbound, &pkt, requested.clone());
        delivered = match &src.place {
            Place::Subnet(s) => request.forward(*s, Arrival::Origin, dst, &pkt, delivered),
            outside => request.enter(outside, dst, &pkt, delivered),
        };
        delivered = request.groups(dst, src, Direction::Inbound, &pkt, delivered);

        let mut reply = Walk::new(self.net, &self.plan, Leg::Reply, shared);
        reply.mode = mode;
        reply.record = request.record;
        reply.nat_used = request.nat_used;
        let expected_reply = if protocol.has_ports() {
            PortSet::range(self.config.ephemeral)
        } else {
            PortSet::all()
        };
        let answered = if delivered.is_empty() {
            PortSet::default()
        } else {
            let rpkt = Packet {
                protocol,
                src: dst.addrs.clone(),
                dst: src.addrs.clone(),
                public: dst.public,
            };
            match &dst.place {
                Place::Subnet(t) => {
                    reply.forward(*t, Arrival::Origin, src, &rpkt, expected_reply.clone())
                }
                outside => reply.enter(outside, src, &rpkt, expected_reply.clone()),
            }
        };
        let outcome = if delivered != requested {
            Outcome::RequestDropped
        } else if answered != expected_reply {
            Outcome::ReplyDropped
        } else {
            Outcome::Completed
        };
        let mut drops = request.drops;
        if !delivered.is_empty() {
            drops.extend(reply.drops);
        }
        let reply_hops = if delivered.is_empty() {
            Vec::new()
        } else {
            reply.hops
        };

        let between = (naming == Naming::Named)
            .then(|| Between([src, dst].map(|p| shared.share_label(place_label(self.net, p)))));
        Trace {
            outcome,
            between,
            subnets: [src.subnet(), dst.subnet()],
            request: shared.share_leg(request.hops),
            reply: shared.share_leg(reply_hops),
            drops: drops.into(),
            delivered: CompactPorts::new(&delivered),
        }
    }
}

/// The parts of `instance shop.api in subnet shop.app`, joined once for all the traces of a
/// thread from or to there (see [`SharedHops::share_label`]).
fn place_label<'a>(net: &'a Network, p: &'a Party) -> [&'a str; 3] {
    match p.place {
        Place::Subnet(s) => [&p.label, " in subnet ", &net.subnets[s.index()].name],
        _ => [&p.label, "", ""],
    }
}

fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Completed => 0,
        Outcome::ReplyDropped => 1,
        Outcome::RequestDropped => 2,
    }
}
