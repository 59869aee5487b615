//! The IR: a resolved model of the network. Every reference is an id into one of the
//! [`Network`]'s arenas, every CIDR is parsed, and AWS's defaults are explicit (main route
//! table, local routes, default NACL, default security-group egress, DNS flags).
//!
//! Source positions are kept out of the model's values: each entity has an [`Origin`] (file
//! and node id), and spans live in the parse's side table, so that the IR of two texts that
//! differ only in layout is equal.

use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;

use arcstr::ArcStr;
use ipnet::IpNet;
use serde::{Serialize, Serializer};

use crate::syntax::NodeId;

/// The IR's format version, printed by `vnetc build --emit ir`.
pub const IR_VERSION: u32 = 1;

/// A typed index into one of the network's arenas.
pub struct Id<T> {
    index: u32,
    _kind: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    pub fn new(index: usize) -> Self {
        Id {
            index: index as u32,
            _kind: PhantomData,
        }
    }
    pub fn index(self) -> usize {
        self.index as usize
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}
impl<T> Eq for Id<T> {}
impl<T> std::hash::Hash for Id<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.index.hash(state)
    }
}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index.cmp(&other.index)
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.index)
    }
}
impl<T> Serialize for Id<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.index)
    }
}

pub type VpcId = Id<Vpc>;
pub type SubnetId = Id<Subnet>;
pub type RouteTableId = Id<RouteTable>;
pub type NaclId = Id<Nacl>;
pub type SecurityGroupId = Id<SecurityGroup>;
pub type NatGatewayId = Id<NatGateway>;
pub type InternetGatewayId = Id<InternetGateway>;
pub type VpnGatewayId = Id<VpnGateway>;
pub type EndpointId = Id<Endpoint>;
pub type EndpointServiceId = Id<EndpointService>;
pub type LoadBalancerId = Id<LoadBalancer>;
pub type TargetGroupId = Id<TargetGroup>;
pub type WorkloadId = Id<Workload>;
pub type ResourceGatewayId = Id<ResourceGateway>;
pub type ResourceConfigurationId = Id<ResourceConfiguration>;
pub type PeeringId = Id<Peering>;
pub type TransitGatewayId = Id<TransitGateway>;
pub type AttachmentId = Id<Attachment>;
pub type OnPremisesId = Id<OnPremises>;
pub type ConnectionId = Id<Connection>;
pub type ServiceNetworkId = Id<ServiceNetwork>;
pub type LatticeServiceId = Id<LatticeService>;

/// Index of a file in [`Network::files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileIdx(pub u32);

/// Where something was written: a file and a node of its syntax tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Origin {
    pub file: FileIdx,
    pub node: NodeId,
}

/// The whole network of a workspace. Each entity is shared (`Arc`): the network is joined
/// from its files' fragments by copying pointers, so re-lowering one edited file does not
/// copy the others' entities, and comparing two networks that share an entity compares a
/// pointer (`Arc`'s equality does, for `Eq` types). Serialized as the entities themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Network {
    /// Paths of the workspace's files, as given; [`FileIdx`] indexes this list.
    pub files: Vec<String>,
    pub vpcs: Vec<Arc<Vpc>>,
    pub subnets: Vec<Arc<Subnet>>,
    pub route_tables: Vec<Arc<RouteTable>>,
    pub nacls: Vec<Arc<Nacl>>,
    pub security_groups: Vec<Arc<SecurityGroup>>,
    pub nat_gateways: Vec<Arc<NatGateway>>,
    pub internet_gateways: Vec<Arc<InternetGateway>>,
    pub vpn_gateways: Vec<Arc<VpnGateway>>,
    pub endpoints: Vec<Arc<Endpoint>>,
    pub endpoint_services: Vec<Arc<EndpointService>>,
    pub load_balancers: Vec<Arc<LoadBalancer>>,
    pub target_groups: Vec<Arc<TargetGroup>>,
    pub workloads: Vec<Arc<Workload>>,
    pub resource_gateways: Vec<Arc<ResourceGateway>>,
    pub resource_configurations: Vec<Arc<ResourceConfiguration>>,
    pub peerings: Vec<Arc<Peering>>,
    pub transit_gateways: Vec<Arc<TransitGateway>>,
    pub attachments: Vec<Arc<Attachment>>,
    pub on_premises: Vec<Arc<OnPremises>>,
    pub connections: Vec<Arc<Connection>>,
    pub service_networks: Vec<Arc<ServiceNetwork>>,
    pub lattice_services: Vec<Arc<LatticeService>>,
    pub expects: Vec<Arc<Expect>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Vpc {
    pub name: String,
    pub origin: Origin,
    pub region: String,
    pub cidrs: Vec<CidrBlock>,
    pub dns_hostnames: bool,
    pub dns_support: bool,
    /// The main route table: the one marked `main true`, or an implicit empty one.
    pub main_route_table: RouteTableId,
    /// The default network ACL (always implicit: allows all traffic both ways).
    pub default_nacl: NaclId,
    /// The default security group (always implicit), attached to workloads, interface
    /// endpoints and resource gateways that name no security group.
    pub default_security_group: SecurityGroupId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CidrBlock {
    pub cidr: IpNet,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Subnet {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub az: String,
    pub cidr: Option<CidrBlock>,
    pub ipv6_cidr: Option<CidrBlock>,
    pub route_table: RouteTableId,
    pub nacl: NaclId,
    pub public_ip_on_launch: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RouteTable {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub main: bool,
    /// True for the main table AWS creates when none is marked `main true`.
    pub implicit: bool,
    /// Local routes first, then the written routes, then gateway-endpoint routes.
    pub routes: Vec<Route>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    pub destination: Destination,
    pub target: RouteTarget,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Destination {
    Cidr(IpNet),
    /// The AWS-managed prefix list of a service (`s3`, `dynamodb`), added by a gateway endpoint.
    PrefixList(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RouteTarget {
    Local,
    Blackhole,
    InternetGateway(InternetGatewayId),
    NatGateway(NatGatewayId),
    Peering(PeeringId),
    TransitGateway(TransitGatewayId),
    VpnGateway(VpnGatewayId),
    Instance(WorkloadId),
    GatewayEndpoint(EndpointId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
    All,
}

impl Protocol {
    pub fn parse(s: &str) -> Option<Protocol> {
        Some(match s {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            "icmp" => Protocol::Icmp,
            "all" => Protocol::All,
            _ => return None,
        })
    }
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::All => "all",
        })
    }
}

/// An inclusive port range; `0-65535` when a rule names no ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };
    pub fn single(port: u16) -> Self {
        PortRange {
            from: port,
            to: port,
        }
    }
    pub fn is_all(self) -> bool {
        self == PortRange::ALL
    }
    pub fn contains(self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Nacl {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    /// True for the VPC's default NACL, which no `nacl` block describes.
    pub default: bool,
    /// Sorted by rule number: the order AWS evaluates them in.
    pub inbound: Vec<NaclRule>,
    pub outbound: Vec<NaclRule>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NaclRule {
    pub number: u32,
    pub action: Action,
    pub protocol: Protocol,
    pub ports: PortRange,
    pub cidr: IpNet,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecurityGroup {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub ingress: Vec<SgRule>,
    /// The written egress rules, or AWS's default (all traffic to 0.0.0.0/0 and ::/0) when
    /// none is written; see `default_egress`.
    pub egress: Vec<SgRule>,
    pub default_egress: bool,
    /// True for the VPC's default security group, which AWS attaches to interfaces that name
    /// none: it admits all traffic from its own members and allows all egress.
    pub default: bool,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SgRule {
    pub protocol: Protocol,
    pub ports: PortRange,
    pub peer: SgPeer,
    pub description: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SgPeer {
    Cidr(IpNet),
    SecurityGroup(SecurityGroupId),
    /// A service's managed prefix list (`s3`, `dynamodb`).
    PrefixList(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NatGateway {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub subnet: Option<SubnetId>,
    pub public: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InternetGateway {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VpnGateway {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub asn: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EndpointType {
    Gateway,
    Interface,
}

/// What a VPC endpoint connects to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum EndpointTarget {
    /// An AWS service by its short name (`s3`, `ecr.api`).
    Aws(String),
    EndpointService(EndpointServiceId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub service: EndpointTarget,
    pub kind: EndpointType,
    pub route_tables: Vec<RouteTableId>,
    pub subnets: Vec<SubnetId>,
    pub security_groups: Vec<SecurityGroupId>,
    pub private_dns: bool,
    /// Where `route_tables` is written, when it is (for fixes that add a table; not part of
    /// the IR's JSON).
    #[serde(skip)]
    pub route_tables_origin: Option<Origin>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndpointService {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub load_balancer: Option<LoadBalancerId>,
    pub acceptance_required: bool,
    pub allowed_principals: Vec<String>,
    /// Where `acceptance_required` and `allowed_principals` are written, when they are (for
    /// fixes that edit them; not part of the IR's JSON).
    #[serde(skip)]
    pub attr_origins: EndpointServiceAttrs,
}

/// The origins of an endpoint service's attribute lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndpointServiceAttrs {
    pub acceptance_required: Option<Origin>,
    pub allowed_principals: Option<Origin>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerType {
    Application,
    Network,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoadBalancer {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub kind: LoadBalancerType,
    pub subnets: Vec<SubnetId>,
    pub security_groups: Vec<SecurityGroupId>,
    pub internal: bool,
    pub listeners: Vec<Listener>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Listener {
    pub protocol: String,
    pub port: u16,
    pub target_group: TargetGroupId,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TargetGroup {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub protocol: Option<String>,
    pub port: Option<u16>,
    pub targets: Vec<Target>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Target {
    Workload(WorkloadId),
    Address(IpAddr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKind {
    Instance,
    Function,
    Database,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Workload {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub kind: WorkloadKind,
    pub subnets: Vec<SubnetId>,
    pub security_groups: Vec<SecurityGroupId>,
    pub uses: Vec<Use>,
    pub public_ip: bool,
    pub private_ip: Option<IpAddr>,
    pub port: Option<u16>,
    pub engine: Option<String>,
}

/// Something a workload says it calls.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Use {
    Internet,
    /// An AWS service by its short name (shared: each flow to the service names it).
    Service(ArcStr),
    EndpointService(EndpointServiceId),
    LatticeService(LatticeServiceId),
    ResourceConfiguration(ResourceConfigurationId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResourceGateway {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub subnets: Vec<SubnetId>,
    pub security_groups: Vec<SecurityGroupId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResourceConfiguration {
    pub name: String,
    pub vpc: VpcId,
    pub origin: Origin,
    pub gateway: Option<ResourceGatewayId>,
    pub address: Option<ResourceAddress>,
    pub port: Option<u16>,
    pub share_with: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ResourceAddress {
    Ip(IpAddr),
    Dns(String),
    Workload(WorkloadId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Peering {
    pub name: String,
    pub origin: Origin,
    pub requester: Option<VpcId>,
    pub accepter: Option<VpcId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransitGateway {
    pub name: String,
    pub origin: Origin,
    pub region: String,
    pub asn: Option<u32>,
    /// Written routes, then the routes AWS propagates by default from each attachment's VPC
    /// CIDRs and each connection's on-premises CIDRs (where no written route has the same
    /// destination).
    pub routes: Vec<TgwRoute>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TgwRoute {
    pub destination: IpNet,
    pub target: TgwTarget,
    pub propagated: bool,
    pub origin: Origin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum TgwTarget {
    Attachment(AttachmentId),
    Connection(ConnectionId),
    Blackhole,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub name: String,
    pub transit_gateway: TransitGatewayId,
    pub origin: Origin,
    pub vpc: Option<VpcId>,
    pub subnets: Vec<SubnetId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OnPremises {
    pub name: String,
    pub origin: Origin,
    pub cidrs: Vec<CidrBlock>,
    pub asn: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionType {
    Vpn,
    DirectConnect,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ConnectionGateway {
    VpnGateway(VpnGatewayId),
    TransitGateway(TransitGatewayId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Connection {
    pub name: String,
    pub on_premises: OnPremisesId,
    pub origin: Origin,
    pub kind: ConnectionType,
    pub gateway: Option<ConnectionGateway>,
    pub bandwidth: Option<String>,
    pub customer_gateway: Option<IpAddr>,
    pub asn: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceNetwork {
    pub name: String,
    pub origin: Origin,
    pub auth: String,
    pub vpcs: Vec<VpcId>,
    pub services: Vec<LatticeServiceId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LatticeService {
    pub name: String,
    pub origin: Origin,
    pub auth: String,
    pub listeners: Vec<Listener>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allowed,
    Denied,
}

/// One end of a flow named by `expect` (or by `vnetc reach`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum FlowEndpoint {
    Internet,
    Workload(WorkloadId),
    LoadBalancer(LoadBalancerId),
    Endpoint(EndpointId),
    Subnet(SubnetId),
    OnPremises(OnPremisesId),
    NatGateway(NatGatewayId),
    ResourceConfiguration(ResourceConfigurationId),
    LatticeService(LatticeServiceId),
    /// An AWS service at its public addresses, by a thin shared pointer (the workloads'
    /// `uses`, the intended flows' ends and the queries made of them name it), so that an end
    /// is 16 bytes.
    Service(ArcStr),
    /// A host; boxed, as an address (17 bytes) would make every end 24 bytes.
    Address(Box<IpAddr>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expect {
    pub origin: Origin,
    /// The VPC whose block holds this line, if any.
    pub vpc: Option<VpcId>,
    pub source: FlowEndpoint,
    pub destination: FlowEndpoint,
    pub protocol: Protocol,
    pub ports: PortRange,
    pub verdict: Verdict,
}
