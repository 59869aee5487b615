//! What is drawn inside a VPC, as plain data: the VPC's top row (gateways, gateway
//! endpoints, endpoint services, resource configurations) and each subnet's members (NAT
//! gateways, load balancers, workloads, interface endpoints, resource gateways). Things in
//! several subnets get one node per subnet, as AWS gives them one interface per subnet.

use super::builder::Thing;
use super::model::NodeKind;
use crate::ir::*;

/// A node to draw: what it is, its id's parts, and its label.
pub struct Spec {
    pub thing: Thing,
    pub prefix: &'static str,
    /// The name its id derives from (qualified, plus the subnet for a placement).
    pub name: String,
    pub kind: NodeKind,
    pub title: String,
    pub details: Vec<String>,
}

/// The name inside its scope (`shop.app` → `app`).
pub fn local(name: &str) -> &str {
    name.split_once('.').map_or(name, |(_, rest)| rest)
}

fn spec(
    thing: Thing,
    prefix: &'static str,
    name: &str,
    kind: NodeKind,
    details: Vec<String>,
) -> Spec {
    Spec {
        thing,
        prefix,
        name: name.to_string(),
        kind,
        title: local(name).to_string(),
        details,
    }
}

/// The VPC-level resources of VPC `v`, in the order they are drawn.
pub fn top_row(net: &Network, v: usize) -> Vec<Spec> {
    let mut out = Vec::new();
    let here = |vpc: VpcId| vpc.index() == v;
    for (i, g) in net
        .internet_gateways
        .iter()
        .enumerate()
        .filter(|(_, g)| here(g.vpc))
    {
        let details = vec!["internet gateway".into()];
        out.push(spec(
            Thing::InternetGateway(i),
            "igw",
            &g.name,
            NodeKind::InternetGateway,
            details,
        ));
    }
    for (i, g) in net
        .vpn_gateways
        .iter()
        .enumerate()
        .filter(|(_, g)| here(g.vpc))
    {
        let asn = g.asn.map(|a| format!(" · ASN {a}")).unwrap_or_default();
        let details = vec![format!("VPN gateway{asn}")];
        out.push(spec(
            Thing::VpnGateway(i),
            "vgw",
            &g.name,
            NodeKind::VpnGateway,
            details,
        ));
    }
    for (i, e) in net.endpoints.iter().enumerate() {
        if here(e.vpc) && e.kind == EndpointType::Gateway {
            let details = vec![format!(
                "gateway endpoint · {}",
                service_name(net, &e.service)
            )];
            out.push(spec(
                Thing::Endpoint(i),
                "vpce",
                &e.name,
                NodeKind::GatewayEndpoint,
                details,
            ));
        }
    }
    for (i, s) in net
        .endpoint_services
        .iter()
        .enumerate()
        .filter(|(_, s)| here(s.vpc))
    {
        let mut details = vec!["endpoint service".to_string()];
        if let Some(lb) = s.load_balancer {
            details.push(format!(
                "NLB {}",
                local(&net.load_balancers[lb.index()].name)
            ));
        }
        if s.acceptance_required {
            details.push("acceptance required".into());
        }
        out.push(spec(
            Thing::EndpointService(i),
            "vpcesvc",
            &s.name,
            NodeKind::EndpointService,
            details,
        ));
    }
    for (i, r) in net
        .resource_configurations
        .iter()
        .enumerate()
        .filter(|(_, r)| here(r.vpc))
    {
        let address = match &r.address {
            Some(ResourceAddress::Ip(ip)) => ip.to_string(),
            Some(ResourceAddress::Dns(d)) => d.clone(),
            Some(ResourceAddress::Workload(w)) => local(&net.workloads[w.index()].name).to_string(),
            None => String::new(),
        };
        let port = r.port.map(|p| format!(":{p}")).unwrap_or_default();
        let mut details = vec![
            "resource configuration".to_string(),
            format!("{address}{port}"),
        ];
        if let Some(g) = r.gateway {
            details.push(format!(
                "via {}",
                local(&net.resource_gateways[g.index()].name)
            ));
        }
        if !r.share_with.is_empty() {
            details.push(format!("shared with {}", r.share_with.join(", ")));
        }
        out.push(spec(
            Thing::ResourceConfiguration(i),
            "rcfg",
            &r.name,
            NodeKind::ResourceConfiguration,
            details,
        ));
    }
    for (i, w) in net.workloads.iter().enumerate() {
        if here(w.vpc) && w.subnets.is_empty() {
            out.push(spec(
                Thing::Workload(i),
                "wl",
                &w.name,
                workload_kind(w),
                workload_details(w),
            ));
        }
    }
    out
}

/// Whether a subnet's route table sends traffic to an internet gateway.
pub fn is_public(net: &Network, s: usize) -> bool {
    net.route_tables[net.subnets[s].route_table.index()]
        .routes
        .iter()
        .any(|r| matches!(r.target, RouteTarget::InternetGateway(_)))
}

/// A subnet's label lines under its name.
pub fn subnet_details(net: &Network, s: usize) -> Vec<String> {
    let subnet = &net.subnets[s];
    let mut cidrs: Vec<String> = subnet.cidr.iter().map(|c| c.cidr.to_string()).collect();
    cidrs.extend(subnet.ipv6_cidr.iter().map(|c| c.cidr.to_string()));
    let scope = if is_public(net, s) {
        "public"
    } else {
        "private"
    };
    let rt = local(&net.route_tables[subnet.route_table.index()].name);
    let nacl = local(&net.nacls[subnet.nacl.index()].name);
    vec![
        cidrs.join(" · "),
        format!("{scope} · rt {rt} · nacl {nacl}"),
    ]
}

/// What subnet `s` holds, in the order it is drawn.
pub fn members(net: &Network, s: usize) -> Vec<Spec> {
    let in_s = |subnets: &[SubnetId]| subnets.iter().any(|x| x.index() == s);
    let placed = |name: &str| format!("{name}.{}", local(&net.subnets[s].name));
    let mut out = Vec::new();
    for (i, n) in net.nat_gateways.iter().enumerate() {
        if n.subnet.is_some_and(|x| x.index() == s) {
            let kind = if n.public {
                "NAT gateway"
            } else {
                "NAT gateway · private"
            };
            out.push(spec(
                Thing::NatGateway(i),
                "nat",
                &n.name,
                NodeKind::NatGateway,
                vec![kind.into()],
            ));
        }
    }
    for (i, lb) in net
        .load_balancers
        .iter()
        .enumerate()
        .filter(|(_, lb)| in_s(&lb.subnets))
    {
        let kind = match lb.kind {
            LoadBalancerType::Application => "ALB",
            LoadBalancerType::Network => "NLB",
        };
        let scheme = if lb.internal {
            "internal"
        } else {
            "internet-facing"
        };
        let mut details = vec![format!("{kind} · {scheme}")];
        let listeners: Vec<String> = lb
            .listeners
            .iter()
            .map(|l| format!("{} {}", l.protocol, l.port))
            .collect();
        if !listeners.is_empty() {
            details.push(listeners.join(", "));
        }
        out.push(Spec {
            name: placed(&lb.name),
            ..spec(
                Thing::LoadBalancer(i),
                "lb",
                &lb.name,
                NodeKind::LoadBalancer,
                details,
            )
        });
    }
    for (i, w) in net
        .workloads
        .iter()
        .enumerate()
        .filter(|(_, w)| in_s(&w.subnets))
    {
        let s = spec(
            Thing::Workload(i),
            "wl",
            &w.name,
            workload_kind(w),
            workload_details(w),
        );
        out.push(Spec {
            name: placed(&w.name),
            ..s
        });
    }
    for (i, e) in net.endpoints.iter().enumerate() {
        if e.kind == EndpointType::Interface && in_s(&e.subnets) {
            let details = vec![format!(
                "interface endpoint · {}",
                service_name(net, &e.service)
            )];
            let s = spec(
                Thing::Endpoint(i),
                "vpce",
                &e.name,
                NodeKind::InterfaceEndpoint,
                details,
            );
            out.push(Spec {
                name: placed(&e.name),
                ..s
            });
        }
    }
    for (i, g) in net
        .resource_gateways
        .iter()
        .enumerate()
        .filter(|(_, g)| in_s(&g.subnets))
    {
        let details = vec!["resource gateway".into()];
        let s = spec(
            Thing::ResourceGateway(i),
            "rgw",
            &g.name,
            NodeKind::ResourceGateway,
            details,
        );
        out.push(Spec {
            name: placed(&g.name),
            ..s
        });
    }
    out
}

fn workload_kind(w: &Workload) -> NodeKind {
    match w.kind {
        WorkloadKind::Instance => NodeKind::Instance,
        WorkloadKind::Function => NodeKind::Function,
        WorkloadKind::Database => NodeKind::Database,
    }
}

fn workload_details(w: &Workload) -> Vec<String> {
    let mut first = workload_kind(w).describe().to_string();
    if let Some(engine) = &w.engine {
        first.push_str(&format!(" · {engine}"));
    }
    let mut address: Vec<String> = w.private_ip.iter().map(|ip| ip.to_string()).collect();
    if w.public_ip {
        address.push("public IP".into());
    }
    let mut details = vec![first];
    if !address.is_empty() {
        details.push(address.join(" · "));
    }
    details
}

/// What an endpoint connects to, by name (`s3`, `payments.payments_api`).
pub fn service_name(net: &Network, target: &EndpointTarget) -> String {
    match target {
        EndpointTarget::Aws(s) => s.clone(),
        EndpointTarget::EndpointService(s) => net.endpoint_services[s.index()].name.clone(),
    }
}
