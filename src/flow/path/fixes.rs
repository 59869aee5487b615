//! The changes that would let dropped packets through, written as vnet the user can paste:
//! rule peers, routes, public addresses and on-premises connections.

use ipnet::IpNet;

use crate::aws;
use crate::flow::addressing::AddressPlan;
use crate::flow::packet_set::AddrSet;
use crate::flow::party::{Party, Place};
use crate::flow::security_group::short_name;
use crate::ir::*;

/// The peer a NACL or security group rule names to cover `addrs`: never the words of a
/// message. A service is reached at its public addresses: security groups name its managed
/// prefix list where it has one (`s3`, `dynamodb`), NACLs cannot and take `0.0.0.0/0`, as
/// AWS advises; otherwise the smallest block that covers the addresses.
pub(crate) fn rule_peer(addrs: &AddrSet, prefix_lists: bool) -> String {
    if let Some(service) = AddressPlan::service_of(addrs) {
        return if prefix_lists && aws::PREFIX_LIST_SERVICES.contains(&service) {
            service.to_string()
        } else {
            "0.0.0.0/0".to_string()
        };
    }
    covering_block(addrs)
        .map(|n| n.to_string())
        .unwrap_or_else(|| "0.0.0.0/0".to_string())
}

/// The smallest CIDR block holding every address of the set's first family (IPv4 first).
fn covering_block(addrs: &AddrSet) -> Option<IpNet> {
    let family = if addrs.v4().is_empty() {
        addrs.v6()
    } else {
        addrs.v4()
    };
    let text = family.to_string();
    let blocks: Vec<IpNet> = text.split(", ").filter_map(|b| b.parse().ok()).collect();
    let first = *blocks.first()?;
    let last = *blocks.last()?;
    let mut net = first;
    while !(net.contains(&last.network()) && net.contains(&last.broadcast())) {
        net = net.supernet()?;
    }
    Some(net.trunc())
}

/// How to add `route DEST -> TARGET` to the table subnet `at` uses: an implicit main table
/// cannot be written to, so the subnet gets a table of its own.
fn add_route(net: &Network, at: SubnetId, route: &str) -> String {
    let subnet = &net.subnets[at.index()];
    let table = &net.route_tables[subnet.route_table.index()];
    if table.implicit {
        format!(
            "give subnet {} a route table with `{route}` (it uses the main route table of VPC {}, which holds only the local routes)",
            subnet.name,
            net.vpcs[subnet.vpc.index()].name
        )
    } else {
        format!("add `{route}` to route_table {}", table.name)
    }
}

/// The route that would carry packets from subnet `at` to `to` (for a reply, the client):
/// through the peering, transit gateway or virtual private gateway that reaches its network,
/// an internet or NAT gateway for the internet, an endpoint for an AWS service.
pub(super) fn route_fix(
    net: &Network,
    plan: &AddressPlan,
    at: SubnetId,
    to: &Party,
    sender_public: bool,
) -> String {
    let subnet = &net.subnets[at.index()];
    let vpc = subnet.vpc;
    let vpc_name = &net.vpcs[vpc.index()].name;
    let tgw_to = |other: VpcId| {
        (plan.transit_gateways_of(vpc).iter())
            .find(|&&t| plan.attachment(t, other).is_some())
            .map(|t| t.index())
    };
    match &to.place {
        Place::Subnet(t) => {
            let other = net.subnets[t.index()].vpc;
            let other_vpc = &net.vpcs[other.index()];
            let dest = net.subnets[t.index()]
                .cidr
                .as_ref()
                .and_then(|c| {
                    other_vpc
                        .cidrs
                        .iter()
                        .find(|v| v.cidr.contains(&c.cidr))
                        .map(|v| v.cidr.to_string())
                })
                .unwrap_or_else(|| to.addrs.to_string());
            let peering = (plan.peering_between(vpc, other)).map(|p| &net.peerings[p.index()]);
            if let Some(p) = peering {
                add_route(net, at, &format!("route {dest} -> {}", p.name))
            } else if let Some(t) = tgw_to(other) {
                add_route(
                    net,
                    at,
                    &format!("route {dest} -> {}", net.transit_gateways[t].name),
                )
            } else {
                format!(
                    "connect VPC {vpc_name} and VPC {} (a peering or a transit gateway), then route {dest} to it",
                    other_vpc.name
                )
            }
        }
        Place::OnPremises(o) => {
            let site = &net.on_premises[o.index()];
            let dest = site
                .cidrs
                .iter()
                .map(|c| c.cidr)
                .find(|c| AddrSet::cidr(c).intersects(&to.addrs))
                .map(|c| c.to_string())
                .unwrap_or_else(|| to.addrs.to_string());
            let gateway = (plan.connections_of(*o).iter())
                .map(|c| &net.connections[c.index()])
                .find_map(|c| match c.gateway {
                    Some(ConnectionGateway::VpnGateway(v))
                        if net.vpn_gateways[v.index()].vpc == vpc =>
                    {
                        Some(short_name(&net.vpn_gateways[v.index()].name).to_string())
                    }
                    Some(ConnectionGateway::TransitGateway(t))
                        if plan.attachment(t, vpc).is_some() =>
                    {
                        Some(net.transit_gateways[t.index()].name.clone())
                    }
                    _ => None,
                });
            match gateway {
                Some(g) => add_route(net, at, &format!("route {dest} -> {g}")),
                None => format!(
                    "connect on_premises {} to VPC {vpc_name} (a connection to its vpn_gateway or to an attached transit gateway), then route {dest} to it",
                    site.name
                ),
            }
        }
        Place::Internet => {
            let igw = (plan.internet_gateway(vpc)).map(|g| &net.internet_gateways[g.index()]);
            let nat = net
                .nat_gateways
                .iter()
                .filter(|n| n.vpc == vpc && n.public)
                .min_by_key(|n| {
                    n.subnet
                        .is_none_or(|s| net.subnets[s.index()].az != subnet.az)
                });
            match (igw, nat) {
                (Some(g), _) if sender_public => add_route(
                    net,
                    at,
                    &format!("route 0.0.0.0/0 -> {}", short_name(&g.name)),
                ),
                (_, Some(n)) => add_route(
                    net,
                    at,
                    &format!("route 0.0.0.0/0 -> {}", short_name(&n.name)),
                ),
                (Some(g), None) => format!(
                    "add a NAT gateway in a subnet that routes to {}, and {}",
                    short_name(&g.name),
                    add_route(net, at, "route 0.0.0.0/0 -> NAT_GATEWAY")
                ),
                (None, None) => format!(
                    "add an internet gateway to VPC {vpc_name} (and a NAT gateway for hosts without a public IP), then route 0.0.0.0/0 to it"
                ),
            }
        }
        Place::Service(s) if aws::GATEWAY_SERVICES.contains(&s.as_str()) => {
            let table = &net.route_tables[subnet.route_table.index()];
            format!(
                "add `endpoint {s}_gw {{ service {s}  type gateway  route_tables [{}] }}` to VPC {vpc_name} (free), or route 0.0.0.0/0 to a NAT gateway",
                short_name(&table.name)
            )
        }
        Place::Service(s) => format!(
            "add an interface endpoint for {s} to VPC {vpc_name} (or to a VPC it reaches through a peering or a transit gateway), or route 0.0.0.0/0 to a NAT gateway"
        ),
    }
}

/// How the internet could reach `dst`, which has no public address.
pub(super) fn public_address_fix(net: &Network, dst: &Party) -> String {
    let routes_to_igw = |s: SubnetId| {
        net.route_tables[net.subnets[s.index()].route_table.index()]
            .routes
            .iter()
            .any(|r| matches!(r.target, RouteTarget::InternetGateway(_)))
    };
    let lb = "put an internet-facing load balancer (in subnets that route to the internet gateway) in front of it";
    match (&dst.end, dst.subnet()) {
        (FlowEndpoint::LoadBalancer(l), _) => format!(
            "make load_balancer {} internet-facing (`internal false`, in subnets that route to the internet gateway), or put an internet-facing one in front of it",
            net.load_balancers[l.index()].name
        ),
        (FlowEndpoint::Endpoint(_), _) => {
            "an interface endpoint has only private addresses: reach it from inside the network (a VPC, a peering, a transit gateway, a VPN)".into()
        }
        (FlowEndpoint::Workload(w), _)
            if net.workloads[w.index()].kind == WorkloadKind::Function =>
        {
            format!("a Lambda function in a VPC never has a public address: {lb}")
        }
        (FlowEndpoint::Workload(w), Some(s)) if routes_to_igw(s) => format!(
            "give {} a public IP (`public_ip true`), or {lb}",
            net.workloads[w.index()].name
        ),
        (FlowEndpoint::Subnet(_), Some(s)) if routes_to_igw(s) => format!(
            "set `public_ip_on_launch true` on subnet {}",
            net.subnets[s.index()].name
        ),
        (_, Some(s)) => format!(
            "{lb}: subnet {} does not route to the internet gateway, so a public IP alone would not carry the replies",
            net.subnets[s.index()].name
        ),
        (_, None) => lb.to_string(),
    }
}

/// How on-premises network `o` could reach VPC `vpc`.
pub(super) fn connection_fix(
    net: &Network,
    plan: &AddressPlan,
    o: OnPremisesId,
    vpc: VpcId,
) -> String {
    let site = &net.on_premises[o.index()].name;
    if let Some(v) = plan.vpn_gateway(vpc).map(|v| &net.vpn_gateways[v.index()]) {
        return format!(
            "add `connection NAME {{ type vpn  gateway {} }}` to on_premises {site}, and route its blocks to {} in the VPC's route tables",
            v.name,
            short_name(&v.name)
        );
    }
    let attached = (plan.first_transit_gateway(vpc)).map(|t| &net.transit_gateways[t.index()].name);
    match attached {
        Some(t) => format!(
            "add `connection NAME {{ type vpn  gateway {t} }}` (or `type direct_connect`) to on_premises {site}, and route its blocks to {t} in the VPC's route tables"
        ),
        None => format!(
            "add a vpn_gateway to VPC {} (or attach it to a transit gateway) and a connection to it from on_premises {site}",
            net.vpcs[vpc.index()].name
        ),
    }
}

/// The route a public NAT gateway's subnet lacks: to the VPC's internet gateway.
pub(super) fn nat_internet_route_fix(net: &Network, nat: &NatGateway, at: SubnetId) -> String {
    let subnet = &net.subnets[at.index()];
    match net.internet_gateways.iter().find(|g| g.vpc == subnet.vpc) {
        Some(g) => format!(
            "NAT gateway {} sits in subnet {}: {}",
            nat.name,
            subnet.name,
            add_route(
                net,
                at,
                &format!("route 0.0.0.0/0 -> {}", short_name(&g.name))
            )
        ),
        None => format!(
            "add an internet gateway to VPC {} and route 0.0.0.0/0 of subnet {} (NAT gateway {}'s) to it",
            net.vpcs[subnet.vpc.index()].name,
            subnet.name,
            nat.name
        ),
    }
}
