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

pub fn service_access(net: &Network, from: SubnetId, service: &str) -> Access {
    access_among(net, from, service, 0..net.endpoints.len())
}

/// The endpoints of each AWS service, in order: answers [`service_access`] without a scan of
/// every endpoint of the network per question (a lint run asks once per workload and service).
pub struct ServiceEndpoints<'n> {
    by_service: HashMap<&'n str, Vec<usize>>,
    /// The same, by service and VPC: the usual answer is in the subnet's own VPC, and a
    /// service's endpoints across a large network (an S3 gateway endpoint in each of 500
    /// VPCs) made each question cost the network's size.
    by_service_vpc: HashMap<(&'n str, VpcId), Vec<usize>>,
}

impl<'n> ServiceEndpoints<'n> {
    pub fn new(net: &'n Network) -> Self {
        let mut by_service: HashMap<&'n str, Vec<usize>> = HashMap::default();
        let mut by_service_vpc: HashMap<(&'n str, VpcId), Vec<usize>> = HashMap::default();
        for (i, e) in net.endpoints.iter().enumerate() {
            if let EndpointTarget::Aws(s) = &e.service {
                by_service.entry(s.as_str()).or_default().push(i);
                by_service_vpc
                    .entry((s.as_str(), e.vpc))
                    .or_default()
                    .push(i);
            }
        }
        ServiceEndpoints {
            by_service,
            by_service_vpc,
        }
    }

    /// [`service_access`], the same answer.
    pub fn access(&self, net: &Network, from: SubnetId, service: &str) -> Access {
        let subnet = &net.subnets[from.index()];
        // A gateway endpoint serves only route tables of its own VPC, and an interface
        // endpoint of the subnet's VPC comes before any other: both are among the VPC's own.
        let own = (self.by_service_vpc.get(&(service, subnet.vpc))).map_or(&[][..], Vec::as_slice);
        let endpoint = |i: &usize| &net.endpoints[*i];
        if let Some(&e) = own.iter().find(|i| {
            endpoint(i).kind == EndpointType::Gateway
                && endpoint(i).route_tables.contains(&subnet.route_table)
        }) {
            return Access::GatewayEndpoint(Id::new(e));
        }
        if let Some(&e) = own
            .iter()
            .find(|i| endpoint(i).kind == EndpointType::Interface)
        {
            return Access::InterfaceEndpoint(Id::new(e));
        }
        let among = self.by_service.get(service).map_or(&[][..], Vec::as_slice);
        access_among(net, from, service, among.iter().copied())
    }
}

/// [`service_access`] among some endpoints (indices in ascending order).
fn access_among(
    net: &Network,
    from: SubnetId,
    service: &str,
    among: impl Iterator<Item = usize> + Clone,
) -> Access {
    let subnet = &net.subnets[from.index()];
    let is_service = |e: &Endpoint| matches!(&e.service, EndpointTarget::Aws(s) if s == service);
    if let Some(e) = among.clone().find(|&i| {
        let e = &net.endpoints[i];
        e.kind == EndpointType::Gateway
            && is_service(e)
            && e.route_tables.contains(&subnet.route_table)
    }) {
        return Access::GatewayEndpoint(Id::new(e));
    }
    interface_among(net, from, among.filter(|&i| is_service(&net.endpoints[i])))
        .map(Access::InterfaceEndpoint)
        .unwrap_or(Access::Public)
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
