//! Lowering of VPCs and everything declared inside them.

use std::sync::Arc;

use ipnet::IpNet;

use super::references::ServiceRef;
use super::Lowerer;
use crate::aws;
use crate::diagnostics::{codes, Diag};
use crate::ir::model::*;
use crate::ir::DeclId;
use crate::syntax::{AttrKey, Block, BlockKind, Direction, Stmt, Value, ValueKind};

const SUBNET: &[BlockKind] = &[BlockKind::Subnet];
const SECURITY_GROUP: &[BlockKind] = &[BlockKind::SecurityGroup];
const ROUTE_TABLE: &[BlockKind] = &[BlockKind::RouteTable];
const WORKLOADS: &[BlockKind] = &[
    BlockKind::Instance,
    BlockKind::Function,
    BlockKind::Database,
];
/// What a route may target (LANGUAGE.md); endpoints add their own routes.
const ROUTE_TARGETS: &[BlockKind] = &[
    BlockKind::InternetGateway,
    BlockKind::NatGateway,
    BlockKind::Peering,
    BlockKind::TransitGateway,
    BlockKind::VpnGateway,
    BlockKind::Instance,
];

impl<'a> Lowerer<'a> {
    pub(super) fn lower_vpcs(&mut self) {
        let explicit_rts = self.count(BlockKind::RouteTable);
        let explicit_nacls = self.count(BlockKind::Nacl);
        let explicit_groups = self.count(BlockKind::SecurityGroup);
        // Implicit main route tables are pushed after the explicit ones, only for the VPCs
        // that mark none, in VPC order: their ids count those VPCs, not all VPCs.
        let mut implicit_rts = self.bases.implicit_main_tables;
        let first_vpc = self.bases.base(BlockKind::Vpc);
        for (k, d) in self.live_of_kind(&[BlockKind::Vpc]).into_iter().enumerate() {
            let k = first_vpc + k;
            let block = self.enter(d);
            let region = match self.required(d, block, AttrKey::Region) {
                Some(attr) => self.region(&attr.value),
                None => String::new(),
            };
            let mut cidrs = Vec::new();
            for attr in block.attrs(AttrKey::Cidr) {
                if let Some(net) = self.cidr(&attr.value) {
                    self.check_block_size(&attr.value, net, BlockOf::Vpc);
                    cidrs.push(CidrBlock {
                        cidr: net,
                        origin: self.origin(attr.value.id),
                    });
                }
            }
            if block.attrs(AttrKey::Cidr).next().is_none() {
                self.required(d, block, AttrKey::Cidr);
            }
            // The main route table: the one marked `main true`, else an implicit one.
            let marked = block.blocks().find(|b| {
                b.kind == BlockKind::RouteTable
                    && b.attrs(AttrKey::Main)
                        .any(|a| a.value.as_bool() == Some(true))
            });
            let marked_id = marked
                .and_then(|b| self.index.decl_of_block(self.file, b.id))
                .and_then(|rt| self.id(rt));
            let main_route_table = match marked_id {
                Some(id) => id,
                None => {
                    implicit_rts += 1;
                    Id::new(explicit_rts + implicit_rts - 1)
                }
            };
            let vpc = Vpc {
                name: self.qualified(d),
                origin: self.origin(block.id),
                region,
                cidrs,
                dns_hostnames: self.bool_attr(block, AttrKey::DnsHostnames, true),
                dns_support: self.bool_attr(block, AttrKey::DnsSupport, true),
                main_route_table,
                default_nacl: Id::new(explicit_nacls + k),
                default_security_group: Id::new(explicit_groups + k),
            };
            self.net.vpcs.push(Arc::new(vpc));
        }
    }

    pub(super) fn region(&mut self, value: &Value) -> String {
        let region = value.describe();
        if !aws::is_region(&region) {
            let candidates: Vec<String> = aws::REGIONS.iter().map(|s| s.to_string()).collect();
            let mut diag = Diag::error(
                codes::UNKNOWN_REGION,
                self.origin(value.id),
                format!("unknown AWS region `{region}`"),
            );
            diag = match super::references::did_you_mean(&region, &candidates) {
                Some(s) => diag.label(format!("did you mean `{s}`?")).suggest(s),
                None => diag.label("not an AWS region"),
            };
            self.error(diag);
        }
        region
    }

    /// A VPC's or a subnet's block has a prefix length AWS allocates (E0008): IPv4 /16 to /28;
    /// IPv6 a range for each owner, in steps of four bits.
    fn check_block_size(&mut self, value: &Value, net: IpNet, of: BlockOf) {
        use aws::limits::*;
        let (family, (min, max), step) = match (net, of) {
            (IpNet::V4(_), _) => ("", (VPC_PREFIX_MIN, VPC_PREFIX_MAX), 1),
            (IpNet::V6(_), BlockOf::Vpc) => ("IPv6 ", VPC_IPV6_PREFIXES, IPV6_PREFIX_STEP),
            (IpNet::V6(_), BlockOf::Subnet) => ("IPv6 ", SUBNET_IPV6_PREFIXES, IPV6_PREFIX_STEP),
        };
        let prefix = net.prefix_len();
        let label = if prefix < min {
            "too large"
        } else if prefix > max {
            "too small"
        } else if !prefix.is_multiple_of(step) {
            "not a multiple of 4"
        } else {
            return;
        };
        let steps = if step > 1 {
            format!(", in steps of {step}")
        } else {
            String::new()
        };
        let diag = Diag::error(
            codes::CIDR_SIZE,
            self.origin(value.id),
            format!(
                "{} {family}CIDR block `{}` is a /{prefix}; AWS allows /{min} to /{max}{steps}",
                of.word(),
                value.describe()
            ),
        )
        .label(label);
        self.error(diag);
    }

    /// The arena id of the VPC enclosing `decl` (always present for VPC members).
    fn vpc_id(&self, decl: DeclId) -> VpcId {
        self.vpc_of(decl)
            .and_then(|v| self.id(v))
            .unwrap_or(Id::new(0))
    }

    pub(super) fn lower_route_tables(&mut self) {
        for d in self.live_of_kind(&[BlockKind::RouteTable]) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let vpc = self.vpc_id(d);
            let main = self.bool_attr(block, AttrKey::Main, false);
            let mut routes = self.local_routes(vpc);
            for stmt in &block.body {
                let Stmt::Route(route) = stmt else { continue };
                let Some(dest) = self.cidr(&route.dest) else {
                    continue;
                };
                let target = match route.target.word() {
                    Some("blackhole") => Some(RouteTarget::Blackhole),
                    _ => self.route_target(&route.target, vpc_decl),
                };
                if let Some(target) = target {
                    routes.push(Route {
                        destination: Destination::Cidr(dest),
                        target,
                        origin: self.origin(route.id),
                    });
                }
            }
            let rt = RouteTable {
                name: self.qualified(d),
                vpc,
                origin: self.origin(block.id),
                main,
                implicit: false,
                routes,
            };
            self.net.route_tables.push(Arc::new(rt));
        }
        self.declared[0] = self.net.route_tables.len();
        // The implicit main route table of each VPC that marks none.
        let first_vpc = self.bases.base(BlockKind::Vpc);
        for local in 0..self.net.vpcs.len() {
            let vpc = &self.net.vpcs[local];
            let v = first_vpc + local;
            if vpc.main_route_table.index() >= self.count(BlockKind::RouteTable) {
                let rt = RouteTable {
                    name: format!("{}.main", vpc.name),
                    vpc: Id::new(v),
                    origin: vpc.origin,
                    main: true,
                    implicit: true,
                    routes: self.local_routes(Id::new(v)),
                };
                self.net.route_tables.push(Arc::new(rt));
            }
        }
    }

    fn local_routes(&self, vpc: VpcId) -> Vec<Route> {
        self.local_vpc(vpc)
            .map(|v| {
                v.cidrs
                    .iter()
                    .map(|c| Route {
                        destination: Destination::Cidr(c.cidr),
                        target: RouteTarget::Local,
                        origin: c.origin,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn route_target(&mut self, value: &Value, vpc: Option<DeclId>) -> Option<RouteTarget> {
        let ValueKind::Ref(_) = &value.kind else {
            return None;
        };
        let resolved = self.resolution.get(self.file, value.id)?;
        if let Some(d) = resolved.decl {
            let kind = self.index.decls[d].kind;
            if !ROUTE_TARGETS.contains(&kind) {
                let name = self.qualified(d);
                let diag = Diag::error(
                    codes::ROUTE_TARGET_KIND,
                    self.origin(value.id),
                    format!(
                        "`{name}` is {}, which cannot be a route target",
                        kind.describe()
                    ),
                )
                .label("not a route target")
                .secondary(self.index.decls[d].name_origin, format!("`{name}` is declared here"))
                .note("a route targets an internet gateway, NAT gateway, peering connection, transit gateway, virtual private gateway, instance, or `blackhole`");
                self.error(diag);
                return None;
            }
        }
        let d = self.reference(value, ROUTE_TARGETS, "a route's target")?;
        if let (Some(vpc), Some(target_vpc)) = (vpc, self.vpc_of(d)) {
            if vpc != target_vpc {
                let name = self.qualified(d);
                let diag = Diag::error(
                    codes::ROUTE_TARGET_OTHER_VPC,
                    self.origin(value.id),
                    format!(
                        "route target `{name}` is in VPC `{}`, not in this route table's VPC `{}`",
                        self.index.decls[target_vpc].name, self.index.decls[vpc].name
                    ),
                )
                .label("in another VPC")
                .secondary(self.index.decls[d].name_origin, format!("`{name}` is declared here"))
                .note("a VPC cannot route through another VPC's gateways (no edge-to-edge routing); route to a peering connection or a transit gateway instead");
                self.error(diag);
                return None;
            }
        }
        let id = self.index.arena_index(d)?;
        Some(match self.index.decls[d].kind {
            BlockKind::InternetGateway => RouteTarget::InternetGateway(Id::new(id)),
            BlockKind::NatGateway => RouteTarget::NatGateway(Id::new(id)),
            BlockKind::Peering => RouteTarget::Peering(Id::new(id)),
            BlockKind::TransitGateway => RouteTarget::TransitGateway(Id::new(id)),
            BlockKind::VpnGateway => RouteTarget::VpnGateway(Id::new(id)),
            _ => RouteTarget::Instance(Id::new(id)),
        })
    }

    pub(super) fn lower_nacls(&mut self) {
        for d in self.live_of_kind(&[BlockKind::Nacl]) {
            let block = self.enter(d);
            let mut inbound = Vec::new();
            let mut outbound = Vec::new();
            let mut seen: Vec<(Direction, u32, crate::syntax::NodeId)> = Vec::new();
            for stmt in &block.body {
                let Stmt::NaclRule(rule) = stmt else { continue };
                let number = self.int(
                    &rule.number,
                    1,
                    aws::limits::NACL_RULE_NUMBER_MAX as u64,
                    "a network ACL rule number",
                    codes::NACL_RULE_NUMBER,
                );
                let number = number.map(|n| n as u32);
                if let Some(n) = number {
                    if let Some(&(_, _, first)) = seen
                        .iter()
                        .find(|(dir, m, _)| *dir == rule.direction && *m == n)
                    {
                        let dir = match rule.direction {
                            Direction::Inbound => "inbound",
                            Direction::Outbound => "outbound",
                        };
                        let diag = Diag::error(
                            codes::NACL_RULE_DUPLICATE,
                            self.origin(rule.number.id),
                            format!("{dir} rule {n} is given twice in nacl `{}`", self.qualified(d)),
                        )
                        .label("repeated rule number")
                        .secondary(self.origin(first), "first used here")
                        .note("each direction of a network ACL numbers its rules uniquely; renumber one");
                        self.error(diag);
                    } else {
                        seen.push((rule.direction, n, rule.number.id));
                    }
                }
                let action = match rule.action.word() {
                    Some("deny") => Action::Deny,
                    _ => Action::Allow,
                };
                let (protocol, ports) = self.protocol_ports(&rule.protocol, rule.ports.as_ref());
                let cidr = match &rule.peer.kind {
                    ValueKind::Cidr(_) => self.cidr(&rule.peer),
                    _ => {
                        let diag = Diag::error(
                            codes::WRONG_KIND,
                            self.origin(rule.peer.id),
                            format!(
                                "a network ACL rule matches a CIDR block, found `{}`",
                                rule.peer.describe()
                            ),
                        )
                        .label("expected a CIDR block")
                        .note("network ACLs cannot name security groups or services: write the CIDR block (`10.0.0.0/16`, `0.0.0.0/0`)");
                        self.error(diag);
                        None
                    }
                };
                if let (Some(number), Some(protocol), Some(ports), Some(cidr)) =
                    (number, protocol, ports, cidr)
                {
                    let lowered = NaclRule {
                        number,
                        action,
                        protocol,
                        ports,
                        cidr,
                        origin: self.origin(rule.id),
                    };
                    match rule.direction {
                        Direction::Inbound => inbound.push(lowered),
                        Direction::Outbound => outbound.push(lowered),
                    }
                }
            }
            inbound.sort_by_key(|r| r.number);
            outbound.sort_by_key(|r| r.number);
            let nacl = Nacl {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                default: false,
                inbound,
                outbound,
            };
            self.net.nacls.push(Arc::new(nacl));
        }
        self.declared[1] = self.net.nacls.len();
        // The default NACL of each VPC: rule 100 allows everything, both ways.
        let first_vpc = self.bases.base(BlockKind::Vpc);
        for local in 0..self.net.vpcs.len() {
            let vpc = &self.net.vpcs[local];
            let v = first_vpc + local;
            let allow_all = |cidr: &str| NaclRule {
                number: 100,
                action: Action::Allow,
                protocol: Protocol::All,
                ports: PortRange::ALL,
                cidr: cidr.parse().unwrap_or(IpNet::V4(Default::default())),
                origin: vpc.origin,
            };
            let mut rules = vec![allow_all("0.0.0.0/0")];
            if vpc.cidrs.iter().any(|c| matches!(c.cidr, IpNet::V6(_))) {
                let mut v6 = allow_all("::/0");
                v6.number = 101;
                rules.push(v6);
            }
            let nacl = Nacl {
                name: format!("{}.default", vpc.name),
                vpc: Id::new(v),
                origin: vpc.origin,
                default: true,
                inbound: rules.clone(),
                outbound: rules,
            };
            self.net.nacls.push(Arc::new(nacl));
        }
    }

    /// A rule's protocol and ports; ports with `all` or `icmp` are an error.
    fn protocol_ports(
        &mut self,
        protocol: &Value,
        ports: Option<&Value>,
    ) -> (Option<Protocol>, Option<PortRange>) {
        let proto = protocol.word().and_then(Protocol::parse);
        let range = match (proto, ports) {
            (Some(p), Some(value)) if !p.has_ports() => {
                let diag = Diag::error(
                    codes::PORTS_WITHOUT_PROTOCOL,
                    self.origin(value.id),
                    format!("protocol `{p}` takes no ports, found `{}`", value.describe()),
                )
                .label("remove these ports")
                .note("`all` matches every port; `icmp` has types and codes, not ports. Use `tcp` or `udp` to match ports");
                self.error(diag);
                None
            }
            (_, Some(value)) => self.ports(value),
            (_, None) => Some(PortRange::ALL),
        };
        (proto, range)
    }

    pub(super) fn lower_security_groups(&mut self) {
        for d in self.live_of_kind(&[BlockKind::SecurityGroup]) {
            let block = self.enter(d);
            let mut ingress = Vec::new();
            let mut egress = Vec::new();
            for stmt in &block.body {
                let Stmt::SgRule(rule) = stmt else { continue };
                let (protocol, ports) = self.protocol_ports(&rule.protocol, rule.ports.as_ref());
                let peer = match &rule.peer.kind {
                    ValueKind::Cidr(_) => self.cidr(&rule.peer).map(SgPeer::Cidr),
                    _ => match self.service_or_item(
                        &rule.peer,
                        SECURITY_GROUP,
                        "a security group rule names a CIDR block, a security group or a service prefix list",
                    ) {
                        Some(ServiceRef::Item(g)) => self.id(g).map(SgPeer::SecurityGroup),
                        Some(ServiceRef::Aws(s)) => Some(self.prefix_list(&rule.peer, s)),
                        None => None,
                    },
                };
                let description = match rule.description.as_ref().map(|v| &v.kind) {
                    Some(ValueKind::Str(s)) => Some(s.to_string()),
                    _ => None,
                };
                if let (Some(protocol), Some(ports), Some(peer)) = (protocol, ports, peer) {
                    let lowered = SgRule {
                        protocol,
                        ports,
                        peer,
                        description,
                        origin: self.origin(rule.id),
                    };
                    match rule.direction {
                        Direction::Inbound => ingress.push(lowered),
                        Direction::Outbound => egress.push(lowered),
                    }
                }
            }
            let written_egress = block
                .body
                .iter()
                .any(|s| matches!(s, Stmt::SgRule(r) if r.direction == Direction::Outbound));
            let origin = self.origin(block.id);
            if !written_egress {
                for cidr in ["0.0.0.0/0", "::/0"] {
                    if let Ok(cidr) = cidr.parse() {
                        egress.push(SgRule {
                            protocol: Protocol::All,
                            ports: PortRange::ALL,
                            peer: SgPeer::Cidr(cidr),
                            description: Some("AWS default egress rule".to_string()),
                            origin,
                        });
                    }
                }
            }
            let description =
                self.attr(block, AttrKey::Description)
                    .and_then(|a| match &a.value.kind {
                        ValueKind::Str(s) => Some(s.to_string()),
                        _ => None,
                    });
            let sg = SecurityGroup {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin,
                ingress,
                egress,
                default_egress: !written_egress,
                default: false,
                description,
            };
            self.net.security_groups.push(Arc::new(sg));
        }
        // The default security group of each VPC: all traffic from its own members, all
        // traffic out.
        self.declared[2] = self.net.security_groups.len();
        let explicit = self.count(BlockKind::SecurityGroup);
        let first_vpc = self.bases.base(BlockKind::Vpc);
        for local in 0..self.net.vpcs.len() {
            let vpc = &self.net.vpcs[local];
            let v = first_vpc + local;
            let own = Id::new(explicit + v);
            let all = |peer: SgPeer, description: &str| SgRule {
                protocol: Protocol::All,
                ports: PortRange::ALL,
                peer,
                description: Some(description.to_string()),
                origin: vpc.origin,
            };
            let mut egress = Vec::new();
            for cidr in ["0.0.0.0/0", "::/0"] {
                if let Ok(cidr) = cidr.parse() {
                    egress.push(all(SgPeer::Cidr(cidr), "AWS default egress rule"));
                }
            }
            let sg = SecurityGroup {
                name: format!("{}.default", vpc.name),
                vpc: Id::new(v),
                origin: vpc.origin,
                ingress: vec![all(
                    SgPeer::SecurityGroup(own),
                    "AWS default: traffic from members of this group",
                )],
                egress,
                default_egress: true,
                default: true,
                description: Some("default VPC security group".to_string()),
            };
            self.net.security_groups.push(Arc::new(sg));
        }
    }

    /// The security groups named by `block`, or its VPC's default group when it names none
    /// (as AWS attaches it).
    pub(super) fn groups_or_default(
        &mut self,
        d: DeclId,
        block: &'a Block,
        role: &str,
    ) -> Vec<SecurityGroupId> {
        let vpc_decl = self.vpc_of(d);
        if block.attrs(AttrKey::SecurityGroups).next().is_none() {
            let vpc = self.vpc_id(d);
            return self
                .local_vpc(vpc)
                .map(|v| vec![v.default_security_group])
                .unwrap_or_default();
        }
        self.members(
            block,
            AttrKey::SecurityGroups,
            SECURITY_GROUP,
            vpc_decl,
            role,
        )
    }

    /// A service named in a security group rule: only services with managed prefix lists.
    fn prefix_list(&mut self, value: &Value, service: String) -> SgPeer {
        if !aws::PREFIX_LIST_SERVICES.contains(&service.as_str()) {
            let diag = Diag::error(
                codes::WRONG_KIND,
                self.origin(value.id),
                format!("AWS has no managed prefix list for `{service}`; a security group rule can name `s3` or `dynamodb`"),
            )
            .label("no prefix list")
            .note("to reach an interface endpoint, name the endpoint's security group or its subnets' CIDR blocks");
            self.error(diag);
        }
        SgPeer::PrefixList(service)
    }

    pub(super) fn lower_subnets(&mut self) {
        for d in self.live_of_kind(&[BlockKind::Subnet]) {
            let block = self.enter(d);
            let vpc = self.vpc_id(d);
            let vpc_decl = self.vpc_of(d);
            let region = self
                .local_vpc(vpc)
                .map(|v| v.region.clone())
                .unwrap_or_default();
            let az = match self.required(d, block, AttrKey::Az) {
                Some(attr) => {
                    let az = attr.value.describe();
                    if aws::is_region(&region) && !aws::az_in_region(&az, &region) {
                        let mut diag = Diag::error(
                            codes::AZ_NOT_IN_REGION,
                            self.origin(attr.value.id),
                            format!("availability zone `{az}` is not in region `{region}` of VPC `{}`", self.local_vpc(vpc).map(|v| v.name.as_str()).unwrap_or_default()),
                        )
                        .label(format!("not in `{region}`"))
                        .note(format!("availability zones of `{region}` are named `{region}a`, `{region}b` ..."));
                        if let Some(letter) = az.chars().last().filter(|c| c.is_ascii_lowercase()) {
                            diag = diag.suggest(format!("{region}{letter}"));
                        }
                        self.error(diag);
                    }
                    az
                }
                None => String::new(),
            };
            let mut cidr: Option<CidrBlock> = None;
            let mut ipv6_cidr = None;
            for attr in block.attrs(AttrKey::Cidr) {
                let Some(net) = self.cidr(&attr.value) else {
                    continue;
                };
                self.check_block_size(&attr.value, net, BlockOf::Subnet);
                let slot = match net {
                    IpNet::V4(_) => &mut cidr,
                    IpNet::V6(_) => &mut ipv6_cidr,
                };
                if let Some(first) = slot {
                    let version = if net.addr().is_ipv4() { "IPv4" } else { "IPv6" };
                    let diag = Diag::error(
                        codes::REPEATED_ATTRIBUTE,
                        self.origin(attr.value.id),
                        format!(
                            "subnet `{}` has two {version} CIDR blocks: `{}` and `{net}`",
                            self.qualified(d),
                            first.cidr
                        ),
                    )
                    .label("second block")
                    .secondary(first.origin, "first block")
                    .note("a subnet has one IPv4 and at most one IPv6 CIDR block");
                    self.error(diag);
                    continue;
                }
                *slot = Some(CidrBlock {
                    cidr: net,
                    origin: self.origin(attr.value.id),
                });
            }
            if block.attrs(AttrKey::Cidr).next().is_none() {
                self.required(d, block, AttrKey::Cidr);
            }
            let main = self
                .local_vpc(vpc)
                .map(|v| v.main_route_table)
                .unwrap_or(Id::new(0));
            let route_table = match self.attr(block, AttrKey::RouteTable) {
                Some(attr) => self
                    .member(&attr.value, ROUTE_TABLE, vpc_decl, "a subnet's route table")
                    .and_then(|rt| self.id(rt))
                    .unwrap_or(main),
                None => main,
            };
            let default_nacl = self
                .local_vpc(vpc)
                .map(|v| v.default_nacl)
                .unwrap_or(Id::new(0));
            let nacl = match self.attr(block, AttrKey::Nacl) {
                Some(attr) => self
                    .member(
                        &attr.value,
                        &[BlockKind::Nacl],
                        vpc_decl,
                        "a subnet's network ACL",
                    )
                    .and_then(|n| self.id(n))
                    .unwrap_or(default_nacl),
                None => default_nacl,
            };
            let subnet = Subnet {
                name: self.qualified(d),
                vpc,
                origin: self.origin(block.id),
                az,
                cidr,
                ipv6_cidr,
                route_table,
                nacl,
                public_ip_on_launch: self.bool_attr(block, AttrKey::PublicIpOnLaunch, false),
            };
            self.net.subnets.push(Arc::new(subnet));
        }
    }

    /// A reference to an item that must be in the VPC `vpc`.
    pub(super) fn member(
        &mut self,
        value: &Value,
        accepted: &[BlockKind],
        vpc: Option<DeclId>,
        role: &str,
    ) -> Option<DeclId> {
        let d = self.reference(value, accepted, role)?;
        match vpc {
            Some(vpc) if !self.same_vpc(d, vpc, value, role) => None,
            _ => Some(d),
        }
    }

    /// A list of references that must be in the VPC `vpc`.
    pub(super) fn members<T>(
        &mut self,
        block: &'a Block,
        key: AttrKey,
        accepted: &[BlockKind],
        vpc: Option<DeclId>,
        role: &str,
    ) -> Vec<Id<T>> {
        let Some(attr) = self.attr(block, key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in attr.value.items() {
            if let Some(id) = self
                .member(item, accepted, vpc, role)
                .and_then(|d| self.id(d))
            {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }

    pub(super) fn lower_gateways(&mut self) {
        for d in self.live_of_kind(&[BlockKind::InternetGateway]) {
            let block = self.enter(d);
            let igw = InternetGateway {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
            };
            self.net.internet_gateways.push(Arc::new(igw));
        }
        for d in self.live_of_kind(&[BlockKind::NatGateway]) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let subnet = self
                .required(d, block, AttrKey::Subnet)
                .and_then(|a| self.member(&a.value, SUBNET, vpc_decl, "a NAT gateway's subnet"))
                .and_then(|s| self.id(s));
            let public = self
                .attr(block, AttrKey::Connectivity)
                .and_then(|a| a.value.word())
                != Some("private");
            let nat = NatGateway {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                subnet,
                public,
            };
            self.net.nat_gateways.push(Arc::new(nat));
        }
        for d in self.live_of_kind(&[BlockKind::VpnGateway]) {
            let block = self.enter(d);
            let asn = self.asn(block);
            let vgw = VpnGateway {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                asn,
            };
            self.net.vpn_gateways.push(Arc::new(vgw));
        }
    }

    pub(super) fn asn(&mut self, block: &'a Block) -> Option<u32> {
        let attr = self.attr(block, AttrKey::Asn)?;
        self.int(
            &attr.value,
            1,
            u32::MAX as u64,
            "an autonomous system number",
            codes::INVALID_VALUE,
        )
        .map(|n| n as u32)
    }

    pub(super) fn lower_endpoints(&mut self) {
        for d in self.live_of_kind(&[BlockKind::Endpoint]) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let service = self.required(d, block, AttrKey::Service).and_then(|a| {
                self.service_or_item(
                    &a.value,
                    &[BlockKind::EndpointService],
                    "an endpoint's service is an AWS service or an endpoint service",
                )
                .map(|s| (a, s))
            });
            // `type` is required: AWS's API defaults to gateway, the console to interface.
            let kind = match self
                .required(d, block, AttrKey::Type)
                .and_then(|a| a.value.word())
            {
                Some("gateway") => EndpointType::Gateway,
                _ => EndpointType::Interface,
            };
            let service = match service {
                Some((_, ServiceRef::Item(s))) => self.id(s).map(EndpointTarget::EndpointService),
                Some((attr, ServiceRef::Aws(name))) => {
                    if kind == EndpointType::Gateway
                        && !aws::GATEWAY_SERVICES.contains(&name.as_str())
                    {
                        let diag = Diag::error(
                            codes::GATEWAY_ENDPOINT_SERVICE,
                            self.origin(attr.value.id),
                            format!("endpoint `{}` is a gateway endpoint for `{name}`, but only `s3` and `dynamodb` have gateway endpoints", self.qualified(d)),
                        )
                        .label("gateway endpoints serve only s3 and dynamodb")
                        .note(format!("use `type interface` with `subnets` and `security_groups` for `{name}`"));
                        self.error(diag);
                    }
                    Some(EndpointTarget::Aws(name))
                }
                None => None,
            };
            let route_tables = self.members(
                block,
                AttrKey::RouteTables,
                ROUTE_TABLE,
                vpc_decl,
                "an endpoint's route table",
            );
            let subnets: Vec<SubnetId> = self.members(
                block,
                AttrKey::Subnets,
                SUBNET,
                vpc_decl,
                "an endpoint's subnet",
            );
            if kind == EndpointType::Interface {
                self.one_subnet_per_az(
                    block,
                    &subnets,
                    codes::ENDPOINT_SUBNETS_SAME_AZ,
                    &format!("interface endpoint `{}`", self.qualified(d)),
                );
            }
            let security_groups = if kind == EndpointType::Interface {
                self.groups_or_default(d, block, "an endpoint's security group")
            } else {
                self.members(
                    block,
                    AttrKey::SecurityGroups,
                    SECURITY_GROUP,
                    vpc_decl,
                    "an endpoint's security group",
                )
            };
            let private_dns = self.bool_attr(block, AttrKey::PrivateDns, false);
            let route_tables_origin =
                (block.attrs(AttrKey::RouteTables).next()).map(|a| self.origin(a.id));
            if let Some(service) = service {
                let endpoint = Endpoint {
                    name: self.qualified(d),
                    vpc: self.vpc_id(d),
                    origin: self.origin(block.id),
                    service,
                    kind,
                    route_tables,
                    subnets,
                    security_groups,
                    private_dns,
                    route_tables_origin,
                };
                self.net.endpoints.push(Arc::new(endpoint));
            } else {
                // Keep arena indices aligned: an endpoint whose service failed still exists.
                let endpoint = Endpoint {
                    name: self.qualified(d),
                    vpc: self.vpc_id(d),
                    origin: self.origin(block.id),
                    service: EndpointTarget::Aws(String::new()),
                    kind,
                    route_tables,
                    subnets,
                    security_groups,
                    private_dns,
                    route_tables_origin,
                };
                self.net.endpoints.push(Arc::new(endpoint));
            }
        }
        for d in self.live_of_kind(&[BlockKind::EndpointService]) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let load_balancer = self
                .required(d, block, AttrKey::LoadBalancer)
                .and_then(|a| {
                    self.member(
                        &a.value,
                        &[BlockKind::LoadBalancer],
                        vpc_decl,
                        "an endpoint service's load balancer",
                    )
                })
                .and_then(|lb| self.id(lb));
            let allowed_principals = self.strings(block, AttrKey::AllowedPrincipals);
            let service = EndpointService {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                load_balancer,
                acceptance_required: self.bool_attr(block, AttrKey::AcceptanceRequired, true),
                allowed_principals,
                attr_origins: EndpointServiceAttrs {
                    acceptance_required: block
                        .attrs(AttrKey::AcceptanceRequired)
                        .next()
                        .map(|a| self.origin(a.id)),
                    allowed_principals: block
                        .attrs(AttrKey::AllowedPrincipals)
                        .next()
                        .map(|a| self.origin(a.id)),
                },
            };
            self.net.endpoint_services.push(Arc::new(service));
        }
    }

    /// The strings of a list attribute (principals, account ids).
    pub(super) fn strings(&mut self, block: &'a Block, key: AttrKey) -> Vec<String> {
        let Some(attr) = self.attr(block, key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in attr.value.items() {
            match &item.kind {
                ValueKind::Str(s) => out.push(s.to_string()),
                ValueKind::Int(s) => out.push(s.to_string()),
                _ => {
                    let diag = Diag::error(
                        codes::INVALID_VALUE,
                        self.origin(item.id),
                        format!(
                            "expected a quoted string (an account id or ARN), found `{}`",
                            item.describe()
                        ),
                    )
                    .label("write it in quotes");
                    self.error(diag);
                }
            }
        }
        out
    }

    /// Reports two subnets of one list (of this file's subnets) in one availability zone.
    pub(super) fn one_subnet_per_az(
        &mut self,
        block: &'a Block,
        subnets: &[SubnetId],
        code: crate::diagnostics::Code,
        what: &str,
    ) {
        let Some(check) = self.zone_check(block, subnets, code, what) else {
            return;
        };
        let diags = super::assemble::one_subnet_per_zone(|s| self.local_subnet(s), &check);
        self.diags.extend(diags);
    }

    /// The check that `subnets`, the value of `block`'s `subnets`, are in distinct zones.
    pub(super) fn zone_check(
        &self,
        block: &'a Block,
        subnets: &[SubnetId],
        code: crate::diagnostics::Code,
        what: &str,
    ) -> Option<super::ZoneCheck> {
        let attr = block.attrs(AttrKey::Subnets).next()?;
        Some(super::ZoneCheck {
            origin: self.origin(attr.value.id),
            subnets: subnets.to_vec(),
            code,
            what: what.to_string(),
        })
    }

    pub(super) fn lower_load_balancing(&mut self) {
        for d in self.live_of_kind(&[BlockKind::LoadBalancer]) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let kind = match self.attr(block, AttrKey::Type).and_then(|a| a.value.word()) {
                Some("network") => LoadBalancerType::Network,
                _ => LoadBalancerType::Application,
            };
            let subnets: Vec<SubnetId> = match self.required(d, block, AttrKey::Subnets) {
                Some(_) => self.members(
                    block,
                    AttrKey::Subnets,
                    SUBNET,
                    vpc_decl,
                    "a load balancer's subnet",
                ),
                None => Vec::new(),
            };
            self.one_subnet_per_az(
                block,
                &subnets,
                codes::LOAD_BALANCER_SUBNETS_SAME_AZ,
                &format!("load balancer `{}`", self.qualified(d)),
            );
            // An application load balancer always has groups (the default one when none is
            // named); a network load balancer has none unless they are named.
            let security_groups = if kind == LoadBalancerType::Application {
                self.groups_or_default(d, block, "a load balancer's security group")
            } else {
                self.members(
                    block,
                    AttrKey::SecurityGroups,
                    SECURITY_GROUP,
                    vpc_decl,
                    "a load balancer's security group",
                )
            };
            let mut listeners = Vec::new();
            for stmt in &block.body {
                let Stmt::Listener(l) = stmt else { continue };
                let protocol = l.protocol.describe();
                self.check_listener_protocol(&l.protocol, kind, d);
                let port = self.port(&l.port);
                let tg = self
                    .member(
                        &l.target,
                        &[BlockKind::TargetGroup],
                        vpc_decl,
                        "a listener's target group",
                    )
                    .and_then(|t| self.id(t));
                if let (Some(port), Some(target_group)) = (port, tg) {
                    listeners.push(Listener {
                        protocol,
                        port,
                        target_group,
                        origin: self.origin(l.id),
                    });
                }
            }
            let lb = LoadBalancer {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                kind,
                subnets,
                security_groups,
                internal: self.bool_attr(block, AttrKey::Internal, false),
                listeners,
            };
            self.net.load_balancers.push(Arc::new(lb));
        }
        for d in self.live_of_kind(&[BlockKind::TargetGroup]) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let protocol = self
                .attr(block, AttrKey::Protocol)
                .map(|a| a.value.describe());
            let port = self
                .attr(block, AttrKey::Port)
                .and_then(|a| self.port(&a.value));
            let mut targets = Vec::new();
            if let Some(attr) = self.attr(block, AttrKey::Targets) {
                for item in attr.value.items() {
                    let target = match &item.kind {
                        ValueKind::Address(_) => self.address(item).map(Target::Address),
                        _ => self
                            .member(item, WORKLOADS, vpc_decl, "a target group's target")
                            .and_then(|w| self.id(w))
                            .map(Target::Workload),
                    };
                    targets.extend(target);
                }
            }
            let tg = TargetGroup {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                protocol,
                port,
                targets,
            };
            self.net.target_groups.push(Arc::new(tg));
        }
    }

    fn check_listener_protocol(&mut self, value: &Value, kind: LoadBalancerType, lb: DeclId) {
        let protocol = value.describe();
        if !crate::check::lb_supports(kind, &protocol) {
            let (word, allowed) = crate::check::lb_protocols(kind);
            let diag = Diag::error(
                codes::LISTENER_PROTOCOL,
                self.origin(value.id),
                format!(
                    "{word} load balancer `{}` listens on {allowed}, not `{protocol}`",
                    self.qualified(lb)
                ),
            )
            .label(format!("not a protocol of {word} load balancers"));
            self.error(diag);
        }
    }

    pub(super) fn lower_workloads(&mut self) {
        for d in self.live_of_kind(WORKLOADS) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let kind = match block.kind {
                BlockKind::Function => WorkloadKind::Function,
                BlockKind::Database => WorkloadKind::Database,
                _ => WorkloadKind::Instance,
            };
            let mut subnets: Vec<SubnetId> = Vec::new();
            if let Some(attr) = self.attr(block, AttrKey::Subnet) {
                if let Some(s) = self
                    .member(&attr.value, SUBNET, vpc_decl, "a workload's subnet")
                    .and_then(|s| self.id(s))
                {
                    subnets.push(s);
                }
            }
            subnets.extend(self.members::<Subnet>(
                block,
                AttrKey::Subnets,
                SUBNET,
                vpc_decl,
                "a workload's subnet",
            ));
            if block.attrs(AttrKey::Subnet).next().is_none()
                && block.attrs(AttrKey::Subnets).next().is_none()
            {
                self.required(d, block, AttrKey::Subnet);
            }
            let security_groups = self.groups_or_default(d, block, "a workload's security group");
            let uses = self.uses(block);
            let private_ip = self
                .attr(block, AttrKey::PrivateIp)
                .and_then(|a| self.address(&a.value));
            let port = self
                .attr(block, AttrKey::Port)
                .and_then(|a| self.port(&a.value));
            let engine = self
                .attr(block, AttrKey::Engine)
                .map(|a| match &a.value.kind {
                    ValueKind::Str(s) => s.to_string(),
                    _ => a.value.describe(),
                });
            // An instance without `public_ip` gets one when its subnet assigns them on launch.
            let launch_default = kind == WorkloadKind::Instance
                && subnets
                    .iter()
                    .any(|&s| self.local_subnet(s).is_some_and(|s| s.public_ip_on_launch));
            let public_ip = self.bool_attr(block, AttrKey::PublicIp, launch_default);
            let workload = Workload {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                kind,
                subnets,
                security_groups,
                uses,
                public_ip,
                private_ip,
                port,
                engine,
            };
            self.net.workloads.push(Arc::new(workload));
        }
    }

    fn uses(&mut self, block: &'a Block) -> Vec<Use> {
        let Some(attr) = self.attr(block, AttrKey::Uses) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in attr.value.items() {
            let used = match &item.kind {
                ValueKind::Ref(p) if p == "internet" => Some(Use::Internet),
                ValueKind::Ref(_) => match self.service_or_item(
                    item,
                    &[BlockKind::EndpointService, BlockKind::LatticeService, BlockKind::ResourceConfiguration],
                    "`uses` names AWS services, `internet`, endpoint services, Lattice services and resource configurations",
                ) {
                    Some(ServiceRef::Aws(s)) => Some(Use::Service(s.into())),
                    Some(ServiceRef::Item(d)) => match self.index.decls[d].kind {
                        BlockKind::EndpointService => self.id(d).map(Use::EndpointService),
                        BlockKind::LatticeService => self.id(d).map(Use::LatticeService),
                        _ => self.id(d).map(Use::ResourceConfiguration),
                    },
                    None => None,
                },
                _ => {
                    let diag = Diag::error(
                        codes::INVALID_VALUE,
                        self.origin(item.id),
                        format!("`uses` takes service names, found `{}`", item.describe()),
                    )
                    .label("not a service name");
                    self.error(diag);
                    None
                }
            };
            if let Some(u) = used {
                if !out.contains(&u) {
                    out.push(u);
                }
            }
        }
        out
    }

    pub(super) fn lower_resource_sharing(&mut self) {
        for d in self.live_of_kind(&[BlockKind::ResourceGateway]) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let rg = ResourceGateway {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                subnets: self.members(
                    block,
                    AttrKey::Subnets,
                    SUBNET,
                    vpc_decl,
                    "a resource gateway's subnet",
                ),
                security_groups: self.groups_or_default(
                    d,
                    block,
                    "a resource gateway's security group",
                ),
            };
            self.net.resource_gateways.push(Arc::new(rg));
        }
        for d in self.live_of_kind(&[BlockKind::ResourceConfiguration]) {
            let block = self.enter(d);
            let vpc_decl = self.vpc_of(d);
            let gateway = match self.attr(block, AttrKey::Gateway) {
                Some(a) => self
                    .member(
                        &a.value,
                        &[BlockKind::ResourceGateway],
                        vpc_decl,
                        "a resource configuration's gateway",
                    )
                    .and_then(|g| self.id(g)),
                None if super::has_syntax_error(block) => None,
                None => {
                    let diag = Diag::error(
                        codes::RESOURCE_CONFIGURATION_GATEWAY,
                        self.origin(block.name.id),
                        format!("resource configuration `{}` has no `gateway`", self.qualified(d)),
                    )
                    .label("`gateway` missing")
                    .note("a resource configuration is reached only through a resource gateway: add `gateway NAME` naming a `resource_gateway` of this VPC");
                    self.error(diag);
                    None
                }
            };
            let address = match self.attr(block, AttrKey::Address) {
                Some(a) => match &a.value.kind {
                    ValueKind::Address(_) => self.address(&a.value).map(ResourceAddress::Ip),
                    ValueKind::Str(s) => Some(ResourceAddress::Dns(s.to_string())),
                    _ => self
                        .member(
                            &a.value,
                            WORKLOADS,
                            vpc_decl,
                            "a resource configuration's address",
                        )
                        .and_then(|w| self.id(w))
                        .map(ResourceAddress::Workload),
                },
                None => None,
            };
            let port = self
                .attr(block, AttrKey::Port)
                .and_then(|a| self.port(&a.value));
            let rc = ResourceConfiguration {
                name: self.qualified(d),
                vpc: self.vpc_id(d),
                origin: self.origin(block.id),
                gateway,
                address,
                port,
                share_with: self.strings(block, AttrKey::ShareWith),
            };
            self.net.resource_configurations.push(Arc::new(rc));
        }
    }

    /// Each gateway endpoint adds a prefix-list route to each of its route tables.
    pub(super) fn add_gateway_endpoint_routes(&mut self) {
        let mut added = Vec::new();
        let first_endpoint = self.bases.base(BlockKind::Endpoint);
        for (e, endpoint) in self.net.endpoints.iter().enumerate() {
            let e = first_endpoint + e;
            let EndpointTarget::Aws(service) = &endpoint.service else {
                continue;
            };
            if endpoint.kind != EndpointType::Gateway || service.is_empty() {
                continue;
            }
            let route = Route {
                destination: Destination::PrefixList(service.clone()),
                target: RouteTarget::GatewayEndpoint(Id::new(e)),
                origin: endpoint.origin,
            };
            for rt in &endpoint.route_tables {
                added.push((*rt, route.clone()));
            }
        }
        for (rt, route) in added {
            let Some(local) = self
                .local(BlockKind::RouteTable, rt.index())
                .filter(|&i| i < self.declared[0])
            else {
                continue;
            };
            if let Some(table) = self.net.route_tables.get_mut(local) {
                Arc::make_mut(table).routes.push(route);
            }
        }
    }
}

/// What a CIDR block belongs to, for the sizes AWS allows it ([`Lowerer::check_block_size`]).
#[derive(Clone, Copy)]
enum BlockOf {
    Vpc,
    Subnet,
}

impl BlockOf {
    fn word(self) -> &'static str {
        match self {
            BlockOf::Vpc => "VPC",
            BlockOf::Subnet => "subnet",
        }
    }
}
