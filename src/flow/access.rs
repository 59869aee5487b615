//! How a workload reaches an AWS service it uses, in the order LANGUAGE.md gives: a gateway
//! endpoint on its subnet's route table; an interface endpoint in its own VPC; an interface
//! endpoint in another VPC that its subnet routes to through a peering or a transit gateway
//! (the centralized-endpoint pattern); otherwise the service's public endpoint, through
//! whatever the default route is.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use super::addressing;
use super::packet_set::AddrSet;
use super::routing;
use crate::ir::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    GatewayEndpoint(EndpointId),
    InterfaceEndpoint(EndpointId),
    /// The service's public addresses, by the route table's routes.
    Public,
}

/// The endpoints of each AWS service, indexed so that a question costs no scan of the
/// network's endpoints: a lint run asks once per workload and service, and a service can
/// have an endpoint in each of hundreds of VPCs (an S3 gateway endpoint in each of 500).
pub struct ServiceEndpoints<'n> {
    index: Arc<ServiceIndex<'n>>,
    /// Not shared with [`Self::sharing_index`]'s copies, whose routes may differ.
    elsewhere: Mutex<Elsewhere>,
}

/// What [`ServiceEndpoints::access`] found for subnets whose VPC has no interface endpoint of
/// the service.
#[derive(Default)]
struct Elsewhere {
    /// The answers, by the service's number and the route table, which decide them.
    answers: HashMap<(usize, RouteTableId), Option<EndpointId>>,
    /// The addresses each route table sends over a peering or to a transit gateway: an
    /// endpoint in another VPC serves a table that sends all its subnets' addresses so.
    /// Found once per table, where a route lookup per candidate endpoint was quadratic in a
    /// network whose endpoints are in one VPC of three (`bench/shapes.py workloads`).
    crossing: HashMap<RouteTableId, AddrSet>,
    /// The addresses of each interface endpoint's subnets.
    endpoint_addrs: HashMap<usize, AddrSet>,
}

/// What [`ServiceEndpoints`] finds endpoints by: the endpoints alone, not the routes.
struct ServiceIndex<'n> {
    /// Each service's first gateway endpoint in each route table: the subnets whose table
    /// it names are the only ones it serves.
    gateways: HashMap<(&'n str, RouteTableId), EndpointId>,
    /// Each service's first interface endpoint in each VPC: the one that VPC's subnets use.
    own_interfaces: HashMap<(&'n str, VpcId), EndpointId>,
    /// Each service's number (for `elsewhere`) and interface endpoints, in order: the
    /// candidates for a subnet whose VPC has none of its own.
    interfaces: HashMap<&'n str, (usize, Vec<usize>)>,
}

impl<'n> ServiceEndpoints<'n> {
    pub fn new(net: &'n Network) -> Self {
        let mut index = ServiceIndex {
            gateways: HashMap::default(),
            own_interfaces: HashMap::default(),
            interfaces: HashMap::default(),
        };
        for (i, e) in net.endpoints.iter().enumerate() {
            let EndpointTarget::Aws(service) = &e.service else {
                continue;
            };
            let service = service.as_str();
            match e.kind {
                EndpointType::Gateway => {
                    for table in &e.route_tables {
                        index
                            .gateways
                            .entry((service, *table))
                            .or_insert(Id::new(i));
                    }
                }
                EndpointType::Interface => {
                    index
                        .own_interfaces
                        .entry((service, e.vpc))
                        .or_insert(Id::new(i));
                    let number = index.interfaces.len();
                    let entry = index.interfaces.entry(service);
                    entry.or_insert_with(|| (number, Vec::new())).1.push(i);
                }
            }
        }
        ServiceEndpoints {
            index: Arc::new(index),
            elsewhere: Mutex::default(),
        }
    }

    /// The same index, for a copy of the network with the same endpoints (routes may differ).
    pub fn sharing_index(&self) -> Self {
        ServiceEndpoints {
            index: self.index.clone(),
            elsewhere: Mutex::default(),
        }
    }

    /// How a workload in subnet `from` reaches `service`, in the order of the module's doc.
    pub fn access(&self, net: &Network, from: SubnetId, service: &str) -> Access {
        let subnet = &net.subnets[from.index()];
        let index = &self.index;
        if let Some(&e) = index.gateways.get(&(service, subnet.route_table)) {
            return Access::GatewayEndpoint(e);
        }
        if let Some(&e) = index.own_interfaces.get(&(service, subnet.vpc)) {
            return Access::InterfaceEndpoint(e);
        }
        let Some((number, among)) = index.interfaces.get(service) else {
            return Access::Public;
        };
        let key = (*number, subnet.route_table);
        let mut memo = self.elsewhere.lock().unwrap_or_else(|e| e.into_inner());
        let found = match memo.answers.get(&key) {
            Some(&found) => found,
            None => {
                let found = memo.interface_elsewhere(net, subnet.route_table, among);
                memo.answers.insert(key, found);
                found
            }
        };
        found.map_or(Access::Public, Access::InterfaceEndpoint)
    }
}

impl Elsewhere {
    /// [`interface_among`] of the service's interface endpoints `among` (none in the
    /// subnet's VPC: [`ServiceIndex::own_interfaces`] has answered for those), for a subnet
    /// on route table `table`.
    fn interface_elsewhere(
        &mut self,
        net: &Network,
        table: RouteTableId,
        among: &[usize],
    ) -> Option<EndpointId> {
        let crossing = (self.crossing.entry(table))
            .or_insert_with(|| crossing(&net.route_tables[table.index()]));
        let endpoint_addrs = &mut self.endpoint_addrs;
        among
            .iter()
            .copied()
            .find(|&e| {
                let addrs = endpoint_addrs
                    .entry(e)
                    .or_insert_with(|| addressing::subnets_addrs(net, &net.endpoints[e].subnets));
                !addrs.is_empty() && addrs.is_subset(crossing)
            })
            .map(Id::new)
    }
}

/// The interface endpoint (matching `wanted`) a subnet's workloads use: one in its own VPC,
/// else one in a VPC its route table sends the endpoint's subnets to over a peering or a
/// transit gateway.
pub fn interface_endpoint(
    net: &Network,
    from: SubnetId,
    wanted: impl Fn(&Endpoint) -> bool,
) -> Option<EndpointId> {
    interface_among(
        net,
        from,
        (0..net.endpoints.len()).filter(|&i| wanted(&net.endpoints[i])),
    )
}

fn interface_among(
    net: &Network,
    from: SubnetId,
    among: impl Iterator<Item = usize>,
) -> Option<EndpointId> {
    let subnet = &net.subnets[from.index()];
    let candidates: Vec<usize> = among
        .filter(|&i| net.endpoints[i].kind == EndpointType::Interface)
        .collect();
    if let Some(&e) = candidates
        .iter()
        .find(|&&e| net.endpoints[e].vpc == subnet.vpc)
    {
        return Some(Id::new(e));
    }
    let crossing = crossing(&net.route_tables[subnet.route_table.index()]);
    candidates
        .into_iter()
        .find(|&e| {
            let addrs = addressing::subnets_addrs(net, &net.endpoints[e].subnets);
            !addrs.is_empty() && addrs.is_subset(&crossing)
        })
        .map(Id::new)
}

/// The addresses route table `table` sends over a peering or to a transit gateway: an
/// interface endpoint in another VPC serves the table's subnets when all its subnets' addresses
/// are among them. Found with one route lookup of every address, not one per candidate.
fn crossing(table: &RouteTable) -> AddrSet {
    let parts = routing::lookup(table, &AddrSet::all()).into_iter();
    parts
        .filter(|(route, _)| {
            matches!(
                route.map(|r| r.target),
                Some(RouteTarget::Peering(_) | RouteTarget::TransitGateway(_))
            )
        })
        .fold(AddrSet::empty(), |acc, (_, part)| acc.union(&part))
}
