//! Where things are in address space: the addresses of workloads, load balancers and
//! endpoint interfaces, the members of each security group, the public addresses of AWS
//! services, and the internet.
//!
//! AWS services are given stand-in public ranges inside `240.0.0.0/4` (reserved, never
//! routed, so no user's rule names them): a route or rule for `0.0.0.0/0` covers them, a
//! private block never does, and a service's prefix list is exactly its range. The internet
//! is every public address outside the workspace's VPCs and on-premises networks.

use rustc_hash::FxHashMap as HashMap;
use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};

use super::packet_set::AddrSet;
use super::routing::TgwRoutes;
use super::security_group::PeerAddresses;
use crate::aws;
use crate::ir::{
    AttachmentId, ConnectionId, InternetGatewayId, Network, OnPremisesId, PeeringId,
    SecurityGroupId, Subnet, SubnetId, TransitGatewayId, VpcId, VpnGatewayId,
};

/// Address facts of one network (and which attachment joins each VPC to a transit gateway, a
/// fact of where things are that every flow through one asks), computed once per analysis.
#[derive(Clone, Debug)]
pub struct AddressPlan {
    /// The addresses of each group's members, by [`SecurityGroupId`]: asked for by every
    /// rule that names a group, of every flow (a hashed lookup and a copy each were a quarter
    /// of a lint run on a network of groups that name each other).
    members: Vec<AddrSet>,
    /// The members of a group the network does not have.
    no_members: AddrSet,
    internet: AddrSet,
    /// The attachment that connects a VPC to a transit gateway (the first written), asked
    /// for by every flow through one: a scan of every attachment per flow was quadratic in
    /// a hub and spoke network's spokes.
    attachments: HashMap<(TransitGatewayId, VpcId), AttachmentId>,
    /// Each transit gateway's routes, indexed for lookup (by [`TransitGatewayId`]).
    tgw_routes: Vec<TgwRoutes>,
    /// Each VPC's internet gateway (the first written), by [`VpcId`]: asked for by every
    /// flow from the internet, where a scan of every gateway was quadratic in the VPCs.
    internet_gateways: Vec<Option<InternetGatewayId>>,
    /// The transit gateways each VPC is attached to, by [`VpcId`], in order.
    vpc_transit_gateways: Vec<Vec<TransitGatewayId>>,
    /// The first peering between two VPCs, keyed both ways.
    peerings: HashMap<(VpcId, VpcId), PeeringId>,
    /// Each on-premises network's connections, in order, by [`OnPremisesId`]: asked for by
    /// every flow from or to a site, where a scan of every connection was quadratic in the
    /// sites.
    site_connections: Vec<Vec<ConnectionId>>,
    /// Each VPC's virtual private gateway (the first written), by [`VpcId`].
    vpn_gateways: Vec<Option<VpnGatewayId>>,
    /// The transit gateway of each VPC's first attachment, by [`VpcId`]: with the VPN
    /// gateway, what a fix for a site that reaches no VPC names (once per flow dropped).
    first_transit_gateways: Vec<Option<TransitGatewayId>>,
}

/// Private, shared and special-purpose IPv4 blocks: never internet addresses.
const NOT_INTERNET: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/3",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
];

impl AddressPlan {
    pub fn new(net: &Network) -> Self {
        let mut members = vec![AddrSet::default(); net.security_groups.len()];
        let mut add = |groups: &[SecurityGroupId], addrs: &AddrSet| {
            for g in groups {
                if let Some(entry) = members.get_mut(g.index()) {
                    *entry = entry.union(addrs);
                }
            }
        };
        for w in &net.workloads {
            let addrs = match w.private_ip {
                Some(ip) => AddrSet::addr(ip),
                None => subnets_addrs(net, &w.subnets),
            };
            add(&w.security_groups, &addrs);
        }
        for lb in &net.load_balancers {
            add(&lb.security_groups, &subnets_addrs(net, &lb.subnets));
        }
        for e in &net.endpoints {
            add(&e.security_groups, &subnets_addrs(net, &e.subnets));
        }
        for rg in &net.resource_gateways {
            add(&rg.security_groups, &subnets_addrs(net, &rg.subnets));
        }
        let mut internet = AddrSet::all();
        for block in NOT_INTERNET {
            if let Ok(n) = block.parse::<IpNet>() {
                internet = internet.difference(&AddrSet::cidr(&n));
            }
        }
        for vpc in &net.vpcs {
            internet = internet.difference(&AddrSet::cidrs(vpc.cidrs.iter().map(|c| &c.cidr)));
        }
        for site in &net.on_premises {
            internet = internet.difference(&AddrSet::cidrs(site.cidrs.iter().map(|c| &c.cidr)));
        }
        let mut attachments = HashMap::default();
        for (i, a) in net.attachments.iter().enumerate() {
            if let Some(vpc) = a.vpc {
                attachments
                    .entry((a.transit_gateway, vpc))
                    .or_insert(AttachmentId::new(i));
            }
        }
        let mut internet_gateways = vec![None; net.vpcs.len()];
        for (i, g) in net.internet_gateways.iter().enumerate() {
            if let Some(slot @ None) = internet_gateways.get_mut(g.vpc.index()) {
                *slot = Some(InternetGatewayId::new(i));
            }
        }
        let mut vpc_transit_gateways = vec![Vec::new(); net.vpcs.len()];
        let mut first_transit_gateways = vec![None; net.vpcs.len()];
        for a in &net.attachments {
            let Some(v) = a.vpc else { continue };
            if let Some(list) = vpc_transit_gateways.get_mut(v.index()) {
                list.push(a.transit_gateway);
            }
            if let Some(slot @ None) = first_transit_gateways.get_mut(v.index()) {
                *slot = Some(a.transit_gateway);
            }
        }
        let mut vpn_gateways = vec![None; net.vpcs.len()];
        for (i, g) in net.vpn_gateways.iter().enumerate() {
            if let Some(slot @ None) = vpn_gateways.get_mut(g.vpc.index()) {
                *slot = Some(VpnGatewayId::new(i));
            }
        }
        let mut site_connections = vec![Vec::new(); net.on_premises.len()];
        for (i, c) in net.connections.iter().enumerate() {
            if let Some(list) = site_connections.get_mut(c.on_premises.index()) {
                list.push(ConnectionId::new(i));
            }
        }
        for list in &mut vpc_transit_gateways {
            list.sort_unstable();
            list.dedup();
        }
        let mut peerings = HashMap::default();
        for (i, p) in net.peerings.iter().enumerate() {
            if let (Some(a), Some(b)) = (p.requester, p.accepter) {
                peerings.entry((a, b)).or_insert(PeeringId::new(i));
                peerings.entry((b, a)).or_insert(PeeringId::new(i));
            }
        }
        AddressPlan {
            members,
            no_members: AddrSet::default(),
            internet,
            attachments,
            internet_gateways,
            vpc_transit_gateways,
            peerings,
            site_connections,
            vpn_gateways,
            first_transit_gateways,
            tgw_routes: net
                .transit_gateways
                .iter()
                .map(|t| TgwRoutes::new(t))
                .collect(),
        }
    }

    /// The attachment of VPC `vpc` to transit gateway `tgw`.
    pub fn attachment(&self, tgw: TransitGatewayId, vpc: VpcId) -> Option<AttachmentId> {
        self.attachments.get(&(tgw, vpc)).copied()
    }

    /// The internet gateway of VPC `vpc`.
    pub fn internet_gateway(&self, vpc: VpcId) -> Option<InternetGatewayId> {
        self.internet_gateways.get(vpc.index()).copied().flatten()
    }

    /// The transit gateways VPC `vpc` is attached to, in order.
    pub fn transit_gateways_of(&self, vpc: VpcId) -> &[TransitGatewayId] {
        self.vpc_transit_gateways
            .get(vpc.index())
            .map_or(&[], Vec::as_slice)
    }

    /// The first peering between VPCs `a` and `b`.
    pub fn peering_between(&self, a: VpcId, b: VpcId) -> Option<PeeringId> {
        self.peerings.get(&(a, b)).copied()
    }

    /// The connections of on-premises network `site`, in order.
    pub fn connections_of(&self, site: OnPremisesId) -> &[ConnectionId] {
        self.site_connections
            .get(site.index())
            .map_or(&[], Vec::as_slice)
    }

    /// The virtual private gateway of VPC `vpc`.
    pub fn vpn_gateway(&self, vpc: VpcId) -> Option<VpnGatewayId> {
        self.vpn_gateways.get(vpc.index()).copied().flatten()
    }

    /// The transit gateway of VPC `vpc`'s first attachment.
    pub fn first_transit_gateway(&self, vpc: VpcId) -> Option<TransitGatewayId> {
        self.first_transit_gateways
            .get(vpc.index())
            .copied()
            .flatten()
    }

    /// The route index of transit gateway `tgw`.
    pub fn tgw_routes(&self, tgw: TransitGatewayId) -> &TgwRoutes {
        static NONE: TgwRoutes = TgwRoutes::NONE;
        self.tgw_routes.get(tgw.index()).unwrap_or(&NONE)
    }

    /// Public addresses outside every VPC and on-premises network of the workspace.
    pub fn internet(&self) -> &AddrSet {
        &self.internet
    }

    /// A service's stand-in public range (see the module documentation).
    pub fn service_net(name: &str) -> Ipv4Net {
        let index = aws::SERVICES
            .binary_search(&name)
            .map(|i| i + 1)
            .unwrap_or(0) as u32;
        let base = u32::from(Ipv4Addr::new(240, 0, 0, 0)) + (index << 8);
        Ipv4Net::new(Ipv4Addr::from(base), 24).unwrap_or_default()
    }

    /// The service whose stand-in range holds `addrs`, for messages.
    pub fn service_of(addrs: &AddrSet) -> Option<&'static str> {
        let sample = addrs.sample()?;
        let IpAddr::V4(v4) = sample else { return None };
        let octets = v4.octets();
        if octets[0] != 240 {
            return None;
        }
        let index = ((octets[1] as usize) << 8 | octets[2] as usize).checked_sub(1)?;
        aws::SERVICES.get(index).copied()
    }
}

impl PeerAddresses for AddressPlan {
    fn members(&self, group: SecurityGroupId) -> &AddrSet {
        self.members.get(group.index()).unwrap_or(&self.no_members)
    }
    fn service(&self, name: &str) -> AddrSet {
        AddrSet::cidr(&IpNet::V4(AddressPlan::service_net(name)))
    }
}

/// The addresses of a subnet (IPv4 and IPv6 blocks).
pub fn subnet_addrs(subnet: &Subnet) -> AddrSet {
    AddrSet::cidrs(subnet.cidr.iter().chain(&subnet.ipv6_cidr).map(|c| &c.cidr))
}

pub fn subnets_addrs(net: &Network, subnets: &[SubnetId]) -> AddrSet {
    let subnets = subnets.iter().filter_map(|s| net.subnets.get(s.index()));
    AddrSet::cidrs(subnets.flat_map(|s| s.cidr.iter().chain(&s.ipv6_cidr).map(|c| &c.cidr)))
}

/// The subnet whose block holds `ip`.
pub fn subnet_of(net: &Network, ip: IpAddr) -> Option<SubnetId> {
    let ip = IpNet::from(ip);
    net.subnets
        .iter()
        .position(|s| {
            s.cidr
                .iter()
                .chain(&s.ipv6_cidr)
                .any(|c| c.cidr.contains(&ip))
        })
        .map(crate::ir::Id::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_get_distinct_ranges_that_map_back() {
        let s3 = AddressPlan::service_net("s3");
        let ssm = AddressPlan::service_net("ssm");
        assert_ne!(s3, ssm);
        assert_eq!(
            AddressPlan::service_of(&AddrSet::cidr(&IpNet::V4(s3))),
            Some("s3")
        );
        let any: IpNet = "0.0.0.0/0".parse().unwrap();
        assert!(any.contains(&IpNet::V4(s3)));
    }
}
