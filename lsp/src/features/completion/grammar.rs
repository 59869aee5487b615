//! What the grammar (`grammar/vnet.pest`) and lowering accept where: the statements of each
//! block, the kinds each reference position names, the words of each keyword position.

use vnet::syntax::BlockKind;

/// The statement keywords valid directly inside a block (`None`: the top level).
pub fn statements(block: Option<BlockKind>) -> &'static [&'static str] {
    use BlockKind::*;
    match block {
        None => &[
            "vpc",
            "peering",
            "transit_gateway",
            "on_premises",
            "service_network",
            "lattice_service",
            "expect",
        ],
        Some(Vpc) => &[
            "region",
            "cidr",
            "dns_hostnames",
            "dns_support",
            "subnet",
            "route_table",
            "nacl",
            "security_group",
            "nat_gateway",
            "internet_gateway",
            "vpn_gateway",
            "endpoint_service",
            "endpoint",
            "load_balancer",
            "target_group",
            "instance",
            "function",
            "database",
            "resource_gateway",
            "resource_configuration",
            "expect",
        ],
        Some(Subnet) => &["az", "cidr", "route_table", "nacl", "public_ip_on_launch"],
        Some(RouteTable) => &["route", "main"],
        Some(NatGateway) => &["subnet", "connectivity"],
        Some(Nacl) => &["inbound", "outbound"],
        Some(SecurityGroup) => &["ingress", "egress", "description"],
        Some(Endpoint) => &[
            "service",
            "type",
            "route_tables",
            "subnets",
            "security_groups",
            "private_dns",
        ],
        Some(EndpointService) => &["load_balancer", "acceptance_required", "allowed_principals"],
        Some(LoadBalancer) => &["type", "subnets", "security_groups", "internal", "listener"],
        Some(TargetGroup) => &["protocol", "port", "targets"],
        Some(Instance | Function | Database) => &[
            "subnets",
            "subnet",
            "security_groups",
            "uses",
            "public_ip",
            "private_ip",
            "port",
            "engine",
        ],
        Some(ResourceGateway) => &["subnets", "security_groups"],
        Some(ResourceConfiguration) => &["gateway", "address", "port", "share_with"],
        Some(Peering) => &["requester", "accepter"],
        Some(TransitGateway) => &["region", "asn", "attachment", "route"],
        Some(Attachment) => &["vpc", "subnets"],
        Some(OnPremises) => &["cidr", "asn", "connection"],
        Some(Connection) => &["type", "gateway", "bandwidth", "customer_gateway", "asn"],
        Some(ServiceNetwork) => &["auth", "vpcs", "services"],
        Some(LatticeService) => &["auth", "listener"],
        Some(VpnGateway) => &["asn"],
        Some(InternetGateway) => &[],
    }
}

/// The kinds a reference after `key` (inside `block`) may name; empty when the position
/// takes no reference.
pub fn reference_kinds(block: Option<BlockKind>, key: &str) -> &'static [BlockKind] {
    use BlockKind::*;
    match (block, key) {
        (_, "route_table") => &[RouteTable],
        (_, "route_tables") => &[RouteTable],
        (_, "nacl") => &[Nacl],
        (_, "subnet" | "subnets") => &[Subnet],
        (_, "security_groups") => &[SecurityGroup],
        (Some(EndpointService), "load_balancer") => &[LoadBalancer],
        (Some(Endpoint), "service") => &[EndpointService],
        (Some(ResourceConfiguration), "gateway") => &[ResourceGateway],
        (Some(Connection), "gateway") => &[VpnGateway, TransitGateway],
        (Some(ResourceConfiguration), "address") => &[Instance, Function, Database],
        (_, "targets") => &[Instance, Function, Database],
        (_, "uses") => &[EndpointService, LatticeService, ResourceConfiguration],
        (_, "requester" | "accepter" | "vpc" | "vpcs") => &[Vpc],
        (Some(ServiceNetwork), "services") => &[LatticeService],
        _ => &[],
    }
}

/// Route targets.
pub const ROUTE_TARGETS: &[BlockKind] = &[
    BlockKind::InternetGateway,
    BlockKind::NatGateway,
    BlockKind::Peering,
    BlockKind::TransitGateway,
    BlockKind::VpnGateway,
    BlockKind::Instance,
    BlockKind::Endpoint,
    BlockKind::Attachment,
    BlockKind::Connection,
];

/// The two ends of an `expect` line.
pub const FLOW_ENDPOINTS: &[BlockKind] = &[
    BlockKind::Instance,
    BlockKind::Function,
    BlockKind::Database,
    BlockKind::LoadBalancer,
    BlockKind::Endpoint,
    BlockKind::Subnet,
    BlockKind::OnPremises,
    BlockKind::NatGateway,
    BlockKind::ResourceConfiguration,
    BlockKind::LatticeService,
];

/// Protocols of NACL rules, security group rules and `expect`.
pub const PROTOCOLS: &[&str] = &["tcp", "udp", "icmp", "all"];
/// Protocols of listeners and target groups.
pub const APP_PROTOCOLS: &[&str] = &["https", "http", "tcp", "tls", "udp", "tcp_udp"];

/// The words a keyword attribute takes, when they are a fixed set.
pub fn words(block: Option<BlockKind>, key: &str) -> &'static [&'static str] {
    use BlockKind::*;
    match (block, key) {
        (Some(Endpoint), "type") => &["gateway", "interface"],
        (Some(LoadBalancer), "type") => &["application", "network"],
        (Some(Connection), "type") => &["vpn", "direct_connect"],
        (_, "connectivity") => &["public", "private"],
        (_, "auth") => &["none", "iam"],
        (_, "protocol") => APP_PROTOCOLS,
        (
            _,
            "dns_hostnames"
            | "dns_support"
            | "public_ip_on_launch"
            | "main"
            | "private_dns"
            | "acceptance_required"
            | "internal"
            | "public_ip",
        ) => &["true", "false"],
        _ => &[],
    }
}

/// Whether a position after `key` takes AWS service names.
pub fn takes_services(block: Option<BlockKind>, key: &str) -> bool {
    matches!(
        (block, key),
        (Some(BlockKind::Endpoint), "service") | (_, "uses")
    )
}

/// The block keyword of a word, if it is one.
pub fn block_kind(word: &str) -> Option<BlockKind> {
    BlockKind::ALL.iter().copied().find(|k| k.keyword() == word)
}
