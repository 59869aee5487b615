//! Packets that come from outside a VPC: from the internet, from an AWS service (a reply
//! through a gateway endpoint or a NAT gateway), or from an on-premises network.

use super::describe::*;
use super::fixes;
use super::*;
use crate::flow::addressing::{self};
use crate::flow::explain::Kind;
use crate::flow::packet_set::PortSet;
use crate::flow::party::{Party, Place};
use crate::flow::routing;
use crate::flow::security_group::short_name;
use crate::flow::trace::{Decision, Explanation, Leg};
use crate::syntax::Direction;

impl<'n> Walk<'n, '_> {
    // --- Entering from outside -----------------------------------------------------------

    /// Packets from the internet, an AWS service or an on-premises network, entering the VPC
    /// of `dst` (through its internet gateway, a gateway endpoint's return path, its VPN
    /// gateway or a transit gateway).
    pub fn enter(&mut self, from: &Place, dst: &Party, pkt: &Packet, ports: PortSet) -> PortSet {
        let net = self.net;
        let Some(target) = dst.subnet() else {
            return self.drop(
                Explanation::NotModelled,
                "outside",
                &ports,
                format!(
                    "a flow from {} to {} does not cross an AWS network",
                    describe_place(net, from),
                    dst.label
                ),
                String::new(),
                None,
            );
        };
        let vpc = net.subnets[target.index()].vpc;
        match from {
            Place::Internet | Place::Service(_) => {
                // Replies from a service through a gateway endpoint come back the same way.
                if let Place::Service(s) = from {
                    let table = &net.route_tables[net.subnets[target.index()].route_table.index()];
                    if self.leg == Leg::Reply
                        && table
                            .routes
                            .iter()
                            .any(|r| r.destination == Destination::PrefixList(s.clone()))
                    {
                        return self.nacl(target, Direction::Inbound, pkt, ports);
                    }
                }
                if let (Leg::Reply, Some(n)) = (self.leg, self.nat_used) {
                    return self.back_through_nat(n, dst, pkt, ports);
                }
                let Some(igw) = self
                    .plan
                    .internet_gateway(vpc)
                    .map(|g| &net.internet_gateways[g.index()])
                else {
                    return self.drop(
                        Explanation::NoInternetGateway,
                        format!("vpc {}", net.vpcs[vpc.index()].name),
                        &ports,
                        format!("VPC {} has no internet gateway", net.vpcs[vpc.index()].name),
                        "add `internet_gateway igw` to the VPC and a route to it",
                        Some(net.vpcs[vpc.index()].origin),
                    );
                };
                if dst.nat.is_some() && self.leg == Leg::Request {
                    return self.drop(
                        Explanation::NatGatewayOutboundOnly,
                        dst.label.clone(),
                        &ports,
                        "a NAT gateway accepts no connection from the internet",
                        "reach the service through a load balancer or an instance with a public IP",
                        None,
                    );
                }
                if !dst.public {
                    return self.drop(
                        Explanation::NoPublicIp,
                        Component::item(Kind::InternetGateway, &igw.name),
                        &ports,
                        format!(
                            "{} has no public IP address: the internet cannot address it",
                            dst.label
                        ),
                        fixes::public_address_fix(net, dst),
                        Some(igw.origin),
                    );
                }
                self.hop(
                    Component::item(Kind::InternetGateway, &igw.name),
                    Decision::Forward,
                    format!("to {}", dst.label),
                    None,
                    Some(igw.origin),
                );
                self.nacl(target, Direction::Inbound, pkt, ports)
            }
            Place::OnPremises(o) => {
                let site = &net.on_premises[o.index()];
                for c in (self.plan.connections_of(*o).iter()).map(|c| &net.connections[c.index()])
                {
                    match c.gateway {
                        Some(ConnectionGateway::VpnGateway(v))
                            if net.vpn_gateways[v.index()].vpc == vpc =>
                        {
                            self.hop(
                                Component::item(Kind::Connection, &c.name),
                                Decision::Forward,
                                format!("to vpn_gateway {}", net.vpn_gateways[v.index()].name),
                                None,
                                Some(c.origin),
                            );
                            return self.nacl(target, Direction::Inbound, pkt, ports);
                        }
                        Some(ConnectionGateway::TransitGateway(t))
                            if self.plan.attachment(t, vpc).is_some() =>
                        {
                            self.hop(
                                Component::item(Kind::Connection, &c.name),
                                Decision::Forward,
                                format!(
                                    "to transit_gateway {}",
                                    net.transit_gateways[t.index()].name
                                ),
                                None,
                                Some(c.origin),
                            );
                            return self.out_of_transit_gateway(t, dst, pkt, ports);
                        }
                        _ => {}
                    }
                }
                self.drop(
                    Explanation::NoVpnConnection,
                    Component::item(Kind::OnPremises, &site.name),
                    &ports,
                    format!(
                        "on_premises {} has no connection that reaches VPC {}",
                        site.name,
                        net.vpcs[vpc.index()].name
                    ),
                    fixes::connection_fix(net, self.plan, *o, vpc),
                    Some(site.origin),
                )
            }
            Place::Subnet(_) => ports,
        }
    }

    /// Replies to a connection a NAT gateway opened come back to the NAT gateway, which
    /// hands them to the original client.
    pub(super) fn back_through_nat(
        &mut self,
        n: NatGatewayId,
        dst: &Party,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        let net = self.net;
        let nat = &net.nat_gateways[n.index()];
        let Some(nat_subnet) = nat.subnet else {
            return PortSet::default();
        };
        // The NAT gateway's own ephemeral ports (1024-65535) carry the reply to it.
        let mut at_nat = pkt.clone();
        at_nat.dst = addressing::subnet_addrs(&net.subnets[nat_subnet.index()]);
        let nat_ports = PortSet::range(PortRange {
            from: 1024,
            to: 65535,
        });
        let nat_ports = if pkt.protocol.has_ports() {
            nat_ports
        } else {
            PortSet::all()
        };
        // A public NAT gateway's replies come in through the internet gateway, to its
        // Elastic IP.
        if let Some(g) =
            (self.plan.internet_gateway(nat.vpc)).map(|g| &net.internet_gateways[g.index()])
        {
            if nat.public {
                self.hop(
                    Component::item(Kind::InternetGateway, &g.name),
                    Decision::Forward,
                    format!("to nat_gateway {}", nat.name),
                    None,
                    Some(g.origin),
                );
            }
        }
        let passed = self.nacl(nat_subnet, Direction::Inbound, &at_nat, nat_ports.clone());
        let mut ports = ports;
        if passed != nat_ports {
            ports = PortSet::default();
        }
        self.hop(
            Component::item(Kind::NatGateway, &nat.name),
            Decision::Forward,
            "translates the destination back to the client",
            None,
            Some(nat.origin),
        );
        self.forward(nat_subnet, Arrival::Nat(n), dst, pkt, ports)
    }

    /// From a transit gateway toward `dst` in one of its attached VPCs.
    pub(super) fn out_of_transit_gateway(
        &mut self,
        t: TransitGatewayId,
        dst: &Party,
        pkt: &Packet,
        ports: PortSet,
    ) -> PortSet {
        let net = self.net;
        let tgw = &net.transit_gateways[t.index()];
        let Some(target) = dst.subnet() else {
            return PortSet::default();
        };
        let lookup = routing::lookup_tgw(tgw, self.plan.tgw_routes(t), &pkt.dst);
        let Some((Some(route), _)) = lookup.first() else {
            return self.drop(
                Explanation::TgwRtbCannotRoute,
                Component::item(Kind::TransitGateway, &tgw.name),
                &ports,
                format!(
                    "transit gateway {} has no route for {}",
                    tgw.name,
                    describe_addrs(&pkt.dst)
                ),
                String::new(),
                Some(tgw.origin),
            );
        };
        let TgwTarget::Attachment(a) = route.target else {
            return self.drop(
                Explanation::TgwRtbCannotRoute,
                Component::item(Kind::TransitGateway, &tgw.name),
                &ports,
                format!(
                    "transit gateway {} does not route {} to an attachment",
                    tgw.name,
                    describe_addrs(&pkt.dst)
                ),
                String::new(),
                Some(route.origin),
            );
        };
        let att = &net.attachments[a.index()];
        let az = &net.subnets[target.index()].az;
        let Some(exit) = att
            .subnets
            .iter()
            .copied()
            .find(|s| &net.subnets[s.index()].az == az)
            .or_else(|| att.subnets.first().copied())
        else {
            return PortSet::default();
        };
        self.hop(
            Component::item(Kind::TransitGateway, &tgw.name),
            Decision::Forward,
            format!("{} -> {}", route.destination, short_name(&att.name)),
            None,
            Some(route.origin),
        );
        self.forward(exit, Arrival::TransitGateway, dst, pkt, ports)
    }
}
