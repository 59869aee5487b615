//! Lowering of top-level items: peering, transit gateways, on-premises networks, VPC Lattice,
//! and `expect` lines (top-level or in a VPC).

use std::sync::Arc;

use super::references::ServiceRef;
use super::Lowerer;
use crate::diagnostics::{codes, Diag};
use crate::ir::model::*;
use crate::ir::{DeclId, Scope};
use crate::syntax::{AttrKey, BlockKind, Stmt, Tree, Value, ValueKind};

const VPC: &[BlockKind] = &[BlockKind::Vpc];

/// What an `expect` endpoint may name.
const FLOW_ENDPOINTS: &[BlockKind] = &[
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

impl<'a> Lowerer<'a> {
    pub(super) fn lower_peerings(&mut self) {
        for d in self.live_of_kind(&[BlockKind::Peering]) {
            let block = self.enter(d);
            let requester = self
                .required(d, block, AttrKey::Requester)
                .and_then(|a| self.reference(&a.value, VPC, "a peering's requester"))
                .and_then(|v| self.id(v));
            let accepter = self
                .required(d, block, AttrKey::Accepter)
                .and_then(|a| self.reference(&a.value, VPC, "a peering's accepter"))
                .and_then(|v| self.id(v));
            let peering = Peering {
                name: self.qualified(d),
                origin: self.origin(block.id),
                requester,
                accepter,
            };
            self.net.peerings.push(Arc::new(peering));
        }
    }

    pub(super) fn lower_transit_gateways(&mut self) {
        // Attachments first: routes name them.
        for d in self.live_of_kind(&[BlockKind::Attachment]) {
            let block = self.enter(d);
            let Scope::In(tgw) = self.index.decls[d].scope else {
                continue;
            };
            let vpc_decl = self
                .required(d, block, AttrKey::Vpc)
                .and_then(|a| self.reference(&a.value, VPC, "an attachment's VPC"));
            let mut subnets: Vec<SubnetId> = Vec::new();
            if let Some(attr) = self.attr(block, AttrKey::Subnets) {
                for item in attr.value.items() {
                    let Some(s) =
                        self.reference(item, &[BlockKind::Subnet], "an attachment's subnet")
                    else {
                        continue;
                    };
                    if let (Some(vpc), Some(subnet_vpc)) = (vpc_decl, self.vpc_of(s)) {
                        if vpc != subnet_vpc {
                            let name = self.qualified(s);
                            let diag = Diag::error(
                                codes::ATTACHMENT_FOREIGN_SUBNET,
                                self.origin(item.id),
                                format!(
                                    "attachment `{}` attaches VPC `{}`, but subnet `{name}` is in VPC `{}`",
                                    self.qualified(d),
                                    self.index.decls[vpc].name,
                                    self.index.decls[subnet_vpc].name
                                ),
                            )
                            .label("subnet of another VPC")
                            .secondary(self.index.decls[s].name_origin, format!("`{name}` is declared here"))
                            .note("a transit gateway attachment places interfaces only in subnets of the VPC it attaches");
                            self.error(diag);
                            continue;
                        }
                    }
                    if let Some(id) = self.id(s) {
                        if !subnets.contains(&id) {
                            subnets.push(id);
                        }
                    }
                }
            }
            // The attached VPC may be another file's: checked once the files are joined.
            let what = format!("transit gateway attachment `{}`", self.qualified(d));
            let check = self.zone_check(block, &subnets, codes::ATTACHMENT_SUBNETS_SAME_AZ, &what);
            self.zone_checks.extend(check);
            let attachment = Attachment {
                name: self.qualified(d),
                transit_gateway: self.id(tgw).unwrap_or(Id::new(0)),
                origin: self.origin(block.id),
                vpc: vpc_decl.and_then(|v| self.id(v)),
                subnets,
            };
            self.net.attachments.push(Arc::new(attachment));
        }
        for d in self.live_of_kind(&[BlockKind::TransitGateway]) {
            let block = self.enter(d);
            let region = match self.required(d, block, AttrKey::Region) {
                Some(a) => {
                    let value = a.value.clone();
                    self.region(&value)
                }
                None => String::new(),
            };
            let asn = self.asn(block);
            let mut routes = Vec::new();
            for stmt in &block.body {
                let Stmt::Route(route) = stmt else { continue };
                let Some(destination) = self.cidr(&route.dest) else {
                    continue;
                };
                let target = match route.target.word() {
                    Some("blackhole") => Some(TgwTarget::Blackhole),
                    _ => self.tgw_route_target(&route.target, d),
                };
                if let Some(target) = target {
                    routes.push(TgwRoute {
                        destination,
                        target,
                        propagated: false,
                        origin: self.origin(route.id),
                    });
                }
            }
            let tgw = TransitGateway {
                name: self.qualified(d),
                origin: self.origin(block.id),
                region,
                asn,
                routes,
            };
            self.net.transit_gateways.push(Arc::new(tgw));
        }
    }

    /// A transit gateway route targets one of its attachments, or an on-premises network
    /// connected to it.
    fn tgw_route_target(&mut self, value: &Value, tgw: DeclId) -> Option<TgwTarget> {
        let d = self.reference(
            value,
            &[
                BlockKind::Attachment,
                BlockKind::OnPremises,
                BlockKind::Connection,
            ],
            "a transit gateway route's target",
        )?;
        match self.index.decls[d].kind {
            BlockKind::Attachment => {
                let owner = match self.index.decls[d].scope {
                    Scope::In(owner) => owner,
                    Scope::Top => tgw,
                };
                if owner != tgw {
                    let diag = Diag::error(
                        codes::CROSS_VPC_REFERENCE,
                        self.origin(value.id),
                        format!(
                            "`{}` is an attachment of transit gateway `{}`, not of `{}`",
                            self.qualified(d),
                            self.qualified(owner),
                            self.qualified(tgw)
                        ),
                    )
                    .label("not an attachment of this transit gateway")
                    .secondary(
                        self.index.decls[d].name_origin,
                        format!("`{}` is declared here", self.qualified(d)),
                    )
                    .note("a transit gateway routes only to its own attachments");
                    self.error(diag);
                    return None;
                }
                self.id(d).map(TgwTarget::Attachment)
            }
            BlockKind::Connection => self.id(d).map(TgwTarget::Connection),
            _ => {
                // An on-premises network: its connection to this transit gateway.
                let tgw_id: Option<TransitGatewayId> = self.id(tgw);
                let connection = self
                    .index
                    .in_scope(Scope::In(d))
                    .map(|(c, _)| c)
                    .find(|&c| {
                        // The connection may be in another file: its `gateway` references
                        // are in the index, resolved as the resolver does (in the site).
                        self.index.gateways(c).iter().any(|path| {
                            crate::ir::resolve::lookup(self.index, Scope::In(d), path)
                                .and_then(|g| self.id::<TransitGateway>(g))
                                == tgw_id
                                && tgw_id.is_some()
                        })
                    });
                match connection {
                    Some(c) => self.id(c).map(TgwTarget::Connection),
                    None => {
                        let diag = Diag::error(
                            codes::WRONG_KIND,
                            self.origin(value.id),
                            format!(
                                "on-premises network `{}` has no connection to transit gateway `{}`",
                                self.qualified(d),
                                self.qualified(tgw)
                            ),
                        )
                        .label("not connected to this transit gateway")
                        .note("add a `connection` with `gateway` naming this transit gateway to the on_premises block");
                        self.error(diag);
                        None
                    }
                }
            }
        }
    }

    pub(super) fn lower_on_premises(&mut self) {
        for d in self.live_of_kind(&[BlockKind::OnPremises]) {
            let block = self.enter(d);
            let mut cidrs = Vec::new();
            for attr in block.attrs(AttrKey::Cidr) {
                if let Some(cidr) = self.cidr(&attr.value) {
                    cidrs.push(CidrBlock {
                        cidr,
                        origin: self.origin(attr.value.id),
                    });
                }
            }
            if cidrs.is_empty() && block.attrs(AttrKey::Cidr).next().is_none() {
                self.required(d, block, AttrKey::Cidr);
            }
            let asn = self.asn(block);
            let on_prem = OnPremises {
                name: self.qualified(d),
                origin: self.origin(block.id),
                cidrs,
                asn,
            };
            self.net.on_premises.push(Arc::new(on_prem));
        }
        for d in self.live_of_kind(&[BlockKind::Connection]) {
            let block = self.enter(d);
            let Scope::In(site) = self.index.decls[d].scope else {
                continue;
            };
            let kind = match self
                .required(d, block, AttrKey::Type)
                .and_then(|a| a.value.word())
            {
                Some("direct_connect") => ConnectionType::DirectConnect,
                _ => ConnectionType::Vpn,
            };
            let gateway = self
                .required(d, block, AttrKey::Gateway)
                .and_then(|a| {
                    self.reference(
                        &a.value,
                        &[BlockKind::VpnGateway, BlockKind::TransitGateway],
                        "a connection's gateway",
                    )
                })
                .and_then(|g| match self.index.decls[g].kind {
                    BlockKind::VpnGateway => self.id(g).map(ConnectionGateway::VpnGateway),
                    _ => self.id(g).map(ConnectionGateway::TransitGateway),
                });
            let bandwidth = self
                .attr(block, AttrKey::Bandwidth)
                .map(|a| match &a.value.kind {
                    ValueKind::Str(s) => s.to_string(),
                    _ => a.value.describe(),
                });
            let customer_gateway = self
                .attr(block, AttrKey::CustomerGateway)
                .and_then(|a| self.address(&a.value));
            let asn = self.asn(block);
            let connection = Connection {
                name: self.qualified(d),
                on_premises: self.id(site).unwrap_or(Id::new(0)),
                origin: self.origin(block.id),
                kind,
                gateway,
                bandwidth,
                customer_gateway,
                asn,
            };
            self.net.connections.push(Arc::new(connection));
        }
    }

    pub(super) fn lower_lattice(&mut self) {
        for d in self.live_of_kind(&[BlockKind::ServiceNetwork]) {
            let block = self.enter(d);
            let auth = self.auth(block);
            let vpcs = self.top_refs(block, AttrKey::Vpcs, VPC, "a service network's VPC");
            let services = self.top_refs(
                block,
                AttrKey::Services,
                &[BlockKind::LatticeService],
                "a service network's service",
            );
            let sn = ServiceNetwork {
                name: self.qualified(d),
                origin: self.origin(block.id),
                auth,
                vpcs,
                services,
            };
            self.net.service_networks.push(Arc::new(sn));
        }
        for d in self.live_of_kind(&[BlockKind::LatticeService]) {
            let block = self.enter(d);
            let auth = self.auth(block);
            let mut listeners = Vec::new();
            for stmt in &block.body {
                let Stmt::Listener(l) = stmt else { continue };
                let port = self.port(&l.port);
                let tg = self
                    .reference(
                        &l.target,
                        &[BlockKind::TargetGroup],
                        "a listener's target group",
                    )
                    .and_then(|t| self.id(t));
                if let (Some(port), Some(target_group)) = (port, tg) {
                    listeners.push(Listener {
                        protocol: l.protocol.describe(),
                        port,
                        target_group,
                        origin: self.origin(l.id),
                    });
                }
            }
            let service = LatticeService {
                name: self.qualified(d),
                origin: self.origin(block.id),
                auth,
                listeners,
            };
            self.net.lattice_services.push(Arc::new(service));
        }
    }

    fn auth(&mut self, block: &'a crate::syntax::Block) -> String {
        self.attr(block, AttrKey::Auth)
            .and_then(|a| a.value.word().map(str::to_string))
            .unwrap_or_else(|| "none".to_string())
    }

    fn top_refs<T>(
        &mut self,
        block: &'a crate::syntax::Block,
        key: AttrKey,
        accepted: &[BlockKind],
        role: &str,
    ) -> Vec<Id<T>> {
        let Some(attr) = self.attr(block, key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in attr.value.items() {
            if let Some(id) = self
                .reference(item, accepted, role)
                .and_then(|d| self.id(d))
            {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }

    pub(super) fn lower_expects(&mut self, tree: &Tree) {
        for stmt in &tree.items {
            match stmt {
                Stmt::Expect(e) => self.expect(e, None),
                Stmt::Block(b) if b.kind == BlockKind::Vpc => {
                    let vpc = self
                        .index
                        .decl_of_block(self.file, b.id)
                        .and_then(|d| self.id::<Vpc>(d));
                    for inner in &b.body {
                        if let Stmt::Expect(e) = inner {
                            self.expect(e, vpc);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn expect(&mut self, e: &crate::syntax::Expect, vpc: Option<VpcId>) {
        let source = self.flow_endpoint(&e.src);
        let destination = self.flow_endpoint(&e.dst);
        let protocol = e.protocol.word().and_then(Protocol::parse);
        let ports = match (protocol, &e.ports) {
            (Some(p), Some(v)) if !p.has_ports() => {
                let diag = Diag::error(
                    codes::PORTS_WITHOUT_PROTOCOL,
                    self.origin(v.id),
                    format!("protocol `{p}` takes no ports, found `{}`", v.describe()),
                )
                .label("remove these ports")
                .note("`all` matches every port; `icmp` has types and codes, not ports. Use `tcp` or `udp` to match ports");
                self.error(diag);
                None
            }
            (_, Some(v)) => self.ports(v),
            (_, None) => Some(PortRange::ALL),
        };
        let verdict = match e.verdict.word() {
            Some("denied") => Verdict::Denied,
            _ => Verdict::Allowed,
        };
        if let (Some(source), Some(destination), Some(protocol), Some(ports)) =
            (source, destination, protocol, ports)
        {
            let expect = Expect {
                origin: self.origin(e.id),
                vpc,
                source,
                destination,
                protocol,
                ports,
                verdict,
            };
            self.net.expects.push(Arc::new(expect));
        }
    }

    fn flow_endpoint(&mut self, value: &Value) -> Option<FlowEndpoint> {
        match &value.kind {
            ValueKind::Word(w) if w == "internet" => return Some(FlowEndpoint::Internet),
            ValueKind::Address(_) => {
                return self
                    .address(value)
                    .map(|ip| FlowEndpoint::Address(Box::new(ip)))
            }
            _ => {}
        }
        let found = self.service_or_item(
            value,
            FLOW_ENDPOINTS,
            "an `expect` endpoint is a workload, load balancer, endpoint, subnet, on-premises network, `internet` or an AWS service",
        )?;
        let d = match found {
            ServiceRef::Aws(s) => return Some(FlowEndpoint::Service(s.into())),
            ServiceRef::Item(d) => d,
        };
        Some(match self.index.decls[d].kind {
            BlockKind::Instance | BlockKind::Function | BlockKind::Database => {
                FlowEndpoint::Workload(self.id(d)?)
            }
            BlockKind::LoadBalancer => FlowEndpoint::LoadBalancer(self.id(d)?),
            BlockKind::Endpoint => FlowEndpoint::Endpoint(self.id(d)?),
            BlockKind::Subnet => FlowEndpoint::Subnet(self.id(d)?),
            BlockKind::OnPremises => FlowEndpoint::OnPremises(self.id(d)?),
            BlockKind::NatGateway => FlowEndpoint::NatGateway(self.id(d)?),
            BlockKind::ResourceConfiguration => FlowEndpoint::ResourceConfiguration(self.id(d)?),
            _ => FlowEndpoint::LatticeService(self.id(d)?),
        })
    }
}
