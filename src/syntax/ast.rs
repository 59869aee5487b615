//! The syntax tree: what the author wrote, with node ids instead of spans.
//!
//! The tree is uniform where the language is: a block is a kind, a name and statements; an
//! attribute is a key and a value. Rule-like lines (routes, NACL and security group rules,
//! listeners, `expect`) have their own nodes because their parts have meanings of their own.

use std::fmt;

use serde::Serialize;

/// Identifies a node of one file's tree; its span is in that file's [`super::SpanTable`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The node of the name of the block whose node this is: the parser numbers a block's
    /// name right after the block, so that a diagnostic about an item can point at its name
    /// instead of its whole (multi-line) block.
    pub fn block_name(self) -> NodeId {
        NodeId(self.0 + 1)
    }
}

/// A parsed file: its top-level statements.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    pub items: Vec<Stmt>,
}

/// A statement of a file or a block. Its size is a tree's size per line: the variants larger
/// than an attribute (blocks, and the rule-like lines: 64 to 208 bytes) are boxed, so that a
/// statement takes an attribute's 48 bytes, not the largest line's 216.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    Block(Box<Block>),
    Attr(Attr),
    Route(Box<Route>),
    NaclRule(Box<NaclRule>),
    SgRule(Box<SgRule>),
    Listener(Box<Listener>),
    Expect(Box<Expect>),
    Error(ErrorNode),
}

impl Stmt {
    /// Adds `by` to every node id of the statement: a large file's runs of statements are
    /// parsed apart, each numbered from 0, and joined after the runs before them.
    pub(crate) fn shift_ids(&mut self, by: u32) {
        match self {
            Stmt::Block(b) => {
                b.id.0 += by;
                b.name.id.0 += by;
                for stmt in &mut b.body {
                    stmt.shift_ids(by);
                }
            }
            Stmt::Attr(a) => {
                a.id.0 += by;
                a.value.shift_ids(by);
            }
            Stmt::Route(r) => {
                r.id.0 += by;
                r.dest.shift_ids(by);
                r.target.shift_ids(by);
            }
            Stmt::NaclRule(r) => {
                r.id.0 += by;
                for value in [&mut r.number, &mut r.action, &mut r.protocol, &mut r.peer] {
                    value.shift_ids(by);
                }
                r.ports.iter_mut().for_each(|v| v.shift_ids(by));
            }
            Stmt::SgRule(r) => {
                r.id.0 += by;
                r.protocol.shift_ids(by);
                r.peer.shift_ids(by);
                r.ports.iter_mut().for_each(|v| v.shift_ids(by));
                r.description.iter_mut().for_each(|v| v.shift_ids(by));
            }
            Stmt::Listener(l) => {
                l.id.0 += by;
                for value in [&mut l.protocol, &mut l.port, &mut l.target] {
                    value.shift_ids(by);
                }
            }
            Stmt::Expect(e) => {
                e.id.0 += by;
                for value in [&mut e.src, &mut e.dst, &mut e.protocol, &mut e.verdict] {
                    value.shift_ids(by);
                }
                e.ports.iter_mut().for_each(|v| v.shift_ids(by));
            }
            Stmt::Error(e) => e.id.0 += by,
        }
    }
}

/// `KIND NAME { ... }`, or the bare `internet_gateway NAME`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub id: NodeId,
    pub kind: BlockKind,
    pub name: Ident,
    pub body: Vec<Stmt>,
}

impl Block {
    /// The attributes of this block with the given key, in source order.
    pub fn attrs(&self, key: AttrKey) -> impl Iterator<Item = &Attr> {
        self.body.iter().filter_map(move |s| match s {
            Stmt::Attr(a) if a.key == key => Some(a),
            _ => None,
        })
    }

    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.body.iter().filter_map(|s| match s {
            Stmt::Block(b) => Some(&**b),
            _ => None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub id: NodeId,
    pub text: String,
}

/// `KEY VALUE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    pub id: NodeId,
    pub key: AttrKey,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub id: NodeId,
    pub kind: ValueKind,
}

/// A token's text. Tokens are short (`10.0.0.0/16`, `allow`, `1024-65535`, most names), and
/// a compact string keeps up to 24 bytes inline: one heap allocation per token was half of a
/// large workspace's syntax tree memory.
pub type Text = compact_str::CompactString;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A name, possibly dotted: `app_a`, `shared.vpce_sg`, `ecr.api` (as written, in one
    /// compact string: most fit inline).
    Ref(Text),
    Cidr(Text),
    Address(Text),
    /// Digits as written; the compiler checks the range.
    Int(Text),
    /// `443` or `1024-65535`, as written.
    Ports(Text),
    Str(Text),
    Bool(bool),
    /// A keyword value: `gateway`, `allow`, `tcp`, `https`, `blackhole`, `internet` ...
    Word(Text),
    List(Vec<Value>),
}

impl Value {
    fn shift_ids(&mut self, by: u32) {
        self.id.0 += by;
        if let ValueKind::List(items) = &mut self.kind {
            items.iter_mut().for_each(|v| v.shift_ids(by));
        }
    }

    /// The text of a word, a name or a string, for diagnostics.
    pub fn describe(&self) -> String {
        match &self.kind {
            ValueKind::Ref(p) => p.to_string(),
            ValueKind::Cidr(s)
            | ValueKind::Address(s)
            | ValueKind::Int(s)
            | ValueKind::Ports(s)
            | ValueKind::Word(s) => s.to_string(),
            ValueKind::Str(s) => format!("{s:?}"),
            ValueKind::Bool(b) => b.to_string(),
            ValueKind::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Value::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Word(w) => Some(w),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            ValueKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The elements of a list, or the value itself.
    pub fn items(&self) -> &[Value] {
        match &self.kind {
            ValueKind::List(items) => items,
            _ => std::slice::from_ref(self),
        }
    }
}

/// `route DEST -> TARGET`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub id: NodeId,
    pub dest: Value,
    pub target: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Inbound,
    Outbound,
}

/// `inbound N allow|deny PROTO [PORTS] from CIDR` (or `outbound ... to CIDR`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NaclRule {
    pub id: NodeId,
    pub direction: Direction,
    pub number: Value,
    pub action: Value,
    pub protocol: Value,
    pub ports: Option<Value>,
    pub peer: Value,
}

/// `ingress PROTO [PORTS] from SRC ["description"]` (or `egress ... to DST`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SgRule {
    pub id: NodeId,
    /// `Inbound` for ingress, `Outbound` for egress.
    pub direction: Direction,
    pub protocol: Value,
    pub ports: Option<Value>,
    pub peer: Value,
    pub description: Option<Value>,
}

/// `listener PROTO PORT -> TARGET_GROUP`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listener {
    pub id: NodeId,
    pub protocol: Value,
    pub port: Value,
    pub target: Value,
}

/// `expect SRC -> DST PROTO [PORTS] allowed|denied`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expect {
    pub id: NodeId,
    pub src: Value,
    pub dst: Value,
    pub protocol: Value,
    pub ports: Option<Value>,
    pub verdict: Value,
}

/// Text that recovery skipped. The names in it are kept so that the compiler does not report
/// as unknown a name whose declaration a syntax error swallowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorNode {
    pub id: NodeId,
    pub names: Vec<String>,
}

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal, $words:literal;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The keyword as written in source.
            pub fn keyword(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// What it is, in words ("a route table").
            pub fn describe(self) -> &'static str {
                match self { $($name::$variant => $words,)* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.keyword())
            }
        }
    };
}

keyword_enum! {
    /// The kinds of named blocks.
    BlockKind {
        Vpc => "vpc", "a VPC";
        Peering => "peering", "a peering connection";
        TransitGateway => "transit_gateway", "a transit gateway";
        Attachment => "attachment", "a transit gateway attachment";
        OnPremises => "on_premises", "an on-premises network";
        Connection => "connection", "a VPN or Direct Connect connection";
        ServiceNetwork => "service_network", "a VPC Lattice service network";
        LatticeService => "lattice_service", "a VPC Lattice service";
        Subnet => "subnet", "a subnet";
        RouteTable => "route_table", "a route table";
        Nacl => "nacl", "a network ACL";
        SecurityGroup => "security_group", "a security group";
        NatGateway => "nat_gateway", "a NAT gateway";
        InternetGateway => "internet_gateway", "an internet gateway";
        VpnGateway => "vpn_gateway", "a virtual private gateway";
        Endpoint => "endpoint", "a VPC endpoint";
        EndpointService => "endpoint_service", "an endpoint service";
        LoadBalancer => "load_balancer", "a load balancer";
        TargetGroup => "target_group", "a target group";
        Instance => "instance", "an instance";
        Function => "function", "a function";
        Database => "database", "a database";
        ResourceGateway => "resource_gateway", "a resource gateway";
        ResourceConfiguration => "resource_configuration", "a resource configuration";
    }
}

impl BlockKind {
    /// Blocks that live in the top-level namespace.
    pub fn is_top_level(self) -> bool {
        matches!(
            self,
            BlockKind::Vpc
                | BlockKind::Peering
                | BlockKind::TransitGateway
                | BlockKind::OnPremises
                | BlockKind::ServiceNetwork
                | BlockKind::LatticeService
        )
    }

    pub fn is_workload(self) -> bool {
        matches!(
            self,
            BlockKind::Instance | BlockKind::Function | BlockKind::Database
        )
    }
}

keyword_enum! {
    /// The keys of `KEY VALUE` attributes.
    AttrKey {
        Region => "region", "region";
        Cidr => "cidr", "CIDR block";
        DnsHostnames => "dns_hostnames", "DNS hostnames flag";
        DnsSupport => "dns_support", "DNS support flag";
        Az => "az", "availability zone";
        RouteTable => "route_table", "route table";
        RouteTables => "route_tables", "route tables";
        Nacl => "nacl", "network ACL";
        PublicIpOnLaunch => "public_ip_on_launch", "public IP on launch flag";
        Main => "main", "main route table flag";
        Subnet => "subnet", "subnet";
        Subnets => "subnets", "subnets";
        Connectivity => "connectivity", "connectivity type";
        Description => "description", "description";
        Service => "service", "service";
        Services => "services", "services";
        Type => "type", "type";
        SecurityGroups => "security_groups", "security groups";
        PrivateDns => "private_dns", "private DNS flag";
        LoadBalancer => "load_balancer", "load balancer";
        AcceptanceRequired => "acceptance_required", "acceptance flag";
        AllowedPrincipals => "allowed_principals", "allowed principals";
        Internal => "internal", "internal flag";
        Protocol => "protocol", "protocol";
        Port => "port", "port";
        Targets => "targets", "targets";
        Uses => "uses", "services used";
        PublicIp => "public_ip", "public IP flag";
        PrivateIp => "private_ip", "private IP address";
        Engine => "engine", "engine";
        Gateway => "gateway", "gateway";
        Address => "address", "address";
        ShareWith => "share_with", "accounts shared with";
        Requester => "requester", "requester VPC";
        Accepter => "accepter", "accepter VPC";
        Vpc => "vpc", "VPC";
        Vpcs => "vpcs", "VPCs";
        Asn => "asn", "autonomous system number";
        Bandwidth => "bandwidth", "bandwidth";
        CustomerGateway => "customer_gateway", "customer gateway address";
        Auth => "auth", "auth type";
    }
}

impl Tree {
    /// Every block of the tree, depth first, with its parent block.
    pub fn walk_blocks(&self) -> Vec<(Option<&Block>, &Block)> {
        fn go<'a>(
            parent: Option<&'a Block>,
            stmts: &'a [Stmt],
            out: &mut Vec<(Option<&'a Block>, &'a Block)>,
        ) {
            for s in stmts {
                if let Stmt::Block(b) = s {
                    out.push((parent, b));
                    go(Some(b), &b.body, out);
                }
            }
        }
        let mut out = Vec::new();
        go(None, &self.items, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file's tree is alive while the files are parsed and lowered: a larger statement
    /// is a larger peak.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn a_statement_takes_an_attributes_size() {
        assert_eq!(std::mem::size_of::<Stmt>(), std::mem::size_of::<Attr>());
        assert_eq!(std::mem::size_of::<Stmt>(), 48);
    }
}
