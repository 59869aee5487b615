//! The synthetic network, independent of any output format: the three writers
//! (`vnet`, `terraform`, `cloudformation`) print this one model, so the peers and vnet
//! analyse the same network.

/// A network protocol of a NACL or security group rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Tcp,
    Udp,
    Icmp,
    All,
}

/// A NACL rule.
#[derive(Clone, Debug)]
pub struct NaclRule {
    pub number: u32,
    pub allow: bool,
    pub proto: Proto,
    /// `None` for `icmp` and `all`.
    pub ports: Option<(u16, u16)>,
    pub cidr: String,
}

#[derive(Clone, Debug)]
pub struct Nacl {
    pub name: String,
    pub inbound: Vec<NaclRule>,
    pub outbound: Vec<NaclRule>,
}

/// The other side of a security group rule.
#[derive(Clone, Debug)]
pub enum Peer {
    Cidr(String),
    /// Another security group of the same VPC, by name.
    Group(String),
}

#[derive(Clone, Debug)]
pub struct SgRule {
    pub proto: Proto,
    pub ports: Option<(u16, u16)>,
    pub peer: Peer,
    pub description: String,
}

#[derive(Clone, Debug)]
pub struct SecurityGroup {
    pub name: String,
    pub description: String,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
}

/// Where a route table's default route goes.
#[derive(Clone, Debug)]
pub enum DefaultRoute {
    None,
    InternetGateway,
    Nat(String),
}

#[derive(Clone, Debug)]
pub struct RouteTable {
    pub name: String,
    pub main: bool,
    pub default_route: DefaultRoute,
}

#[derive(Clone, Debug)]
pub struct Subnet {
    pub name: String,
    /// Index into [`AZ_LETTERS`].
    pub az: usize,
    pub cidr: String,
    /// `None`: the VPC's main route table.
    pub route_table: Option<String>,
    pub nacl: String,
    pub public_ip_on_launch: bool,
}

#[derive(Clone, Debug)]
pub struct NatGateway {
    pub name: String,
    pub subnet: String,
}

/// The gateway endpoint for S3, on some route tables.
#[derive(Clone, Debug)]
pub struct GatewayEndpoint {
    pub name: String,
    pub route_tables: Vec<String>,
}

/// The interface endpoint for Systems Manager.
#[derive(Clone, Debug)]
pub struct InterfaceEndpoint {
    pub name: String,
    pub service: &'static str,
    pub subnets: Vec<String>,
    /// The groups of the endpoint tier's subnets.
    pub security_groups: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Instance {
    pub name: String,
    pub subnet: String,
    pub security_group: String,
    /// `s3`, `ssm`, `internet`.
    pub uses: Vec<&'static str>,
}

/// An intended flow, stated in the `.vnet` form (the peers have no equivalent).
#[derive(Clone, Debug)]
pub struct Expect {
    pub source: String,
    pub destination: String,
    pub port: u16,
    pub allowed: bool,
}

#[derive(Clone, Debug)]
pub struct Vpc {
    pub name: String,
    pub region: &'static str,
    pub cidr: String,
    /// What this VPC gets wrong on purpose (comment in the generated files).
    pub situations: Vec<&'static str>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub nat_gateways: Vec<NatGateway>,
    pub s3_endpoint: Option<GatewayEndpoint>,
    pub ssm_endpoint: Option<InterfaceEndpoint>,
    pub nacls: Vec<Nacl>,
    pub security_groups: Vec<SecurityGroup>,
    pub instances: Vec<Instance>,
    pub expects: Vec<Expect>,
}

/// The whole network: one VPC per generated file.
#[derive(Clone, Debug)]
pub struct Network {
    pub vpcs: Vec<Vpc>,
}

pub const AZ_LETTERS: [char; 2] = ['a', 'b'];

impl Vpc {
    pub fn az_name(&self, az: usize) -> String {
        format!("{}{}", self.region, AZ_LETTERS[az])
    }
}

impl Proto {
    pub fn keyword(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
            Proto::All => "all",
        }
    }

    /// The IP protocol number as Terraform and CloudFormation write it.
    pub fn number(self) -> &'static str {
        match self {
            Proto::Tcp => "6",
            Proto::Udp => "17",
            Proto::Icmp => "1",
            Proto::All => "-1",
        }
    }
}
