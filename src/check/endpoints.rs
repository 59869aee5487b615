//! VPC endpoints, endpoint services and load balancers.

use crate::check::{indices_by, lb_protocols, lb_supports, name_of};
use crate::diagnostics::{codes, Diag};
use crate::ir::{EndpointTarget, EndpointType, LoadBalancerType, Network};

pub(super) fn check(net: &Network, diags: &mut Vec<Diag>) {
    privatelink_consumers(net, diags);
    // Duplicates are looked for among the endpoints of one VPC (not every pair of the network).
    let by_vpc = indices_by(net.vpcs.len(), net.endpoints.iter().map(|e| e.vpc));
    for (i, endpoint) in net.endpoints.iter().enumerate() {
        let EndpointTarget::Aws(service) = &endpoint.service else {
            continue;
        };
        if service.is_empty() {
            continue;
        }
        let vpc = &net.vpcs[endpoint.vpc.index()];
        let earlier = by_vpc[endpoint.vpc.index()].iter().take_while(|&&j| j < i);
        for other in earlier.map(|&j| &net.endpoints[j]) {
            if other.service != endpoint.service {
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
                                name_of(endpoint.origin),
                                format!(
                                    "route table `{}` has two gateway endpoints for `{service}`: `{}` and `{}`",
                                    table.name, other.name, endpoint.name
                                ),
                            )
                            .label(format!("second `{service}` gateway endpoint on `{}`", table.name))
                            .secondary(name_of(other.origin), format!("first `{service}` gateway endpoint on `{}`", table.name))
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
                        name_of(endpoint.origin),
                        format!(
                            "VPC `{}` has two interface endpoints for `{service}` with private DNS: `{}` and `{}`",
                            vpc.name, other.name, endpoint.name
                        ),
                    )
                    .label("second endpoint with private DNS")
                    .secondary(name_of(other.origin), "first endpoint with private DNS")
                    .note("only one endpoint per service and VPC can own the service's private DNS name"),
                );
            }
        }
        if endpoint.kind == EndpointType::Interface
            && endpoint.private_dns
            && !(vpc.dns_hostnames && vpc.dns_support)
        {
            let off = match (vpc.dns_hostnames, vpc.dns_support) {
                (false, false) => "`dns_hostnames false` and `dns_support false`",
                (false, true) => "`dns_hostnames false`",
                _ => "`dns_support false`",
            };
            diags.push(
                Diag::error(
                    codes::PRIVATE_DNS_DISABLED,
                    name_of(endpoint.origin),
                    format!(
                        "endpoint `{}` sets `private_dns true`, but VPC `{}` has {off}",
                        endpoint.name, vpc.name
                    ),
                )
                .label("private DNS needs DNS hostnames and DNS support")
                .secondary(name_of(vpc.origin), format!("VPC `{}` has {off}", vpc.name))
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
                    name_of(service.origin),
                    format!(
                        "endpoint service `{}` is fronted by `{}`, an application load balancer",
                        service.name, lb.name
                    ),
                )
                .label("needs a network load balancer")
                .secondary(name_of(lb.origin), format!("`{}` is an application load balancer", lb.name))
                .note("PrivateLink endpoint services are fronted by a network load balancer (`type network`)"),
            );
        }
    }
    // A target group's protocol must be one its load balancer forwards with.
    for lb in &net.load_balancers {
        let mut seen = Vec::new();
        for listener in &lb.listeners {
            if seen.contains(&listener.target_group) {
                continue;
            }
            seen.push(listener.target_group);
            let tg = &net.target_groups[listener.target_group.index()];
            let Some(protocol) = &tg.protocol else {
                continue;
            };
            if lb_supports(lb.kind, protocol) {
                continue;
            }
            let (word, allowed) = lb_protocols(lb.kind);
            diags.push(
                Diag::error(
                    codes::LISTENER_PROTOCOL,
                    name_of(tg.origin),
                    format!(
                        "target group `{}` has protocol `{protocol}`, but it serves {word} load balancer `{}`, whose target groups use {allowed}",
                        tg.name, lb.name
                    ),
                )
                .label(format!("protocol `{protocol}`"))
                .secondary(listener.origin, format!("listener of `{}`", lb.name))
                .note(format!("set the target group's `protocol` to one of {allowed}")),
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
                    name_of(lb.origin),
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

/// Endpoints to an endpoint service (PrivateLink consumers): only interface endpoints exist
/// for them, and their private DNS needs the VPC's DNS flags like any other.
fn privatelink_consumers(net: &Network, diags: &mut Vec<Diag>) {
    for endpoint in &net.endpoints {
        let EndpointTarget::EndpointService(service) = endpoint.service else {
            continue;
        };
        let service = &net.endpoint_services[service.index()];
        let vpc = &net.vpcs[endpoint.vpc.index()];
        if endpoint.kind == EndpointType::Gateway {
            diags.push(
                Diag::error(
                    codes::GATEWAY_ENDPOINT_SERVICE,
                    name_of(endpoint.origin),
                    format!(
                        "endpoint `{}` is a gateway endpoint for endpoint service `{}`: only `s3` and `dynamodb` have gateway endpoints",
                        endpoint.name, service.name
                    ),
                )
                .label("gateway endpoints serve only s3 and dynamodb")
                .note("a PrivateLink endpoint service is consumed through `type interface` with `subnets` and `security_groups`"),
            );
        } else if endpoint.private_dns && !(vpc.dns_hostnames && vpc.dns_support) {
            diags.push(
                Diag::error(
                    codes::PRIVATE_DNS_DISABLED,
                    name_of(endpoint.origin),
                    format!(
                        "endpoint `{}` sets `private_dns true`, but VPC `{}` has {}",
                        endpoint.name,
                        vpc.name,
                        if vpc.dns_hostnames { "`dns_support false`" } else { "`dns_hostnames false`" }
                    ),
                )
                .label("private DNS needs DNS hostnames and DNS support")
                .secondary(name_of(vpc.origin), format!("VPC `{}`", vpc.name))
                .note("set `dns_hostnames true` and `dns_support true` on the VPC, or `private_dns false`"),
            );
        }
    }
}
