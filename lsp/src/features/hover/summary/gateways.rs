//! Summaries of gateways and what routes through them: internet gateways, transit gateways
//! and their attachments, target groups, endpoint services.

use vnet::ir::{RouteTarget, Target, TgwTarget};

use super::{line, none_or, Details};

impl Details<'_> {
    pub(super) fn internet_gateway(&self, out: &mut String) {
        let net = self.net;
        let Some(i) = net
            .internet_gateways
            .iter()
            .position(|g| g.origin == self.origin)
        else {
            return;
        };
        let tables: Vec<String> = net
            .route_tables
            .iter()
            .filter(|rt| {
                rt.routes
                    .iter()
                    .any(|r| r.target == RouteTarget::InternetGateway(vnet::ir::Id::new(i)))
            })
            .map(|rt| format!("`{}`", rt.name))
            .collect();
        line(
            out,
            format!("route tables routing to it: {}", none_or(&tables)),
        );
    }

    pub(super) fn transit_gateway(&self, out: &mut String) {
        let net = self.net;
        let Some(t) = net
            .transit_gateways
            .iter()
            .find(|t| t.origin == self.origin)
        else {
            return;
        };
        line(out, format!("region `{}`", t.region));
        line(out, "routes:");
        for r in &t.routes {
            let target = match r.target {
                TgwTarget::Attachment(a) => format!("`{}`", net.attachments[a.index()].name),
                TgwTarget::Connection(c) => format!("`{}`", net.connections[c.index()].name),
                TgwTarget::Blackhole => "blackhole".to_string(),
            };
            let how = if r.propagated { " (propagated)" } else { "" };
            out.push_str(&format!("  - route `{}` → {target}{how}\n", r.destination));
        }
    }

    pub(super) fn attachment(&self, out: &mut String) {
        let net = self.net;
        let Some(a) = net.attachments.iter().find(|a| a.origin == self.origin) else {
            return;
        };
        if let Some(v) = a.vpc {
            line(out, format!("VPC `{}`", net.vpcs[v.index()].name));
        }
        let subnets: Vec<String> = a
            .subnets
            .iter()
            .map(|s| {
                let s = &net.subnets[s.index()];
                format!("`{}` ({})", s.name, s.az)
            })
            .collect();
        line(out, format!("subnets: {}", none_or(&subnets)));
    }

    pub(super) fn target_group(&self, out: &mut String) {
        let net = self.net;
        let Some(t) = net.target_groups.iter().find(|t| t.origin == self.origin) else {
            return;
        };
        if let (Some(protocol), Some(port)) = (&t.protocol, t.port) {
            line(out, format!("{protocol} {port}"));
        }
        let targets: Vec<String> = t
            .targets
            .iter()
            .map(|target| match target {
                Target::Workload(w) => format!("`{}`", net.workloads[w.index()].name),
                Target::Address(a) => format!("`{a}`"),
            })
            .collect();
        line(out, format!("targets: {}", none_or(&targets)));
    }

    pub(super) fn endpoint_service(&self, out: &mut String) {
        let net = self.net;
        let Some(e) = net
            .endpoint_services
            .iter()
            .find(|e| e.origin == self.origin)
        else {
            return;
        };
        if let Some(lb) = e.load_balancer {
            line(
                out,
                format!("load balancer `{}`", net.load_balancers[lb.index()].name),
            );
        }
        line(
            out,
            if e.acceptance_required {
                "connections wait for acceptance"
            } else {
                "connections accepted at once"
            },
        );
        let principals: Vec<String> = e
            .allowed_principals
            .iter()
            .map(|p| format!("`{p}`"))
            .collect();
        line(out, format!("allowed principals: {}", none_or(&principals)));
    }
}
