//! Routing from a subnet: the route table's longest match, then the next hop it names.

use super::describe::*;
use super::fixes;
use super::*;
use crate::flow::addressing::{self};
use crate::flow::explain::Kind;
use crate::flow::packet_set::PortSet;
use crate::flow::party::{Party, Place};
use crate::flow::routing;
use crate::flow::trace::{Decision, Explanation};
use crate::syntax::Direction;

impl<'n> Walk<'n, '_> {
    // --- Routing -------------------------------------------------------------------------

    /// Forwards the packets from an interface in `at` toward `dst`; returns the ports that
    /// arrive at `dst` (before its security groups).
    pub fn forward(
        &mut self,
        at: SubnetId,
        arrival: Arrival,
        dst: &Party,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        if ports.is_empty() {
            return ports;
        }
        if self.depth > MAX_DEPTH {
            return self.drop(
                Explanation::NoRouteToDestination,
                "routing",
                &ports,
                "the route loops",
                "fix the routes so that they do not send the packets in a circle",
                None,
            );
        }
        let net = self.net;
        let subnet = &net.subnets[at.index()];
        let table = &net.route_tables[subnet.route_table.index()];
        let parts = routing::lookup(table, &pkt.dst);
        self.depth += 1;
        let mut arrived: Option<PortSet> = None;
        for (route, part) in parts {
            let mut sub = pkt.clone();
            sub.dst = part;
            let got = match route {
                None => {
                    let message = format!("no route matches {}", describe_addrs(&sub.dst));
                    // Words only a recorded walk keeps: not made for a verdict-only walk.
                    let fix = match self.record {
                        true => fixes::route_fix(net, self.plan, at, dst, pkt.public),
                        false => String::new(),
                    };
                    self.drop(
                        Explanation::NoRouteToDestination,
                        Component::item(Kind::RouteTable, &table.name),
                        &ports,
                        message,
                        fix,
                        Some(table.origin),
                    )
                }
                Some(route) => {
                    self.hop(
                        Component::item(Kind::RouteTable, &table.name),
                        Decision::Forward,
                        Note::Route(net, route),
                        None,
                        Some(route.origin),
                    );
                    self.next_hop(at, arrival, route, dst, &sub, ports.clone())
                }
            };
            arrived = Some(match (arrived, self.mode) {
                (None, _) => got,
                (Some(a), Mode::Every) => a.intersection(&got),
                (Some(a), Mode::Some) => a.union(&got),
            });
        }
        self.depth -= 1;
        arrived.unwrap_or_default()
    }

    pub(super) fn next_hop(
        &mut self,
        at: SubnetId,
        arrival: Arrival,
        route: &Route,
        dst: &Party,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        let net = self.net;
        let subnet = &net.subnets[at.index()];
        let vpc = subnet.vpc;
        match route.target {
            RouteTarget::Local => {
                let target = match dst.place {
                    Place::Subnet(t) if net.subnets[t.index()].vpc == vpc => Some(t),
                    _ => pkt
                        .dst
                        .sample()
                        .and_then(|ip| addressing::subnet_of(net, ip)),
                };
                let Some(target) = target.filter(|t| net.subnets[t.index()].vpc == vpc) else {
                    return self.drop(
                        Explanation::DestinationUnreachable,
                        format!("vpc {}", net.vpcs[vpc.index()].name),
                        &ports,
                        format!(
                            "no subnet of VPC {} holds {}",
                            net.vpcs[vpc.index()].name,
                            describe_addrs(&pkt.dst)
                        ),
                        "address the packets to an interface that exists",
                        None,
                    );
                };
                let ports = self.cross(at, target, pkt, ports);
                if !ports.is_empty() && dst.place != Place::Subnet(target) {
                    return self.drop(
                        Explanation::DestinationUnreachable,
                        format!("subnet {}", net.subnets[target.index()].name),
                        &ports,
                        format!(
                            "{} is not in subnet {}",
                            dst.label,
                            net.subnets[target.index()].name
                        ),
                        String::new(),
                        None,
                    );
                }
                ports
            }
            RouteTarget::Blackhole => self.drop(
                Explanation::BlackholeRoute,
                format!(
                    "route_table {}",
                    net.route_tables[subnet.route_table.index()].name
                ),
                &ports,
                format!(
                    "the route to {} is a blackhole",
                    describe_destination(&route.destination)
                ),
                "point the route at a gateway that exists, or remove it",
                Some(route.origin),
            ),
            RouteTarget::InternetGateway(g) => {
                self.internet_gateway(at, arrival, g, dst, pkt, ports)
            }
            RouteTarget::NatGateway(n) => self.nat_gateway(at, n, dst, pkt, ports),
            RouteTarget::GatewayEndpoint(e) => {
                let endpoint = &net.endpoints[e.index()];
                let ports = self.nacl(at, Direction::Outbound, pkt, ports);
                if ports.is_empty() {
                    return ports;
                }
                let service = match &endpoint.service {
                    EndpointTarget::Aws(s) => s.clone(),
                    EndpointTarget::EndpointService(_) => String::new(),
                };
                if dst.place == Place::Service(service.clone()) {
                    self.hop(
                        Component::item(Kind::Endpoint, &endpoint.name),
                        Decision::Deliver,
                        format!("gateway endpoint to {service}"),
                        None,
                        Some(endpoint.origin),
                    );
                    ports
                } else {
                    self.drop(
                        Explanation::DestinationUnreachable,
                        Component::item(Kind::Endpoint, &endpoint.name),
                        &ports,
                        format!(
                            "gateway endpoint {} leads to {service}, not to {}",
                            endpoint.name, dst.label
                        ),
                        String::new(),
                        Some(endpoint.origin),
                    )
                }
            }
            RouteTarget::VpnGateway(v) => {
                let ports = self.nacl(at, Direction::Outbound, pkt, ports);
                let gw = &net.vpn_gateways[v.index()];
                match dst.place {
                    Place::OnPremises(o)
                        if connected(net, self.plan, o, ConnectionGateway::VpnGateway(v)) =>
                    {
                        self.hop(
                            Component::item(Kind::VpnGateway, &gw.name),
                            Decision::Deliver,
                            format!("to on_premises {}", net.on_premises[o.index()].name),
                            None,
                            Some(gw.origin),
                        );
                        ports
                    }
                    Place::OnPremises(o) => self.drop(
                        Explanation::NoVpnConnection,
                        Component::item(Kind::VpnGateway, &gw.name),
                        &ports,
                        format!(
                            "on_premises {} has no connection to vpn_gateway {}",
                            net.on_premises[o.index()].name,
                            gw.name
                        ),
                        format!(
                            "add `connection NAME {{ type vpn  gateway {} }}` to on_premises {}",
                            gw.name,
                            net.on_premises[o.index()].name
                        ),
                        Some(gw.origin),
                    ),
                    _ => self.drop(
                        Explanation::NoRouteToDestination,
                        Component::item(Kind::VpnGateway, &gw.name),
                        &ports,
                        format!("{} is not on premises", dst.label),
                        String::new(),
                        Some(gw.origin),
                    ),
                }
            }
            RouteTarget::Peering(p) => self.peering(at, arrival, p, dst, pkt, ports),
            RouteTarget::TransitGateway(t) => self.transit_gateway(at, t, dst, pkt, ports),
            RouteTarget::Instance(w) => {
                let appliance = &net.workloads[w.index()];
                let Some(&next) = appliance.subnets.first() else {
                    return PortSet::default();
                };
                let ports = self.cross(at, next, pkt, ports);
                self.hop(
                    Component::item(Kind::Instance, &appliance.name),
                    Decision::Forward,
                    "forwards the packets (its source/destination check must be off)",
                    None,
                    Some(appliance.origin),
                );
                self.forward(next, Arrival::Appliance, dst, pkt, ports)
            }
        }
    }
}
