//! Next hops that lead out of the subnet's VPC or change the packets: internet and NAT
//! gateways, peering connections and transit gateways.

use super::describe::*;
use super::fixes;
use super::*;
use crate::flow::addressing::{self};
use crate::flow::explain::{Kind, Note};
use crate::flow::packet_set::PortSet;
use crate::flow::party::{Party, Place};
use crate::flow::routing;
use crate::flow::trace::{Decision, Explanation, Leg};
use crate::syntax::Direction;

impl<'n> Walk<'n, '_> {
    pub(super) fn internet_gateway(
        &mut self,
        at: SubnetId,
        arrival: Arrival,
        g: InternetGatewayId,
        dst: &Party,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        let net = self.net;
        let igw = &net.internet_gateways[g.index()];
        let component = Component::item(Kind::InternetGateway, &igw.name);
        if !matches!(dst.place, Place::Internet | Place::Service(_)) {
            return self.drop(
                Explanation::NoRouteToDestination,
                component,
                &ports,
                format!(
                    "{} is not on the internet, and an internet gateway carries nothing else",
                    dst.label
                ),
                match self.record {
                    true => fixes::route_fix(net, self.plan, at, dst, pkt.public),
                    false => String::new(),
                },
                Some(igw.origin),
            );
        }
        let translated = matches!(arrival, Arrival::Nat(_));
        if !pkt.public && !translated {
            let subnet = &net.subnets[at.index()];
            return self.drop(
                Explanation::NoPublicIp,
                component,
                &ports,
                format!("the sender has no public IP address, and the internet gateway carries only traffic of public addresses (subnet {} routes to it directly)", subnet.name),
                "give the sender a public IP (`public_ip true`), or route its subnet's internet traffic through a NAT gateway",
                Some(igw.origin),
            );
        }
        let ports = self.nacl(at, Direction::Outbound, pkt, ports);
        if !ports.is_empty() {
            self.hop(
                component,
                Decision::Deliver,
                format!("to {}", dst.label),
                None,
                Some(igw.origin),
            );
        }
        ports
    }

    pub(super) fn nat_gateway(
        &mut self,
        at: SubnetId,
        n: NatGatewayId,
        dst: &Party,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        let net = self.net;
        let nat = &net.nat_gateways[n.index()];
        let component = Component::item(Kind::NatGateway, &nat.name);
        if self.leg == Leg::Reply {
            return self.drop(
                Explanation::NoReturnRoute,
                component,
                &ports,
                format!("the reply is routed through NAT gateway {}, which would change its source address: the client drops it", nat.name),
                match dst.place {
                    Place::Internet => "reach the server through an internet-facing load balancer, or move it to a subnet whose route table sends 0.0.0.0/0 to the internet gateway",
                    _ => "route the replies back the way the requests came",
                },
                Some(nat.origin),
            );
        }
        let Some(nat_subnet) = nat.subnet else {
            return PortSet::default();
        };
        let ports = self.cross(at, nat_subnet, pkt, ports);
        if ports.is_empty() {
            return ports;
        }
        self.hop(
            component,
            Decision::Forward,
            "translates the source address",
            None,
            Some(nat.origin),
        );
        self.nat_used = Some(n);
        let mut translated = pkt.clone();
        translated.src = addressing::subnet_addrs(&net.subnets[nat_subnet.index()]);
        translated.public = nat.public;
        let before = self.drops.len();
        let got = self.forward(nat_subnet, Arrival::Nat(n), dst, &translated, ports);
        // A public NAT gateway's own subnet must route to the internet gateway.
        if nat.public
            && self.drops[before..]
                .iter()
                .any(|d| d.explanation == Explanation::NoRouteToDestination)
        {
            if let Some(d) = self.drops[before..]
                .iter_mut()
                .find(|d| d.explanation == Explanation::NoRouteToDestination)
            {
                d.explanation = Explanation::NatGatewayNoInternetRoute;
                d.fix = fixes::nat_internet_route_fix(net, nat, nat_subnet).into();
            }
        }
        got
    }

    pub(super) fn peering(
        &mut self,
        at: SubnetId,
        arrival: Arrival,
        p: PeeringId,
        dst: &Party,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        let net = self.net;
        let peering = &net.peerings[p.index()];
        let component = Component::item(Kind::Peering, &peering.name);
        let here = net.subnets[at.index()].vpc;
        let other = match (peering.requester, peering.accepter) {
            (Some(a), Some(b)) if a == here => b,
            (Some(a), Some(b)) if b == here => a,
            _ => {
                return self.drop(
                    Explanation::ConnectionDoesNotReach,
                    component,
                    &ports,
                    format!(
                        "peering {} does not connect VPC {}",
                        peering.name,
                        net.vpcs[here.index()].name
                    ),
                    String::new(),
                    Some(peering.origin),
                )
            }
        };
        if arrival != Arrival::Origin && arrival != Arrival::Appliance {
            return self.drop(
                Explanation::NoEdgeToEdgeRouting,
                component,
                &ports,
                "traffic that entered this VPC through a gateway cannot leave through a peering",
                String::new(),
                Some(peering.origin),
            );
        }
        let other_vpc = &net.vpcs[other.index()];
        let target = match dst.place {
            Place::Subnet(t) if net.subnets[t.index()].vpc == other => Some(t),
            _ => None,
        };
        let Some(target) = target else {
            let here_name = &net.vpcs[here.index()].name;
            let (why, code, fix) = match dst.place {
                Place::Subnet(t) => {
                    let far = &net.vpcs[net.subnets[t.index()].vpc.index()].name;
                    (
                        format!("{} is in VPC {far}, not in VPC {}: a peering is not transitive", dst.label, other_vpc.name),
                        Explanation::NonTransitivePeering,
                        format!("peer VPC {here_name} and VPC {far} directly (`peering NAME {{ requester {here_name}  accepter {far} }}`, with routes on both sides), or attach both to a transit gateway"),
                    )
                }
                _ => (
                    format!("a peering reaches only VPC {} itself, not its gateways, endpoints or connections", other_vpc.name),
                    Explanation::NoEdgeToEdgeRouting,
                    format!("VPC {here_name} needs its own way out: {}", fixes::route_fix(net, self.plan, at, dst, pkt.public)),
                ),
            };
            return self.drop(code, component, &ports, why, fix, Some(peering.origin));
        };
        self.hop(
            component,
            Decision::Forward,
            format!("to VPC {}", other_vpc.name),
            None,
            Some(peering.origin),
        );
        let ports = self.nacl(at, Direction::Outbound, pkt, ports);
        self.nacl(target, Direction::Inbound, pkt, ports)
    }

    pub(super) fn transit_gateway(
        &mut self,
        at: SubnetId,
        t: TransitGatewayId,
        dst: &Party,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        let net = self.net;
        let tgw = &net.transit_gateways[t.index()];
        let component = Component::item(Kind::TransitGateway, &tgw.name);
        let subnet = &net.subnets[at.index()];
        let attachment = (self.plan)
            .attachment(t, subnet.vpc)
            .map(|a| &net.attachments[a.index()]);
        let Some(attachment) = attachment else {
            return self.drop(
                Explanation::ConnectionDoesNotReach,
                component,
                &ports,
                format!(
                    "transit gateway {} has no attachment in VPC {}",
                    tgw.name,
                    net.vpcs[subnet.vpc.index()].name
                ),
                String::new(),
                Some(tgw.origin),
            );
        };
        let entry = attachment
            .subnets
            .iter()
            .copied()
            .find(|s| net.subnets[s.index()].az == subnet.az);
        let Some(entry) = entry else {
            return self.drop(
                Explanation::TgwAttachmentNotInAz,
                Component::item(Kind::Attachment, &attachment.name),
                &ports,
                format!("attachment {} has no subnet in {}, the availability zone of subnet {}: traffic from that zone cannot use the transit gateway", attachment.name, subnet.az, subnet.name),
                format!("add a subnet in {} to attachment {}", subnet.az, attachment.name),
                Some(attachment.origin),
            );
        };
        // AWS (tgw-nacls): toward the transit gateway, the source subnet's outbound rules and
        // the attachment subnet's inbound rules apply, even when they are the same subnet.
        let ports = self.nacl(at, Direction::Outbound, pkt, ports);
        if !ports.is_empty() {
            self.hop(
                Component::item(Kind::Attachment, &attachment.name),
                Decision::Forward,
                Note::TgwEntry(&net.subnets[entry.index()]),
                None,
                Some(attachment.origin),
            );
        }
        let ports = self.nacl(entry, Direction::Inbound, pkt, ports);
        if ports.is_empty() {
            return ports;
        }
        let parts = routing::lookup_tgw(tgw, self.plan.tgw_routes(t), &pkt.dst);
        let mut arrived: Option<PortSet> = None;
        for (route, part) in parts {
            let mut sub = pkt.clone();
            sub.dst = part;
            let got = match route.map(|r| (r, r.target)) {
                None | Some((_, TgwTarget::Blackhole)) => {
                    let what = if route.is_some() {
                        "a blackhole route"
                    } else {
                        "no route"
                    };
                    self.drop(
                        Explanation::TgwRtbCannotRoute,
                        component.clone(),
                        &ports,
                        format!(
                            "transit gateway {} has {what} for {}",
                            tgw.name,
                            describe_addrs(&sub.dst)
                        ),
                        format!(
                            "add `route {} -> ATTACHMENT` to transit_gateway {}",
                            describe_addrs(&sub.dst),
                            tgw.name
                        ),
                        route.map(|r| r.origin).or(Some(tgw.origin)),
                    )
                }
                Some((r, TgwTarget::Connection(c))) => {
                    let conn = &net.connections[c.index()];
                    self.hop(
                        component.clone(),
                        Decision::Forward,
                        Note::TgwRoute(net, r),
                        None,
                        Some(r.origin),
                    );
                    if dst.place == Place::OnPremises(conn.on_premises) {
                        self.hop(
                            Component::item(Kind::Connection, &conn.name),
                            Decision::Deliver,
                            format!(
                                "to on_premises {}",
                                net.on_premises[conn.on_premises.index()].name
                            ),
                            None,
                            Some(conn.origin),
                        );
                        ports.clone()
                    } else {
                        self.drop(
                            Explanation::TgwRtbCannotRoute,
                            component.clone(),
                            &ports,
                            format!(
                                "the route leads to on_premises {}, not to {}",
                                net.on_premises[conn.on_premises.index()].name,
                                dst.label
                            ),
                            String::new(),
                            Some(r.origin),
                        )
                    }
                }
                Some((r, TgwTarget::Attachment(a))) => {
                    let att = &net.attachments[a.index()];
                    self.hop(
                        component.clone(),
                        Decision::Forward,
                        Note::TgwRoute(net, r),
                        None,
                        Some(r.origin),
                    );
                    let dst_az = dst.subnet().map(|s| net.subnets[s.index()].az.clone());
                    let exit = att
                        .subnets
                        .iter()
                        .copied()
                        .find(|s| Some(&net.subnets[s.index()].az) == dst_az.as_ref())
                        .or_else(|| {
                            att.subnets
                                .iter()
                                .copied()
                                .find(|s| net.subnets[s.index()].az == subnet.az)
                        })
                        .or_else(|| att.subnets.first().copied());
                    match exit {
                        Some(exit) => {
                            self.forward(exit, Arrival::TransitGateway, dst, &sub, ports.clone())
                        }
                        None => self.drop(
                            Explanation::TgwAttachmentNotInAz,
                            Component::item(Kind::Attachment, &att.name),
                            &ports,
                            format!("attachment {} has no subnet", att.name),
                            String::new(),
                            Some(att.origin),
                        ),
                    }
                }
            };
            arrived = Some(match (arrived, self.mode) {
                (None, _) => got,
                (Some(a), Mode::Every) => a.intersection(&got),
                (Some(a), Mode::Some) => a.union(&got),
            });
        }
        arrived.unwrap_or_default()
    }
}
