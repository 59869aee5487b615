//! The importers' common model: what was read from AWS (a dump or a template), as close to
//! AWS as possible, with references still by source id (`subnet-0abc`, a logical id). The
//! writer (`import::write`) checks it, names it and prints `.vnet` text, so that both
//! importers share one set of checks and one output layout.

/// Where an object came from: its source id, a readable name hint and the comment that
/// traces it back (`aws: subnet-0abc`).
#[derive(Clone, Debug, Default)]
pub struct Source {
    /// The id references use: an AWS id or a CloudFormation logical id.
    pub id: String,
    /// A name hint (the `Name` tag, a logical id); sanitized by the writer.
    pub name: Option<String>,
    /// The trace comment written before the block, without `# `.
    pub trace: String,
}

#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub vpcs: Vec<Vpc>,
    pub peerings: Vec<Peering>,
    pub transit_gateways: Vec<TransitGateway>,
    pub sites: Vec<Site>,
    pub lattice_services: Vec<LatticeService>,
    pub service_networks: Vec<ServiceNetwork>,
    /// `expect` lines kept in an exported template's metadata, as written there.
    pub expects: Vec<String>,
    /// Prefix list ids and the services they stand for (`pl-63a5400a`, `s3`).
    pub prefix_lists: Vec<(String, String)>,
    /// Other ids of an object: a network interface for its instance, a VPN attachment for
    /// its connection's site.
    pub aliases: std::collections::HashMap<String, String>,
}

#[derive(Clone, Debug, Default)]
pub struct Vpc {
    pub src: Source,
    pub region: Option<String>,
    pub cidrs: Vec<String>,
    pub dns_hostnames: Option<bool>,
    pub dns_support: Option<bool>,
    pub internet_gateways: Vec<Source>,
    pub vpn_gateways: Vec<(Source, Option<u32>)>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub nacls: Vec<Nacl>,
    pub security_groups: Vec<SecurityGroup>,
    pub nat_gateways: Vec<NatGateway>,
    pub endpoints: Vec<Endpoint>,
    pub endpoint_services: Vec<EndpointService>,
    pub load_balancers: Vec<LoadBalancer>,
    pub target_groups: Vec<TargetGroup>,
    pub workloads: Vec<Workload>,
    pub resource_gateways: Vec<ResourceGateway>,
    pub resource_configurations: Vec<ResourceConfiguration>,
}

#[derive(Clone, Debug, Default)]
pub struct Subnet {
    pub src: Source,
    pub az: Option<String>,
    pub cidr: Option<String>,
    pub ipv6_cidr: Option<String>,
    /// Source id of the associated route table (none: the main table).
    pub route_table: Option<String>,
    /// Source id of the associated network ACL (none: the default NACL).
    pub nacl: Option<String>,
    pub public_ip_on_launch: bool,
}

#[derive(Clone, Debug, Default)]
pub struct RouteTable {
    pub src: Source,
    pub main: bool,
    pub routes: Vec<Route>,
}

#[derive(Clone, Debug)]
pub struct Route {
    /// A CIDR, or a prefix list id (`pl-63a5400a`) for gateway-endpoint routes.
    pub destination: String,
    pub target: RouteTarget,
}

#[derive(Clone, Debug)]
pub enum RouteTarget {
    Local,
    Blackhole,
    /// A gateway, NAT gateway, peering, transit gateway or instance, by source id.
    Id(String),
    /// A target vnet does not model (network interface, carrier gateway...): kind and id.
    Unsupported(String, String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Tcp,
    Udp,
    Icmp,
    All,
}

/// A protocol as AWS writes it (`tcp`, `6`, `-1`, `icmpv6`...), or `Err` with the original.
pub fn proto(value: &str) -> Result<Proto, String> {
    match value.to_ascii_lowercase().as_str() {
        "tcp" | "6" => Ok(Proto::Tcp),
        "udp" | "17" => Ok(Proto::Udp),
        "icmp" | "1" => Ok(Proto::Icmp),
        "-1" | "all" => Ok(Proto::All),
        other => Err(other.to_string()),
    }
}

#[derive(Clone, Debug, Default)]
pub struct Nacl {
    pub src: Source,
    pub default: bool,
    pub entries: Vec<NaclEntry>,
}

#[derive(Clone, Debug)]
pub struct NaclEntry {
    pub egress: bool,
    pub number: i64,
    pub allow: bool,
    pub protocol: Result<Proto, String>,
    pub ports: Option<(i64, i64)>,
    pub cidr: String,
}

#[derive(Clone, Debug, Default)]
pub struct SecurityGroup {
    pub src: Source,
    pub default: bool,
    pub description: Option<String>,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    /// False when the source says nothing about egress (a template without
    /// `SecurityGroupEgress`): AWS's default egress rule applies.
    pub egress_given: bool,
}

#[derive(Clone, Debug)]
pub struct SgRule {
    pub protocol: Result<Proto, String>,
    pub ports: Option<(i64, i64)>,
    pub peer: Peer,
    pub description: Option<String>,
}

#[derive(Clone, Debug)]
pub enum Peer {
    Cidr(String),
    /// A security group by source id.
    Group(String),
    /// A prefix list id or a service name.
    PrefixList(String),
}

#[derive(Clone, Debug, Default)]
pub struct NatGateway {
    pub src: Source,
    pub subnet: Option<String>,
    pub private: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Endpoint {
    pub src: Source,
    /// The full service name (`com.amazonaws.us-east-1.s3`) or a short one (`s3`).
    pub service: String,
    pub gateway: bool,
    pub route_tables: Vec<String>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub private_dns: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Workload {
    pub src: Source,
    /// `instance`, `function` or `database`.
    pub kind: &'static str,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub private_ip: Option<String>,
    pub public_ip: Option<bool>,
    /// A database's engine and port.
    pub engine: Option<String>,
    pub port: Option<u16>,
    /// What it calls (intent, from an exported template's metadata).
    pub uses: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct LoadBalancer {
    pub src: Source,
    pub network: bool,
    pub internal: bool,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// Protocol (`https`), port and target group source id.
    pub listeners: Vec<(String, u16, String)>,
}

#[derive(Clone, Debug, Default)]
pub struct TargetGroup {
    pub src: Source,
    pub protocol: Option<String>,
    pub port: Option<u16>,
    /// Workload source ids or IP addresses.
    pub targets: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct EndpointService {
    pub src: Source,
    pub load_balancer: Option<String>,
    pub acceptance_required: bool,
    pub allowed_principals: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Peering {
    pub src: Source,
    pub requester: Option<String>,
    pub accepter: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct TransitGateway {
    pub src: Source,
    pub region: Option<String>,
    pub asn: Option<u32>,
    pub attachments: Vec<Attachment>,
    /// Destination CIDR and target: an attachment's source id, or `None` for a blackhole.
    pub routes: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, Default)]
pub struct Attachment {
    pub src: Source,
    pub vpc: Option<String>,
    pub subnets: Vec<String>,
}

/// An on-premises network, from VPN connections and customer gateways.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub src: Source,
    pub cidrs: Vec<String>,
    pub asn: Option<u32>,
    pub connections: Vec<Connection>,
}

#[derive(Clone, Debug, Default)]
pub struct Connection {
    pub src: Source,
    /// Source id of a VPN gateway or a transit gateway.
    pub gateway: Option<String>,
    pub customer_gateway: Option<String>,
}

/// A VPC Lattice service: auth (`iam`, `none`) and listeners (protocol, port, target group
/// source id).
#[derive(Clone, Debug, Default)]
pub struct LatticeService {
    pub src: Source,
    pub auth: String,
    pub listeners: Vec<(String, u16, String)>,
}

/// A VPC Lattice service network: auth, VPC and service source ids.
#[derive(Clone, Debug, Default)]
pub struct ServiceNetwork {
    pub src: Source,
    pub auth: String,
    pub vpcs: Vec<String>,
    pub services: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct ResourceGateway {
    pub src: Source,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
}

#[derive(Clone, Debug)]
pub enum ResourceAddress {
    Ip(String),
    Dns(String),
    /// A workload by source id.
    Workload(String),
}

#[derive(Clone, Debug, Default)]
pub struct ResourceConfiguration {
    pub src: Source,
    /// Source id of its resource gateway.
    pub gateway: Option<String>,
    pub address: Option<ResourceAddress>,
    pub port: Option<u16>,
    /// Account ids it is shared with (AWS RAM).
    pub share_with: Vec<String>,
}
