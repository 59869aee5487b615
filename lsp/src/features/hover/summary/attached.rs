//! Summaries of what lives in a VPC's subnets or beside it: security groups, gateways,
//! endpoints, workloads, load balancers, on-premises networks and peerings.

use super::{line, none_or, Details};

impl Details<'_> {
    pub(super) fn security_group(&self, out: &mut String) {
        let net = self.net;
        let Some((i, g)) = net
            .security_groups
            .iter()
            .enumerate()
            .find(|(_, g)| g.origin == self.origin)
        else {
            return;
        };
        if let Some(d) = &g.description {
            line(out, format!("\"{d}\""));
        }
        self.sg_rules(out, "ingress", &g.ingress, "from");
        let egress = if g.default_egress {
            "egress (AWS default)"
        } else {
            "egress"
        };
        self.sg_rules(out, egress, &g.egress, "to");
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
        line(out, format!("used by: {}", none_or(&users)));
    }

    pub(super) fn nat_gateway(&self, out: &mut String) {
        let net = self.net;
        if let Some(n) = net.nat_gateways.iter().find(|n| n.origin == self.origin) {
            line(out, if n.public { "public" } else { "private" });
            if let Some(s) = n.subnet {
                let s = &net.subnets[s.index()];
                line(out, format!("in subnet `{}` ({})", s.name, s.az));
            }
        }
    }

    pub(super) fn endpoint(&self, out: &mut String) {
        let net = self.net;
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
                out,
                format!("{:?} endpoint for {service}", e.kind).to_lowercase(),
            );
            let subnets: Vec<String> = e
                .subnets
                .iter()
                .map(|s| format!("`{}`", net.subnets[s.index()].name))
                .collect();
            if !subnets.is_empty() {
                line(out, format!("subnets: {}", subnets.join(", ")));
            }
        }
    }

    pub(super) fn workload(&self, out: &mut String) {
        let net = self.net;
        if let Some(w) = net.workloads.iter().find(|w| w.origin == self.origin) {
            let subnets: Vec<String> = w
                .subnets
                .iter()
                .map(|s| {
                    let s = &net.subnets[s.index()];
                    format!("`{}` ({})", s.name, s.az)
                })
                .collect();
            line(out, format!("subnets: {}", none_or(&subnets)));
            let groups: Vec<String> = w
                .security_groups
                .iter()
                .map(|g| format!("`{}`", net.security_groups[g.index()].name))
                .collect();
            line(out, format!("security groups: {}", none_or(&groups)));
            if let Some(ip) = w.private_ip {
                line(out, format!("private IP `{ip}`"));
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
                line(out, format!("uses {}", uses.join(", ")));
            }
        }
    }

    pub(super) fn load_balancer(&self, out: &mut String) {
        let net = self.net;
        if let Some(l) = net.load_balancers.iter().find(|l| l.origin == self.origin) {
            line(
                out,
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
                    out,
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

    pub(super) fn on_premises(&self, out: &mut String) {
        let net = self.net;
        if let Some(o) = net.on_premises.iter().find(|o| o.origin == self.origin) {
            for c in &o.cidrs {
                line(out, format!("CIDR `{}`", c.cidr));
            }
        }
    }

    pub(super) fn peering(&self, out: &mut String) {
        let net = self.net;
        if let Some(p) = net.peerings.iter().find(|p| p.origin == self.origin) {
            let name = |v: Option<vnet::ir::VpcId>| {
                v.map_or("?".to_string(), |v| net.vpcs[v.index()].name.clone())
            };
            line(
                out,
                format!("`{}` ⇄ `{}`", name(p.requester), name(p.accepter)),
            );
        }
    }
}
