//! The flows a network is meant to carry, derived as RULES.md's "Intent" section says:
//!
//! 1. `expect SRC -> DST ... allowed` lines;
//! 2. security group pairs: an `ingress P N from SG_A` rule on a group of the destination,
//!    and a source that has `SG_A` and whose groups allow that traffic out (to a group of the
//!    destination, or to a CIDR block that covers it);
//! 3. load balancer listeners to their target groups' targets (on the target port), and the
//!    internet to internet-facing load balancers on their listener ports;
//! 4. `uses`: each workload to each AWS service it names and to `internet`, as tcp 443.
//!
//! Lint passes iterate over these flows (a NACL that drops the reply of an intended flow, an
//! endpoint no intended flow uses ...).

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use serde::Serialize;

use super::addressing::{self, AddressPlan};
use super::nacl::{protocol_matches, rule_ports};
use super::packet_set::{AddrSet, PortSet};
use super::security_group::PeerAddresses;
use crate::ir::*;

/// Why a flow is intended.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Expect {
        origin: Origin,
    },
    /// The destination's ingress rule, and the source's egress rule that pairs with it.
    SecurityGroups {
        ingress: Origin,
        egress: Origin,
    },
    Listener {
        load_balancer: LoadBalancerId,
        origin: Origin,
    },
    InternetFacing {
        load_balancer: LoadBalancerId,
        origin: Origin,
    },
    Uses {
        workload: WorkloadId,
    },
}

impl Reason {
    /// Where the intent is written.
    pub fn origin(&self, net: &Network) -> Origin {
        match self {
            Reason::Expect { origin }
            | Reason::Listener { origin, .. }
            | Reason::InternetFacing { origin, .. } => *origin,
            Reason::SecurityGroups { ingress, .. } => *ingress,
            Reason::Uses { workload } => net.workloads[workload.index()].origin,
        }
    }
}

/// One intended flow, as its list ([`IntendedFlows`]) holds it: a lint run keeps every
/// intended flow (hundreds of thousands where a group admits another group's members), so
/// the list holds each end and each list of reasons once, and a flow as 20 bytes that point
/// to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IntendedFlow<'f> {
    pub source: &'f FlowEndpoint,
    pub destination: &'f FlowEndpoint,
    pub protocol: Protocol,
    pub ports: PortRange,
    /// Every reason it is intended (the first found first).
    pub reasons: &'f [Reason],
}

/// What tells two intended flows apart: their ends, protocol and ports.
pub type FlowKey<'f> = (&'f FlowEndpoint, &'f FlowEndpoint, Protocol, PortRange);

impl<'f> IntendedFlow<'f> {
    /// What tells this flow apart from the other intended flows.
    pub fn key(&self) -> FlowKey<'f> {
        (self.source, self.destination, self.protocol, self.ports)
    }
}

/// The intended flows of a network, without duplicates, in a stable order.
pub struct IntendedFlows {
    rows: Vec<Row>,
    /// Each distinct end, and where it is among them.
    ends: Vec<FlowEndpoint>,
    end_ids: HashMap<FlowEndpoint, u32>,
    /// Each distinct list of reasons.
    reasons: Vec<Box<[Reason]>>,
    /// Where each flow is among the rows, found by its ends, protocol and ports.
    lookup: HashTable<u32>,
}

/// A flow of [`IntendedFlows`]: its ends and reasons by their places in the list's own lists.
#[derive(Clone, Copy)]
struct Row {
    source: u32,
    destination: u32,
    ports: PortRange,
    protocol: Protocol,
    reasons: u32,
}

/// What tells two rows apart: their ends (by place), protocol and ports.
type RowKey = (u32, u32, Protocol, PortRange);

impl Row {
    fn key(&self) -> RowKey {
        (self.source, self.destination, self.protocol, self.ports)
    }
}

fn hash_of(key: RowKey) -> u64 {
    FxBuildHasher.hash_one(key)
}

impl IntendedFlows {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Flow `i`, if there are more than `i`.
    pub fn get(&self, i: usize) -> Option<IntendedFlow<'_>> {
        self.rows.get(i).map(|row| self.read(row))
    }

    /// Flow `i`, which must be one of them (an index this list gave).
    pub fn flow(&self, i: usize) -> IntendedFlow<'_> {
        self.read(&self.rows[i])
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = IntendedFlow<'_>> + '_ {
        self.rows.iter().map(|row| self.read(row))
    }

    fn read(&self, row: &Row) -> IntendedFlow<'_> {
        IntendedFlow {
            source: &self.ends[row.source as usize],
            destination: &self.ends[row.destination as usize],
            protocol: row.protocol,
            ports: row.ports,
            reasons: &self.reasons[row.reasons as usize],
        }
    }

    /// The index of the flow with `key`.
    pub fn find(&self, (source, destination, protocol, ports): FlowKey) -> Option<usize> {
        let key = (
            *self.end_ids.get(source)?,
            *self.end_ids.get(destination)?,
            protocol,
            ports,
        );
        self.find_row(key)
    }

    fn find_row(&self, key: RowKey) -> Option<usize> {
        let same = |&i: &u32| self.rows.get(i as usize).is_some_and(|r| r.key() == key);
        (self.lookup.find(hash_of(key), same)).map(|&i| i as usize)
    }

    /// The place of `end` among the ends, added if it is new. A workload's is looked up by
    /// its index (`found`), the others' by hashing.
    fn end_id(&mut self, found: &mut Finding, end: FlowEndpoint) -> u32 {
        let workload = match &end {
            FlowEndpoint::Workload(w) => found.workload_ends.get_mut(w.index()),
            _ => None,
        };
        let id = self.ends.len() as u32;
        match workload {
            Some(&mut known) if known != NO_END => return known,
            Some(slot) => *slot = id, // a workload that becomes an end now
            None => {
                if let Some(&known) = self.end_ids.get(&end) {
                    return known;
                }
            }
        }
        self.ends.push(end.clone());
        self.end_ids.insert(end, id);
        id
    }

    /// The place of `list` among the lists of reasons, added if it is new.
    fn list_id(&mut self, found: &mut Finding, list: &[Reason]) -> u32 {
        if let Some(&id) = found.lists.get(list) {
            return id;
        }
        let id = self.reasons.len() as u32;
        self.reasons.push(list.into());
        found.lists.insert(list.into(), id);
        id
    }

    /// The place of the list of `reason` alone: the flows of one rule come one after
    /// another, so the last one asked is kept.
    fn single_list_id(&mut self, found: &mut Finding, reason: &Reason) -> u32 {
        if let Some((last, id)) = &found.last_single {
            if last == reason {
                return *id;
            }
        }
        let id = self.list_id(found, std::slice::from_ref(reason));
        found.last_single = Some((reason.clone(), id));
        id
    }

    /// Adds a flow, or a reason to the flow already there.
    fn add(
        &mut self,
        found: &mut Finding,
        (source, destination, protocol, ports): (FlowEndpoint, FlowEndpoint, Protocol, PortRange),
        reason: Reason,
    ) {
        if source == destination {
            return;
        }
        let key = (
            self.end_id(found, source),
            self.end_id(found, destination),
            protocol,
            ports,
        );
        if let Some(at) = self.find_row(key) {
            let had = &self.reasons[self.rows[at].reasons as usize];
            if had.contains(&reason) {
                return;
            }
            let mut list = had.to_vec();
            list.push(reason);
            self.rows[at].reasons = self.list_id(found, &list);
            return;
        }
        let reasons = self.single_list_id(found, &reason);
        // Far fewer than 2^32 flows: one per workload, rule or listener and its peers.
        let at = self.rows.len() as u32;
        self.rows.push(Row {
            source: key.0,
            destination: key.1,
            ports,
            protocol,
            reasons,
        });
        let rows = &self.rows;
        let rehash = |&i: &u32| rows.get(i as usize).map_or(0, |r| hash_of(r.key()));
        self.lookup.insert_unique(hash_of(key), at, rehash);
    }
}

/// What finding the intended flows keeps beside them: each distinct list of reasons and its
/// place, the place of the last list of one reason, and each workload's place among the ends
/// ([`NO_END`] until it is one).
struct Finding {
    lists: HashMap<Box<[Reason]>, u32>,
    last_single: Option<(Reason, u32)>,
    workload_ends: Vec<u32>,
}

/// A workload that is no flow's end yet.
const NO_END: u32 = u32::MAX;

impl IntendedFlows {
    pub fn of(net: &Network) -> Self {
        let plan = AddressPlan::new(net);
        let mut out = IntendedFlows {
            rows: Vec::new(),
            ends: Vec::new(),
            end_ids: HashMap::default(),
            reasons: Vec::new(),
            lookup: HashTable::new(),
        };
        let mut found = Finding {
            lists: HashMap::default(),
            last_single: None,
            workload_ends: vec![NO_END; net.workloads.len()],
        };
        let mut add = |source: FlowEndpoint,
                       destination: FlowEndpoint,
                       protocol: Protocol,
                       ports: PortRange,
                       reason: Reason| {
            out.add(&mut found, (source, destination, protocol, ports), reason);
        };

        for e in &net.expects {
            if e.verdict == Verdict::Allowed {
                add(
                    e.source.clone(),
                    e.destination.clone(),
                    e.protocol,
                    e.ports,
                    Reason::Expect { origin: e.origin },
                );
            }
        }

        // Security group pairs.
        let holders = group_holders(net);
        let members = members_by_group(&holders);
        for dst in &holders {
            for &g in &dst.groups {
                for ingress in &net.security_groups[g.index()].ingress {
                    let SgPeer::SecurityGroup(peer) = ingress.peer else {
                        continue;
                    };
                    let wanted = rule_ports(ingress.protocol, ingress.ports);
                    let in_peer = members.get(&peer).map(Vec::as_slice).unwrap_or_default();
                    for src in in_peer
                        .iter()
                        .map(|&h| &holders[h])
                        .filter(|h| h.endpoint != dst.endpoint)
                    {
                        let Some((egress, ports)) =
                            pairing_egress(net, &plan, src, dst, ingress.protocol, &wanted)
                        else {
                            continue;
                        };
                        for range in ports.ranges() {
                            let protocol = if ingress.protocol == Protocol::All {
                                Protocol::Tcp
                            } else {
                                ingress.protocol
                            };
                            add(
                                src.endpoint.clone(),
                                dst.endpoint.clone(),
                                protocol,
                                range,
                                Reason::SecurityGroups {
                                    ingress: ingress.origin,
                                    egress,
                                },
                            );
                        }
                    }
                }
            }
        }

        // Load balancers: listeners to targets, the internet to internet-facing ones.
        for (i, lb) in net.load_balancers.iter().enumerate() {
            let id = Id::new(i);
            for listener in &lb.listeners {
                let protocol = if listener.protocol == "udp" {
                    Protocol::Udp
                } else {
                    Protocol::Tcp
                };
                if !lb.internal {
                    add(
                        FlowEndpoint::Internet,
                        FlowEndpoint::LoadBalancer(id),
                        protocol,
                        PortRange::single(listener.port),
                        Reason::InternetFacing {
                            load_balancer: id,
                            origin: listener.origin,
                        },
                    );
                }
                let tg = &net.target_groups[listener.target_group.index()];
                for target in &tg.targets {
                    let port = target_port(net, tg, target).unwrap_or(listener.port);
                    let destination = match target {
                        Target::Workload(w) => FlowEndpoint::Workload(*w),
                        Target::Address(ip) => FlowEndpoint::Address(Box::new(*ip)),
                    };
                    add(
                        FlowEndpoint::LoadBalancer(id),
                        destination,
                        protocol,
                        PortRange::single(port),
                        Reason::Listener {
                            load_balancer: id,
                            origin: listener.origin,
                        },
                    );
                }
            }
        }

        // `uses`.
        for (i, w) in net.workloads.iter().enumerate() {
            let id = Id::new(i);
            for used in &w.uses {
                let destination = match used {
                    Use::Internet => FlowEndpoint::Internet,
                    Use::Service(s) => FlowEndpoint::Service(s.clone()),
                    Use::EndpointService(es) => match consumer_endpoint(net, w, *es) {
                        Some(e) => FlowEndpoint::Endpoint(e),
                        None => continue,
                    },
                    Use::LatticeService(_) | Use::ResourceConfiguration(_) => continue,
                };
                add(
                    FlowEndpoint::Workload(id),
                    destination,
                    Protocol::Tcp,
                    PortRange::single(443),
                    Reason::Uses { workload: id },
                );
            }
        }
        // A lint run keeps the flows until it ends: no spare capacity.
        out.rows.shrink_to_fit();
        out
    }
}

/// Something with security groups that can be a flow's end.
struct Holder {
    endpoint: FlowEndpoint,
    groups: Vec<SecurityGroupId>,
    addrs: AddrSet,
}

fn group_holders(net: &Network) -> Vec<Holder> {
    let mut out = Vec::new();
    for (i, w) in net.workloads.iter().enumerate() {
        let addrs = w
            .private_ip
            .map(AddrSet::addr)
            .unwrap_or_else(|| addressing::subnets_addrs(net, &w.subnets));
        out.push(Holder {
            endpoint: FlowEndpoint::Workload(Id::new(i)),
            groups: w.security_groups.clone(),
            addrs,
        });
    }
    for (i, lb) in net.load_balancers.iter().enumerate() {
        out.push(Holder {
            endpoint: FlowEndpoint::LoadBalancer(Id::new(i)),
            groups: lb.security_groups.clone(),
            addrs: addressing::subnets_addrs(net, &lb.subnets),
        });
    }
    for (i, e) in net.endpoints.iter().enumerate() {
        if e.kind == EndpointType::Interface {
            out.push(Holder {
                endpoint: FlowEndpoint::Endpoint(Id::new(i)),
                groups: e.security_groups.clone(),
                addrs: addressing::subnets_addrs(net, &e.subnets),
            });
        }
    }
    out
}

/// The holders of each security group, in holder order: the pairs are found per group, not by
/// scanning every holder for every rule (quadratic in a large network).
fn members_by_group(holders: &[Holder]) -> HashMap<SecurityGroupId, Vec<usize>> {
    let mut members: HashMap<SecurityGroupId, Vec<usize>> = HashMap::default();
    for (h, holder) in holders.iter().enumerate() {
        for &g in &holder.groups {
            let list = members.entry(g).or_default();
            if list.last() != Some(&h) {
                list.push(h);
            }
        }
    }
    members
}

/// The egress rule of the source's groups that lets the ingress rule's traffic out toward the
/// destination (to one of its groups, or to a CIDR block covering it), and the ports both
/// allow.
fn pairing_egress(
    net: &Network,
    plan: &AddressPlan,
    src: &Holder,
    dst: &Holder,
    protocol: Protocol,
    wanted: &PortSet,
) -> Option<(Origin, PortSet)> {
    for &g in &src.groups {
        for egress in &net.security_groups[g.index()].egress {
            if !protocol_matches(egress.protocol, protocol)
                && !protocol_matches(protocol, egress.protocol)
            {
                continue;
            }
            let reaches = match &egress.peer {
                SgPeer::SecurityGroup(other) => dst.groups.contains(other),
                SgPeer::Cidr(c) => !dst.addrs.is_empty() && dst.addrs.is_subset(&AddrSet::cidr(c)),
                SgPeer::PrefixList(s) => dst.addrs.is_subset(&plan.service(s)),
            };
            let ports = wanted.intersection(&rule_ports(egress.protocol, egress.ports));
            if reaches && !ports.is_empty() {
                return Some((egress.origin, ports));
            }
        }
    }
    None
}

/// The port a target group sends to a target: the group's port, else the port the target
/// says it listens on.
fn target_port(net: &Network, tg: &TargetGroup, target: &Target) -> Option<u16> {
    match target {
        Target::Workload(w) => tg.port.or(net.workloads[w.index()].port),
        Target::Address(_) => tg.port,
    }
}

/// The reason in words, for listings.
pub fn describe_reason(net: &Network, reason: &Reason) -> String {
    match reason {
        Reason::Expect { .. } => "an `expect` line".to_string(),
        Reason::SecurityGroups { .. } => "security group rules pair up".to_string(),
        Reason::Listener { load_balancer, .. } => format!(
            "a listener of {}",
            net.load_balancers[load_balancer.index()].name
        ),
        Reason::InternetFacing { load_balancer, .. } => format!(
            "{} is internet-facing",
            net.load_balancers[load_balancer.index()].name
        ),
        Reason::Uses { workload } => format!("{} `uses` it", net.workloads[workload.index()].name),
    }
}

/// The interface endpoint through which a workload consumes an endpoint service.
pub fn consumer_endpoint(
    net: &Network,
    w: &Workload,
    service: EndpointServiceId,
) -> Option<EndpointId> {
    let subnet = *w.subnets.first()?;
    super::access::interface_endpoint(net, subnet, |e| {
        e.service == EndpointTarget::EndpointService(service)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lint run keeps every intended flow, hundreds of thousands on a network whose groups
    /// admit other groups' members: what one takes is held here (it was 64 bytes, the ends
    /// and reasons held in each flow).
    #[test]
    fn an_intended_flow_takes_20_bytes() {
        assert_eq!(std::mem::size_of::<Row>(), 20);
        // The ends themselves, held once each, and in queries and `expect` lines.
        assert_eq!(std::mem::size_of::<FlowEndpoint>(), 16);
    }
}
