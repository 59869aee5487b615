//! How a workload reaches an AWS service it uses, in the order LANGUAGE.md gives: a gateway
//! endpoint on its subnet's route table; an interface endpoint in its own VPC; an interface
//! endpoint in another VPC that its subnet routes to through a peering or a transit gateway
//! (the centralized-endpoint pattern); otherwise the service's public endpoint, through
//! whatever the default route is.

use rustc_hash::FxHashMap as HashMap;

use super::addressing;
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
    /// Each service's first gateway endpoint in each route table: the subnets whose table
    /// it names are the only ones it serves.
    gateways: HashMap<(&'n str, RouteTableId), EndpointId>,
    /// Each service's first interface endpoint in each VPC: the one that VPC's subnets use.
    own_interfaces: HashMap<(&'n str, VpcId), EndpointId>,
    /// Each service's interface endpoints, in order: the candidates for a subnet whose
    /// VPC has none of its own.
    interfaces: HashMap<&'n str, Vec<usize>>,
}

impl<'n> ServiceEndpoints<'n> {
    pub fn new(net: &'n Network) -> Self {
        let mut index = ServiceEndpoints {
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
                    index.interfaces.entry(service).or_default().push(i);
                }
            }
        }
        index
    }

    /// How a workload in subnet `from` reaches `service`, in the order of the module's doc.
    pub fn access(&self, net: &Network, from: SubnetId, service: &str) -> Access {
        let subnet = &net.subnets[from.index()];
        if let Some(&e) = self.gateways.get(&(service, subnet.route_table)) {
            return Access::GatewayEndpoint(e);
        }
        if let Some(&e) = self.own_interfaces.get(&(service, subnet.vpc)) {
            return Access::InterfaceEndpoint(e);
        }
        let among = self.interfaces.get(service).map_or(&[][..], Vec::as_slice);
        interface_among(net, from, among.iter().copied())
            .map(Access::InterfaceEndpoint)
            .unwrap_or(Access::Public)
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
    let table = &net.route_tables[subnet.route_table.index()];
    candidates
        .into_iter()
        .find(|&e| {
            let addrs = addressing::subnets_addrs(net, &net.endpoints[e].subnets);
            !addrs.is_empty()
                && routing::lookup(table, &addrs).iter().all(|(route, _)| {
                    matches!(
                        route.map(|r| r.target),
                        Some(RouteTarget::Peering(_) | RouteTarget::TransitGateway(_))
                    )
                })
        })
        .map(Id::new)
}
