//! The ends of a flow: where a workload, load balancer, endpoint, subnet, address, service or
//! network outside AWS sits, with its addresses and the security groups that filter it.
//! Something with interfaces in several subnets is several parties (one per subnet).

use std::net::IpAddr;

use super::addressing::{self, AddressPlan};
use super::packet_set::AddrSet;
use super::security_group::PeerAddresses;
use crate::ir::*;

/// Where a party is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// An interface in a subnet.
    Subnet(SubnetId),
    Internet,
    OnPremises(OnPremisesId),
    /// An AWS service at its public addresses.
    Service(String),
}

#[derive(Clone, Debug)]
pub struct Party {
    /// `instance shop.api`, `internet`, `subnet shop.data`.
    pub label: String,
    pub place: Place,
    pub addrs: AddrSet,
    /// The security groups of its interface; `None` when no group filters it (a subnet or an
    /// address as such, a network load balancer without groups, the world outside).
    pub groups: Option<Vec<SecurityGroupId>>,
    /// Has a public address, so that an internet gateway carries its traffic.
    pub public: bool,
    /// A NAT gateway: it answers nothing that comes from outside.
    pub nat: Option<NatGatewayId>,
    /// The item it stands for, for fixes that depend on its kind.
    pub end: FlowEndpoint,
}

impl Party {
    pub fn subnet(&self) -> Option<SubnetId> {
        match self.place {
            Place::Subnet(s) => Some(s),
            _ => None,
        }
    }
}

fn in_subnet(
    net: &Network,
    end: &FlowEndpoint,
    label: String,
    subnet: SubnetId,
    addrs: Option<AddrSet>,
    groups: Option<Vec<SecurityGroupId>>,
    public: bool,
) -> Party {
    let subnet_addrs = net
        .subnets
        .get(subnet.index())
        .map(|s| addressing::subnet_addrs(s))
        .unwrap_or_default();
    Party {
        label,
        place: Place::Subnet(subnet),
        addrs: addrs.unwrap_or(subnet_addrs),
        groups,
        public,
        nat: None,
        end: end.clone(),
    }
}

/// The parties an endpoint of a flow stands for, or why it cannot be analysed.
pub fn parties(
    net: &Network,
    plan: &AddressPlan,
    end: &FlowEndpoint,
) -> Result<Vec<Party>, String> {
    Ok(match end {
        FlowEndpoint::Internet => vec![Party {
            label: "internet".to_string(),
            place: Place::Internet,
            addrs: plan.internet().clone(),
            groups: None,
            public: true,
            nat: None,
            end: end.clone(),
        }],
        FlowEndpoint::Workload(w) => {
            let w = &net.workloads[w.index()];
            let label = label(kind_word(w.kind), &w.name);
            w.subnets
                .iter()
                .map(|&s| {
                    let addrs = w.private_ip.map(AddrSet::addr);
                    in_subnet(
                        net,
                        end,
                        label.clone(),
                        s,
                        addrs,
                        Some(w.security_groups.clone()),
                        w.public_ip,
                    )
                })
                .collect()
        }
        FlowEndpoint::LoadBalancer(lb) => {
            let lb = &net.load_balancers[lb.index()];
            let groups = match lb.kind {
                LoadBalancerType::Network if lb.security_groups.is_empty() => None,
                _ => Some(lb.security_groups.clone()),
            };
            lb.subnets
                .iter()
                .map(|&s| {
                    in_subnet(
                        net,
                        end,
                        label("load_balancer", &lb.name),
                        s,
                        None,
                        groups.clone(),
                        !lb.internal,
                    )
                })
                .collect()
        }
        FlowEndpoint::Endpoint(e) => {
            let e = &net.endpoints[e.index()];
            match (&e.kind, &e.service) {
                (EndpointType::Gateway, EndpointTarget::Aws(service)) => {
                    vec![service_party(plan, service)]
                }
                _ => e
                    .subnets
                    .iter()
                    .map(|&s| {
                        in_subnet(
                            net,
                            end,
                            label("endpoint", &e.name),
                            s,
                            None,
                            Some(e.security_groups.clone()),
                            false,
                        )
                    })
                    .collect(),
            }
        }
        FlowEndpoint::Subnet(s) => {
            let subnet = &net.subnets[s.index()];
            vec![in_subnet(
                net,
                end,
                label("subnet", &subnet.name),
                *s,
                None,
                None,
                subnet.public_ip_on_launch,
            )]
        }
        FlowEndpoint::NatGateway(n) => {
            let nat = &net.nat_gateways[n.index()];
            let Some(s) = nat.subnet else {
                return Ok(Vec::new());
            };
            let mut p = in_subnet(
                net,
                end,
                label("nat_gateway", &nat.name),
                s,
                None,
                None,
                nat.public,
            );
            p.nat = Some(*n);
            vec![p]
        }
        FlowEndpoint::OnPremises(o) => {
            let site = &net.on_premises[o.index()];
            vec![Party {
                label: label("on_premises", &site.name),
                place: Place::OnPremises(*o),
                addrs: AddrSet::cidrs(site.cidrs.iter().map(|c| &c.cidr)),
                groups: None,
                public: false,
                nat: None,
                end: end.clone(),
            }]
        }
        FlowEndpoint::Service(s) => vec![service_party(plan, s)],
        FlowEndpoint::Address(ip) => vec![address_party(net, plan, **ip)],
        FlowEndpoint::ResourceConfiguration(_) | FlowEndpoint::LatticeService(_) => {
            return Err(
                "flows to VPC Lattice services and resource configurations go through AWS-managed \
                 proxies that vnet does not analyse yet"
                    .to_string(),
            )
        }
    })
}

pub fn service_party(plan: &AddressPlan, service: &str) -> Party {
    Party {
        label: label("service", service),
        place: Place::Service(service.to_string()),
        addrs: plan.service(service),
        groups: None,
        public: true,
        nat: None,
        end: FlowEndpoint::Service(service.into()),
    }
}

/// A host at `ip`: in the subnet that holds it (filtered by NACLs and routes but by no
/// security group), in an on-premises network, or on the internet.
pub fn address_party(net: &Network, plan: &AddressPlan, ip: IpAddr) -> Party {
    if let Some(s) = addressing::subnet_of(net, ip) {
        let subnet = &net.subnets[s.index()];
        return in_subnet(
            net,
            &FlowEndpoint::Address(Box::new(ip)),
            format!("address {ip}"),
            s,
            Some(AddrSet::addr(ip)),
            None,
            subnet.public_ip_on_launch,
        );
    }
    let host = ipnet::IpNet::from(ip);
    let place = net
        .on_premises
        .iter()
        .position(|o| o.cidrs.iter().any(|c| c.cidr.contains(&host)))
        .map(|o| Place::OnPremises(Id::new(o)))
        .unwrap_or(Place::Internet);
    let _ = plan;
    Party {
        label: format!("address {ip}"),
        place,
        addrs: AddrSet::addr(ip),
        groups: None,
        public: true,
        nat: None,
        end: FlowEndpoint::Address(Box::new(ip)),
    }
}

pub fn kind_word(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Instance => "instance",
        WorkloadKind::Function => "function",
        WorkloadKind::Database => "database",
    }
}

/// `kind name`, as a party's label: asked for every party of every flow, where formatting
/// machinery cost more than the text.
fn label(kind: &str, name: &str) -> String {
    [kind, " ", name].concat()
}
