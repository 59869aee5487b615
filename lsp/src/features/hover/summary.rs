//! The summary of one declaration, in Markdown, from the compiled network.

mod attached;
mod gateways;

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
        let mut out = String::new();
        match kind {
            BlockKind::Vpc => self.vpc(&mut out),
            BlockKind::Subnet => self.subnet(&mut out),
            BlockKind::RouteTable => self.route_table(&mut out),
            BlockKind::Nacl => self.nacl(&mut out),
            BlockKind::SecurityGroup => self.security_group(&mut out),
            BlockKind::NatGateway => self.nat_gateway(&mut out),
            BlockKind::Endpoint => self.endpoint(&mut out),
            BlockKind::Instance | BlockKind::Function | BlockKind::Database => {
                self.workload(&mut out)
            }
            BlockKind::LoadBalancer => self.load_balancer(&mut out),
            BlockKind::OnPremises => self.on_premises(&mut out),
            BlockKind::Peering => self.peering(&mut out),
            BlockKind::TargetGroup => self.target_group(&mut out),
            BlockKind::TransitGateway => self.transit_gateway(&mut out),
            BlockKind::Attachment => self.attachment(&mut out),
            BlockKind::InternetGateway => self.internet_gateway(&mut out),
            BlockKind::EndpointService => self.endpoint_service(&mut out),
            _ => {}
        }
        out
    }

    fn vpc(&self, out: &mut String) {
        let net = self.net;
        let Some(v) = net.vpcs.iter().find(|v| v.origin == self.origin) else {
            return;
        };
        line(out, format!("region `{}`", v.region));
        for c in &v.cidrs {
            line(
                out,
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
            line(out, format!("subnets: {}", names.join(", ")));
        }
    }

    fn subnet(&self, out: &mut String) {
        let net = self.net;
        let Some((i, s)) = net
            .subnets
            .iter()
            .enumerate()
            .find(|(_, s)| s.origin == self.origin)
        else {
            return;
        };
        if let Some(c) = &s.cidr {
            line(
                out,
                format!(
                    "CIDR `{}`: {} usable addresses ({} minus the 5 AWS reserves)",
                    c.cidr,
                    usable_addresses(c.cidr),
                    total_addresses(c.cidr)
                ),
            );
        }
        line(out, format!("AZ `{}`", s.az));
        if s.public_ip_on_launch {
            line(out, "public IP on launch");
        }
        let rt = &net.route_tables[s.route_table.index()];
        line(
            out,
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
        self.routes(out, rt);
        let nacl = &net.nacls[s.nacl.index()];
        line(
            out,
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
            nacl_rules(out, "inbound", &nacl.inbound, "from");
            nacl_rules(out, "outbound", &nacl.outbound, "to");
        }
        self.users_of_subnet(out, SubnetId::new(i));
    }

    fn route_table(&self, out: &mut String) {
        let net = self.net;
        let Some(rt) = net.route_tables.iter().find(|r| r.origin == self.origin) else {
            return;
        };
        if rt.main {
            line(out, "main route table of its VPC");
        }
        self.routes(out, rt);
        let subnets: Vec<String> = net
            .subnets
            .iter()
            .filter(|s| net.route_tables[s.route_table.index()].origin == self.origin)
            .map(|s| format!("`{}`", s.name))
            .collect();
        line(out, format!("used by subnets: {}", none_or(&subnets)));
    }

    fn nacl(&self, out: &mut String) {
        let net = self.net;
        let Some(n) = net.nacls.iter().find(|n| n.origin == self.origin) else {
            return;
        };
        nacl_rules(out, "inbound", &n.inbound, "from");
        nacl_rules(out, "outbound", &n.outbound, "to");
        let subnets: Vec<String> = net
            .subnets
            .iter()
            .filter(|s| net.nacls[s.nacl.index()].origin == self.origin)
            .map(|s| format!("`{}`", s.name))
            .collect();
        line(out, format!("used by subnets: {}", none_or(&subnets)));
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
