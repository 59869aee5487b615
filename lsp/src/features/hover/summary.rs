//! The summary of one declaration, in Markdown, from the compiled network.

use std::fmt::Write;

use ipnet::IpNet;
use vnet::db::{self, Workspace};
use vnet::ir::{
    DeclId, Destination, NaclRule, Network, Origin, RouteTable, RouteTarget, SgPeer, SgRule,
    SubnetId,
};
use vnet::syntax::BlockKind;

use crate::snapshot::Snapshot;

/// The addresses of a subnet CIDR that instances can use: AWS reserves five in every subnet.
pub fn usable_addresses(cidr: IpNet) -> u128 {
    let total = total_addresses(cidr);
    total.saturating_sub(u128::from(vnet::aws::RESERVED_ADDRESSES_PER_SUBNET))
}

pub fn total_addresses(cidr: IpNet) -> u128 {
    let bits = cidr.max_prefix_len() - cidr.prefix_len();
    if bits >= 128 {
        u128::MAX
    } else {
        1u128 << bits
    }
}

pub fn summarize(snap: &Snapshot, ws: Workspace, decl: DeclId) -> String {
    let db = &snap.db;
    let index = db::item_index(db, ws);
    let Some(d) = index.decls.get(decl) else {
        return String::new();
    };
    let net = db::network(db, ws);
    let mut out = format!("**{}** `{}`", d.kind.keyword(), index.qualified(decl));
    let _ = write!(out, " — {}", d.kind.describe());
    out.push_str("\n\n");
    let body = Details {
        net: &net,
        origin: d.origin,
    }
    .describe(d.kind);
    out.push_str(&body);
    out.trim_end().to_string()
}

struct Details<'a> {
    net: &'a Network,
    origin: Origin,
}

fn line(out: &mut String, text: impl AsRef<str>) {
    out.push_str("- ");
    out.push_str(text.as_ref());
    out.push('\n');
}

impl Details<'_> {
    fn describe(&self, kind: BlockKind) -> String {
        let net = self.net;
        let mut out = String::new();
        match kind {
            BlockKind::Vpc => {
                let Some(v) = net.vpcs.iter().find(|v| v.origin == self.origin) else {
                    return out;
                };
                line(&mut out, format!("region `{}`", v.region));
                for c in &v.cidrs {
                    line(
                        &mut out,
                        format!("CIDR `{}`: {} addresses", c.cidr, total_addresses(c.cidr)),
                    );
                }
                let subnets = net
                    .subnets
                    .iter()
                    .filter(|s| net.vpcs[s.vpc.index()].origin == self.origin);
                let names: Vec<String> = subnets
                    .map(|s| format!("`{}` ({})", s.name, s.az))
                    .collect();
                if !names.is_empty() {
                    line(&mut out, format!("subnets: {}", names.join(", ")));
                }
            }
            BlockKind::Subnet => {
                let Some((i, s)) = net
                    .subnets
                    .iter()
                    .enumerate()
                    .find(|(_, s)| s.origin == self.origin)
                else {
                    return out;
                };
                if let Some(c) = &s.cidr {
                    line(
                        &mut out,
                        format!(
                            "CIDR `{}`: {} usable addresses ({} minus the 5 AWS reserves)",
                            c.cidr,
                            usable_addresses(c.cidr),
                            total_addresses(c.cidr)
                        ),
                    );
                }
                line(&mut out, format!("AZ `{}`", s.az));
                if s.public_ip_on_launch {
                    line(&mut out, "public IP on launch");
                }
                let rt = &net.route_tables[s.route_table.index()];
                line(
                    &mut out,
                    format!(
                        "route table `{}`{}",
                        rt.name,
                        if rt.implicit {
                            " (the VPC's main table)"
                        } else {
                            ""
                        }
                    ),
                );
                self.routes(&mut out, rt);
                let nacl = &net.nacls[s.nacl.index()];
                line(
                    &mut out,
                    format!(
                        "network ACL `{}`{}",
                        nacl.name,
                        if nacl.default {
                            " (the default: allows all)"
                        } else {
                            ""
                        }
                    ),
                );
                if !nacl.default {
                    nacl_rules(&mut out, "inbound", &nacl.inbound, "from");
                    nacl_rules(&mut out, "outbound", &nacl.outbound, "to");
                }
                self.users_of_subnet(&mut out, SubnetId::new(i));
            }
            BlockKind::RouteTable => {
                let Some(rt) = net.route_tables.iter().find(|r| r.origin == self.origin) else {
                    return out;
                };
                if rt.main {
                    line(&mut out, "main route table of its VPC");
                }
                self.routes(&mut out, rt);
                let subnets: Vec<String> = net
                    .subnets
                    .iter()
                    .filter(|s| net.route_tables[s.route_table.index()].origin == self.origin)
                    .map(|s| format!("`{}`", s.name))
                    .collect();
                line(&mut out, format!("used by subnets: {}", none_or(&subnets)));
            }
            BlockKind::Nacl => {
                let Some(n) = net.nacls.iter().find(|n| n.origin == self.origin) else {
                    return out;
                };
                nacl_rules(&mut out, "inbound", &n.inbound, "from");
                nacl_rules(&mut out, "outbound", &n.outbound, "to");
                let subnets: Vec<String> = net
                    .subnets
                    .iter()
                    .filter(|s| net.nacls[s.nacl.index()].origin == self.origin)
                    .map(|s| format!("`{}`", s.name))
                    .collect();
                line(&mut out, format!("used by subnets: {}", none_or(&subnets)));
            }
            BlockKind::SecurityGroup => {
                let Some((i, g)) = net
                    .security_groups
                    .iter()
                    .enumerate()
                    .find(|(_, g)| g.origin == self.origin)
                else {
                    return out;
                };
                if let Some(d) = &g.description {
                    line(&mut out, format!("\"{d}\""));
                }
                self.sg_rules(&mut out, "ingress", &g.ingress, "from");
                let egress = if g.default_egress {
                    "egress (AWS default)"
                } else {
                    "egress"
                };
                self.sg_rules(&mut out, egress, &g.egress, "to");
                let id = vnet::ir::SecurityGroupId::new(i);
                let mut users: Vec<String> = net
                    .workloads
                    .iter()
                    .filter(|w| w.security_groups.contains(&id))
                    .map(|w| format!("`{}`", w.name))
                    .collect();
                users.extend(
                    net.load_balancers
                        .iter()
                        .filter(|l| l.security_groups.contains(&id))
                        .map(|l| format!("`{}`", l.name)),
                );
                users.extend(
                    net.endpoints
                        .iter()
                        .filter(|e| e.security_groups.contains(&id))
                        .map(|e| format!("`{}`", e.name)),
                );
                line(&mut out, format!("used by: {}", none_or(&users)));
            }
            BlockKind::NatGateway => {
                if let Some(n) = net.nat_gateways.iter().find(|n| n.origin == self.origin) {
                    line(&mut out, if n.public { "public" } else { "private" });
                    if let Some(s) = n.subnet {
                        let s = &net.subnets[s.index()];
                        line(&mut out, format!("in subnet `{}` ({})", s.name, s.az));
                    }
                }
            }
            BlockKind::Endpoint => {
                if let Some(e) = net.endpoints.iter().find(|e| e.origin == self.origin) {
                    let service = match &e.service {
                        vnet::ir::EndpointTarget::Aws(s) => format!("AWS service `{s}`"),
                        vnet::ir::EndpointTarget::EndpointService(id) => {
                            format!(
                                "endpoint service `{}`",
                                net.endpoint_services[id.index()].name
                            )
                        }
                    };
                    line(
                        &mut out,
                        format!("{:?} endpoint for {service}", e.kind).to_lowercase(),
                    );
                    let subnets: Vec<String> = e
                        .subnets
                        .iter()
                        .map(|s| format!("`{}`", net.subnets[s.index()].name))
                        .collect();
                    if !subnets.is_empty() {
                        line(&mut out, format!("subnets: {}", subnets.join(", ")));
                    }
                }
            }
            BlockKind::Instance | BlockKind::Function | BlockKind::Database => {
                if let Some(w) = net.workloads.iter().find(|w| w.origin == self.origin) {
                    let subnets: Vec<String> = w
                        .subnets
                        .iter()
                        .map(|s| {
                            let s = &net.subnets[s.index()];
                            format!("`{}` ({})", s.name, s.az)
                        })
                        .collect();
                    line(&mut out, format!("subnets: {}", none_or(&subnets)));
                    let groups: Vec<String> = w
                        .security_groups
                        .iter()
                        .map(|g| format!("`{}`", net.security_groups[g.index()].name))
                        .collect();
                    line(&mut out, format!("security groups: {}", none_or(&groups)));
                    if let Some(ip) = w.private_ip {
                        line(&mut out, format!("private IP `{ip}`"));
                    }
                    if !w.uses.is_empty() {
                        let uses: Vec<String> = w
                            .uses
                            .iter()
                            .map(|u| match u {
                                vnet::ir::Use::Internet => "the internet".to_string(),
                                vnet::ir::Use::Service(s) => format!("`{s}`"),
                                vnet::ir::Use::EndpointService(id) => {
                                    format!("`{}`", net.endpoint_services[id.index()].name)
                                }
                                vnet::ir::Use::LatticeService(id) => {
                                    format!("`{}`", net.lattice_services[id.index()].name)
                                }
                                vnet::ir::Use::ResourceConfiguration(id) => {
                                    format!("`{}`", net.resource_configurations[id.index()].name)
                                }
                            })
                            .collect();
                        line(&mut out, format!("uses {}", uses.join(", ")));
                    }
                }
            }
            BlockKind::LoadBalancer => {
                if let Some(l) = net.load_balancers.iter().find(|l| l.origin == self.origin) {
                    line(
                        &mut out,
                        format!(
                            "{:?}, {}",
                            l.kind,
                            if l.internal {
                                "internal"
                            } else {
                                "internet-facing"
                            }
                        )
                        .to_lowercase(),
                    );
                    for li in &l.listeners {
                        line(
                            &mut out,
                            format!(
                                "listener {} {} -> `{}`",
                                li.protocol,
                                li.port,
                                net.target_groups[li.target_group.index()].name
                            ),
                        );
                    }
                }
            }
            BlockKind::OnPremises => {
                if let Some(o) = net.on_premises.iter().find(|o| o.origin == self.origin) {
                    for c in &o.cidrs {
                        line(&mut out, format!("CIDR `{}`", c.cidr));
                    }
                }
            }
            BlockKind::Peering => {
                if let Some(p) = net.peerings.iter().find(|p| p.origin == self.origin) {
                    let name = |v: Option<vnet::ir::VpcId>| {
                        v.map_or("?".to_string(), |v| net.vpcs[v.index()].name.clone())
                    };
                    line(
                        &mut out,
                        format!("`{}` ⇄ `{}`", name(p.requester), name(p.accepter)),
                    );
                }
            }
            _ => {}
        }
        out
    }

    fn routes(&self, out: &mut String, rt: &RouteTable) {
        line(out, "routes:");
        for r in &rt.routes {
            let dest = match &r.destination {
                Destination::Cidr(c) => c.to_string(),
                Destination::PrefixList(s) => format!("{s} prefix list"),
            };
            out.push_str(&format!(
                "  - route `{dest}` → {}\n",
                target_name(self.net, r.target)
            ));
        }
    }

    fn sg_rules(&self, out: &mut String, title: &str, rules: &[SgRule], word: &str) {
        if rules.is_empty() {
            line(out, format!("{title}: none"));
        } else {
            line(out, format!("{title}:"));
        }
        for r in rules {
            let peer = match &r.peer {
                SgPeer::Cidr(c) => c.to_string(),
                SgPeer::SecurityGroup(g) => self.net.security_groups[g.index()].name.clone(),
                SgPeer::PrefixList(s) => format!("{s} prefix list"),
            };
            let ports = if r.protocol.has_ports() {
                format!(" {}", r.ports)
            } else {
                String::new()
            };
            out.push_str(&format!("  - {}{ports} {word} `{peer}`\n", r.protocol));
        }
    }

    fn users_of_subnet(&self, out: &mut String, id: SubnetId) {
        let net = self.net;
        let mut users: Vec<String> = net
            .workloads
            .iter()
            .filter(|w| w.subnets.contains(&id))
            .map(|w| format!("`{}`", w.name))
            .collect();
        users.extend(
            net.load_balancers
                .iter()
                .filter(|l| l.subnets.contains(&id))
                .map(|l| format!("`{}`", l.name)),
        );
        users.extend(
            net.nat_gateways
                .iter()
                .filter(|n| n.subnet == Some(id))
                .map(|n| format!("`{}`", n.name)),
        );
        users.extend(
            net.endpoints
                .iter()
                .filter(|e| e.subnets.contains(&id))
                .map(|e| format!("`{}`", e.name)),
        );
        line(out, format!("used by: {}", none_or(&users)));
    }
}

fn nacl_rules(out: &mut String, title: &str, rules: &[NaclRule], word: &str) {
    if rules.is_empty() {
        line(out, format!("{title}: none (all denied)"));
    } else {
        line(out, format!("{title}:"));
    }
    for r in rules {
        let ports = if r.protocol.has_ports() {
            format!(" {}", r.ports)
        } else {
            String::new()
        };
        out.push_str(
            &format!(
                "  - {} {:?} {}{ports} {word} `{}`\n",
                r.number, r.action, r.protocol, r.cidr
            )
            .replace("Allow", "allow")
            .replace("Deny", "deny"),
        );
    }
}

fn target_name(net: &Network, t: RouteTarget) -> String {
    match t {
        RouteTarget::Local => "local".to_string(),
        RouteTarget::Blackhole => "blackhole".to_string(),
        RouteTarget::InternetGateway(i) => format!("`{}`", net.internet_gateways[i.index()].name),
        RouteTarget::NatGateway(i) => format!("`{}`", net.nat_gateways[i.index()].name),
        RouteTarget::Peering(i) => format!("`{}`", net.peerings[i.index()].name),
        RouteTarget::TransitGateway(i) => format!("`{}`", net.transit_gateways[i.index()].name),
        RouteTarget::VpnGateway(i) => format!("`{}`", net.vpn_gateways[i.index()].name),
        RouteTarget::Instance(i) => format!("`{}`", net.workloads[i.index()].name),
        RouteTarget::GatewayEndpoint(i) => format!("`{}`", net.endpoints[i.index()].name),
    }
}

fn none_or(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}
