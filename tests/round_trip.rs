//! Round trips: for every example, `vnetc build --emit cloudformation` then
//! `vnetc import cloudformation` gives the same network. The comparison is by name (arena
//! order and node ids depend on layout) and treats order-free collections as sets (security
//! group rules, routes). VPC Lattice and `expect` lines are compared too. What the exporters
//! document as not exported is left out of the comparison: Direct Connect, blackhole routes
//! of VPC route tables, and transit gateway routes to VPN connections (CloudFormation gives
//! no attachment id to route to).

mod common;

use std::collections::BTreeMap;

use vnet::db::{self, Database};
use vnet::diagnostics::render;
use vnet::ir::{
    ConnectionType, Network, ResourceAddress, RouteTarget, SgPeer, Target, TgwTarget, Use,
};

fn compile(name: &str, text: &str) -> Network {
    let db = Database::default();
    let ws = db.workspace(vec![(name.to_string(), text.to_string())]);
    let diags = render::compile_diagnostics(&db, ws);
    let files = render::files(&db, ws);
    assert!(
        diags.is_empty(),
        "{name} does not compile:\n{}\n{text}",
        render::human_string(&files, &diags)
    );
    (*db::network(&db, ws)).clone()
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// Everything the exporters express, keyed by kind and qualified name.
fn canonical(n: &Network) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let subnet = |i: usize| n.subnets[i].name.clone();
    let sg = |i: usize| n.security_groups[i].name.clone();
    let names = |ids: Vec<String>| sorted(ids).join(",");
    for v in &n.vpcs {
        let cidrs = sorted(v.cidrs.iter().map(|c| c.cidr.to_string()).collect());
        out.insert(
            format!("vpc {}", v.name),
            format!(
                "{} {cidrs:?} dns {} {} main {}",
                v.region,
                v.dns_hostnames,
                v.dns_support,
                n.route_tables[v.main_route_table.index()].name
            ),
        );
    }
    for s in &n.subnets {
        out.insert(
            format!("subnet {}", s.name),
            format!(
                "{} {:?} {:?} rt {} nacl {} public {}",
                s.az,
                s.cidr.as_ref().map(|c| c.cidr),
                s.ipv6_cidr.as_ref().map(|c| c.cidr),
                n.route_tables[s.route_table.index()].name,
                n.nacls[s.nacl.index()].name,
                s.public_ip_on_launch
            ),
        );
    }
    for r in &n.route_tables {
        // CloudFormation cannot create a blackhole route (the exporter lists them).
        let routes = sorted(
            r.routes
                .iter()
                .filter(|x| x.target != RouteTarget::Blackhole)
                .map(|x| {
                    let target = match x.target {
                        RouteTarget::Local => "local".to_string(),
                        RouteTarget::Blackhole => "blackhole".to_string(),
                        RouteTarget::InternetGateway(g) => {
                            n.internet_gateways[g.index()].name.clone()
                        }
                        RouteTarget::NatGateway(g) => n.nat_gateways[g.index()].name.clone(),
                        RouteTarget::Peering(g) => n.peerings[g.index()].name.clone(),
                        RouteTarget::TransitGateway(g) => {
                            n.transit_gateways[g.index()].name.clone()
                        }
                        RouteTarget::VpnGateway(g) => n.vpn_gateways[g.index()].name.clone(),
                        RouteTarget::Instance(g) => n.workloads[g.index()].name.clone(),
                        RouteTarget::GatewayEndpoint(g) => n.endpoints[g.index()].name.clone(),
                    };
                    format!("{:?} -> {target}", x.destination)
                })
                .collect(),
        );
        out.insert(
            format!("route_table {}", r.name),
            format!("main {} implicit {} {routes:?}", r.main, r.implicit),
        );
    }
    for a in &n.nacls {
        let rules = |rs: &[vnet::ir::NaclRule]| {
            rs.iter()
                .map(|r| {
                    format!(
                        "{} {:?} {} {} {}",
                        r.number, r.action, r.protocol, r.ports, r.cidr
                    )
                })
                .collect::<Vec<_>>()
        };
        out.insert(
            format!("nacl {}", a.name),
            format!(
                "default {} in {:?} out {:?}",
                a.default,
                rules(&a.inbound),
                rules(&a.outbound)
            ),
        );
    }
    for g in &n.security_groups {
        let rules = |rs: &[vnet::ir::SgRule]| {
            sorted(
                rs.iter()
                    .map(|r| {
                        let peer = match &r.peer {
                            SgPeer::Cidr(c) => c.to_string(),
                            SgPeer::SecurityGroup(x) => sg(x.index()),
                            SgPeer::PrefixList(p) => p.clone(),
                        };
                        format!("{} {} {peer} {:?}", r.protocol, r.ports, r.description)
                    })
                    .collect::<Vec<_>>(),
            )
        };
        out.insert(
            format!("security_group {}", g.name),
            format!(
                "default {} default_egress {} {:?} in {:?} out {:?}",
                g.default,
                g.default_egress,
                g.description,
                rules(&g.ingress),
                rules(&g.egress)
            ),
        );
    }
    for x in &n.nat_gateways {
        out.insert(
            format!("nat {}", x.name),
            format!(
                "{:?} public {}",
                x.subnet.map(|s| subnet(s.index())),
                x.public
            ),
        );
    }
    for x in &n.internet_gateways {
        out.insert(format!("igw {}", x.name), String::new());
    }
    for x in &n.vpn_gateways {
        out.insert(format!("vgw {}", x.name), format!("{:?}", x.asn));
    }
    for e in &n.endpoints {
        let service = match &e.service {
            vnet::ir::EndpointTarget::Aws(s) => s.clone(),
            vnet::ir::EndpointTarget::EndpointService(s) => {
                n.endpoint_services[s.index()].name.clone()
            }
        };
        out.insert(
            format!("endpoint {}", e.name),
            format!(
                "{service} {:?} rt {} subnets {} sg {} dns {}",
                e.kind,
                names(
                    e.route_tables
                        .iter()
                        .map(|r| n.route_tables[r.index()].name.clone())
                        .collect()
                ),
                names(e.subnets.iter().map(|s| subnet(s.index())).collect()),
                names(e.security_groups.iter().map(|s| sg(s.index())).collect()),
                e.private_dns
            ),
        );
    }
    for s in &n.endpoint_services {
        out.insert(
            format!("endpoint_service {}", s.name),
            format!(
                "{:?} {} {:?}",
                s.load_balancer
                    .map(|l| n.load_balancers[l.index()].name.clone()),
                s.acceptance_required,
                s.allowed_principals
            ),
        );
    }
    for l in &n.load_balancers {
        let listeners = sorted(
            l.listeners
                .iter()
                .map(|x| {
                    format!(
                        "{} {} {}",
                        x.protocol,
                        x.port,
                        n.target_groups[x.target_group.index()].name
                    )
                })
                .collect::<Vec<_>>(),
        );
        out.insert(
            format!("load_balancer {}", l.name),
            format!(
                "{:?} internal {} subnets {} sg {} {listeners:?}",
                l.kind,
                l.internal,
                names(l.subnets.iter().map(|s| subnet(s.index())).collect()),
                names(l.security_groups.iter().map(|s| sg(s.index())).collect())
            ),
        );
    }
    for t in &n.target_groups {
        let targets = sorted(
            t.targets
                .iter()
                .map(|x| match x {
                    Target::Workload(w) => n.workloads[w.index()].name.clone(),
                    Target::Address(a) => a.to_string(),
                })
                .collect::<Vec<_>>(),
        );
        out.insert(
            format!("target_group {}", t.name),
            format!("{:?} {:?} {targets:?}", t.protocol, t.port),
        );
    }
    for w in &n.workloads {
        let uses = sorted(
            w.uses
                .iter()
                .map(|u| match u {
                    Use::Internet => "internet".to_string(),
                    Use::Service(s) => s.to_string(),
                    Use::EndpointService(x) => n.endpoint_services[x.index()].name.clone(),
                    Use::LatticeService(x) => n.lattice_services[x.index()].name.clone(),
                    Use::ResourceConfiguration(x) => {
                        n.resource_configurations[x.index()].name.clone()
                    }
                })
                .collect::<Vec<_>>(),
        );
        out.insert(
            format!("workload {}", w.name),
            format!(
                "{:?} subnets {} sg {} {uses:?} public {} {:?} {:?} {:?}",
                w.kind,
                names(w.subnets.iter().map(|s| subnet(s.index())).collect()),
                names(w.security_groups.iter().map(|s| sg(s.index())).collect()),
                w.public_ip,
                w.private_ip,
                w.port,
                w.engine
            ),
        );
    }
    for p in &n.peerings {
        out.insert(
            format!("peering {}", p.name),
            format!(
                "{:?} {:?}",
                p.requester.map(|v| n.vpcs[v.index()].name.clone()),
                p.accepter.map(|v| n.vpcs[v.index()].name.clone())
            ),
        );
    }
    for t in &n.transit_gateways {
        let routes = sorted(
            t.routes
                .iter()
                .filter_map(|r| {
                    let target = match r.target {
                        TgwTarget::Attachment(a) => n.attachments[a.index()].name.clone(),
                        TgwTarget::Blackhole => "blackhole".to_string(),
                        TgwTarget::Connection(_) => return None,
                    };
                    Some(format!("{} -> {target} {}", r.destination, r.propagated))
                })
                .collect::<Vec<_>>(),
        );
        out.insert(
            format!("transit_gateway {}", t.name),
            format!("{} {:?} {routes:?}", t.region, t.asn),
        );
    }
    for a in &n.attachments {
        out.insert(
            format!("attachment {}", a.name),
            format!(
                "{:?} {}",
                a.vpc.map(|v| n.vpcs[v.index()].name.clone()),
                names(a.subnets.iter().map(|s| subnet(s.index())).collect())
            ),
        );
    }
    for e in vnet::export::expect_lines(n) {
        out.insert(e, String::new());
    }
    for s in &n.service_networks {
        out.insert(
            format!("service_network {}", s.name),
            format!(
                "auth {} vpcs {} services {}",
                s.auth,
                names(
                    s.vpcs
                        .iter()
                        .map(|v| n.vpcs[v.index()].name.clone())
                        .collect()
                ),
                names(
                    s.services
                        .iter()
                        .map(|x| n.lattice_services[x.index()].name.clone())
                        .collect()
                )
            ),
        );
    }
    for s in &n.lattice_services {
        let listeners = sorted(
            s.listeners
                .iter()
                .map(|l| {
                    let tg = &n.target_groups[l.target_group.index()].name;
                    format!("{} {} -> {tg}", l.protocol, l.port)
                })
                .collect::<Vec<_>>(),
        );
        out.insert(
            format!("lattice_service {}", s.name),
            format!("auth {} {listeners:?}", s.auth),
        );
    }
    for g in &n.resource_gateways {
        out.insert(
            format!("resource_gateway {}", g.name),
            format!(
                "subnets {} sg {}",
                names(g.subnets.iter().map(|s| subnet(s.index())).collect()),
                names(g.security_groups.iter().map(|s| sg(s.index())).collect())
            ),
        );
    }
    for r in &n.resource_configurations {
        let address = match &r.address {
            Some(ResourceAddress::Ip(a)) => format!("ip {a}"),
            Some(ResourceAddress::Dns(d)) => format!("dns {d}"),
            Some(ResourceAddress::Workload(w)) => {
                format!("workload {}", n.workloads[w.index()].name)
            }
            None => "none".to_string(),
        };
        out.insert(
            format!("resource_configuration {}", r.name),
            format!(
                "gateway {:?} {address} port {:?} share {:?}",
                r.gateway
                    .map(|g| n.resource_gateways[g.index()].name.clone()),
                r.port,
                sorted(r.share_with.clone())
            ),
        );
    }
    for c in n
        .connections
        .iter()
        .filter(|c| c.kind == ConnectionType::Vpn)
    {
        let site = &n.on_premises[c.on_premises.index()];
        let cidrs = sorted(
            site.cidrs
                .iter()
                .map(|x| x.cidr.to_string())
                .collect::<Vec<_>>(),
        );
        out.insert(
            format!("connection {}", c.name),
            format!(
                "site {} {cidrs:?} {:?} {:?}",
                site.name,
                c.customer_gateway,
                c.gateway.is_some()
            ),
        );
    }
    out
}

#[test]
fn importing_the_exported_cloudformation_gives_the_same_network() {
    let mut failures = Vec::new();
    for example in common::vnet_files(&common::root().join("examples")) {
        let text = std::fs::read_to_string(&example).expect("example");
        let name = common::relative(&example);
        let original = compile(&name, &text);
        let template = vnet::export::cloudformation::export(&original).text;
        let imported = vnet::import::cloudformation::import_text(&template, "stack", &[], None)
            .expect("import");
        let again = compile(&format!("{name} (re-imported)"), &imported.text);
        let (a, b) = (canonical(&original), canonical(&again));
        if a != b {
            let mut diff = String::new();
            for k in a
                .keys()
                .chain(b.keys())
                .collect::<std::collections::BTreeSet<_>>()
            {
                if a.get(k) != b.get(k) {
                    diff.push_str(&format!(
                        "  {k}\n    exported: {:?}\n    imported: {:?}\n",
                        a.get(k),
                        b.get(k)
                    ));
                }
            }
            failures.push(format!("{name}:\n{diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "round trip differences:\n{}",
        failures.join("\n")
    );
}

/// Found by the round trip: with a `main true` table in the first VPC only, the implicit main
/// tables of the others must be their own (they were shifted by one VPC).
#[test]
fn implicit_main_route_tables_belong_to_their_vpc() {
    let text = "vpc a { region us-east-1  cidr 10.0.0.0/16  route_table rt { main true } }\n\
                vpc b { region us-east-1  cidr 10.1.0.0/16  subnet s { az us-east-1a  cidr 10.1.0.0/24 } }\n\
                vpc c { region us-east-1  cidr 10.2.0.0/16 }\n";
    let n = compile("main.vnet", text);
    for (i, v) in n.vpcs.iter().enumerate() {
        let main = &n.route_tables[v.main_route_table.index()];
        assert_eq!(
            main.vpc.index(),
            i,
            "{}'s main table is {}",
            v.name,
            main.name
        );
    }
    assert_eq!(
        n.route_tables[n.subnets[0].route_table.index()].name,
        "b.main"
    );
}
