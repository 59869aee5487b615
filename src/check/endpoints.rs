//! VPC endpoints, endpoint services and load balancers.

use crate::diagnostics::{codes, Diag};
use crate::ir::{EndpointTarget, EndpointType, LoadBalancerType, Network};

pub(super) fn check(net: &Network, diags: &mut Vec<Diag>) {
    for (i, endpoint) in net.endpoints.iter().enumerate() {
        let EndpointTarget::Aws(service) = &endpoint.service else {
            continue;
        };
        if service.is_empty() {
            continue;
        }
        let vpc = &net.vpcs[endpoint.vpc.index()];
        for other in &net.endpoints[..i] {
            if other.service != endpoint.service || other.vpc != endpoint.vpc {
                continue;
            }
            // Two gateway endpoints of one service on one route table.
            if endpoint.kind == EndpointType::Gateway && other.kind == EndpointType::Gateway {
                for rt in &endpoint.route_tables {
                    if other.route_tables.contains(rt) {
                        let table = &net.route_tables[rt.index()];
                        diags.push(
                            Diag::error(
                                codes::GATEWAY_ENDPOINT_DUPLICATE,
                                endpoint.origin,
                                format!(
                                    "route table `{}` has two gateway endpoints for `{service}`: `{}` and `{}`",
                                    table.name, other.name, endpoint.name
                                ),
                            )
                            .label(format!("second `{service}` gateway endpoint on `{}`", table.name))
                            .secondary(other.origin, format!("first `{service}` gateway endpoint on `{}`", table.name))
                            .note("AWS allows one gateway endpoint per service on a route table"),
                        );
                    }
                }
            }
            // Two private-DNS interface endpoints of one service in one VPC.
            if endpoint.kind == EndpointType::Interface
                && other.kind == EndpointType::Interface
                && endpoint.private_dns
                && other.private_dns
            {
                diags.push(
                    Diag::error(
                        codes::PRIVATE_DNS_CONFLICT,
                        endpoint.origin,
                        format!(
                            "VPC `{}` has two interface endpoints for `{service}` with private DNS: `{}` and `{}`",
                            vpc.name, other.name, endpoint.name
                        ),
                    )
                    .label("second endpoint with private DNS")
                    .secondary(other.origin, "first endpoint with private DNS")
                    .note("only one endpoint per service and VPC can own the service's private DNS name"),
                );
            }
        }
        if endpoint.kind == EndpointType::Interface
            && endpoint.private_dns
            && !(vpc.dns_hostnames && vpc.dns_support)
        {
            let off = match (vpc.dns_hostnames, vpc.dns_support) {
                (false, false) => "`dns_hostnames` and `dns_support` are",
                (false, true) => "`dns_hostnames` is",
                _ => "`dns_support` is",
            };
            diags.push(
                Diag::error(
                    codes::PRIVATE_DNS_DISABLED,
                    endpoint.origin,
                    format!(
                        "endpoint `{}` sets `private_dns true`, but in VPC `{}` {off} false",
                        endpoint.name, vpc.name
                    ),
                )
                .label("private DNS needs DNS hostnames and DNS support")
                .secondary(vpc.origin, format!("VPC `{}`", vpc.name))
                .note("set `dns_hostnames true` and `dns_support true` on the VPC, or `private_dns false`"),
            );
        }
    }
    for service in &net.endpoint_services {
        let Some(lb) = service.load_balancer else {
            continue;
        };
        let lb = &net.load_balancers[lb.index()];
        if lb.kind != LoadBalancerType::Network {
            diags.push(
                Diag::error(
                    codes::ENDPOINT_SERVICE_LB_TYPE,
                    service.origin,
                    format!(
                        "endpoint service `{}` is fronted by `{}`, an application load balancer",
                        service.name, lb.name
                    ),
                )
                .label("needs a network load balancer")
                .secondary(lb.origin, "`type application` (the default)")
                .note("PrivateLink endpoint services are fronted by a network load balancer (`type network`)"),
            );
        }
    }
    for lb in &net.load_balancers {
        if lb.kind != LoadBalancerType::Application || lb.subnets.is_empty() {
            continue;
        }
        let mut azs: Vec<&str> = lb
            .subnets
            .iter()
            .map(|s| net.subnets[s.index()].az.as_str())
            .collect();
        azs.sort();
        azs.dedup();
        if azs.len() < 2 {
            diags.push(
                Diag::error(
                    codes::ALB_SINGLE_AZ,
                    lb.origin,
                    format!(
                        "application load balancer `{}` has subnets in {} availability zone{} ({}); AWS requires two or more",
                        lb.name,
                        azs.len(),
                        if azs.len() == 1 { "" } else { "s" },
                        azs.join(", ")
                    ),
                )
                .label("subnets in fewer than two availability zones")
                .note("add a subnet in a second availability zone to `subnets`"),
            );
        }
    }
}
