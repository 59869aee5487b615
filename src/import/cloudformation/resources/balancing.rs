//! Elastic Load Balancing v2 (load balancers, listeners, target groups) and PrivateLink
//! endpoint services.

use serde_json::Value;

use super::{value_int, Conv};
use crate::import::cloudformation::eval::resource_ref;
use crate::import::draft::{EndpointService, LoadBalancer, TargetGroup};

fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => resource_ref(other).map(str::to_string),
    }
}

pub(super) fn load_balancers(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::ElasticLoadBalancingV2::TargetGroup") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::ElasticLoadBalancingV2::TargetGroup", r);
        let targets = match c.prop(id, r, "Targets") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|t| t.get("Id").and_then(id_of))
                .collect(),
            _ => Vec::new(),
        };
        let tg = TargetGroup {
            src,
            protocol: c.text(id, r, "Protocol").map(|p| p.to_ascii_lowercase()),
            port: c.int(id, r, "Port").and_then(|p| u16::try_from(p).ok()),
            targets,
        };
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].target_groups.push(tg);
    }
    for (id, r) in c.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer") {
        let mut subnets = c.references(id, r, "Subnets");
        if let Some(Value::Array(maps)) = c.prop(id, r, "SubnetMappings") {
            subnets.extend(
                maps.iter()
                    .filter_map(|m| m.get("SubnetId").and_then(id_of)),
            );
        }
        let Some(&vi) = subnets.iter().find_map(|s| c.in_vpc.get(s)) else {
            c.warn(id, "none of its subnets is in the template; not imported");
            continue;
        };
        let kind = c
            .text(id, r, "Type")
            .unwrap_or_else(|| "application".to_string());
        if kind != "application" && kind != "network" {
            c.warn(
                id,
                format!("a {kind} load balancer is not modelled; not imported"),
            );
            continue;
        }
        let src = c.source(id, "AWS::ElasticLoadBalancingV2::LoadBalancer", r);
        let lb = LoadBalancer {
            src,
            network: kind == "network",
            internal: c.text(id, r, "Scheme").as_deref() == Some("internal"),
            subnets,
            security_groups: c.references(id, r, "SecurityGroups"),
            listeners: Vec::new(),
        };
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].load_balancers.push(lb);
    }
    for (id, r) in c.of_type("AWS::ElasticLoadBalancingV2::Listener") {
        let Some(lb) = c.reference(id, r, "LoadBalancerArn") else {
            continue;
        };
        let Some(&vi) = c.in_vpc.get(&lb) else {
            c.warn(
                id,
                format!("load balancer `{lb}` is not in the template; not imported"),
            );
            continue;
        };
        let protocol = c
            .text(id, r, "Protocol")
            .unwrap_or_else(|| "http".to_string())
            .to_ascii_lowercase();
        let Some(port) = c.int(id, r, "Port").and_then(|p| u16::try_from(p).ok()) else {
            c.warn(id, "no port; not imported");
            continue;
        };
        let actions = c.prop(id, r, "DefaultActions").unwrap_or(Value::Null);
        let target = actions.as_array().into_iter().flatten().find_map(|a| {
            a.get("TargetGroupArn").and_then(id_of).or_else(|| {
                a.pointer("/ForwardConfig/TargetGroups/0/TargetGroupArn")
                    .and_then(id_of)
            })
        });
        let Some(target) = target else {
            c.warn(id, "its default action forwards to no target group (redirects and fixed responses are not modelled); not imported");
            continue;
        };
        if let Some(l) = c.draft.vpcs[vi]
            .load_balancers
            .iter_mut()
            .find(|x| x.src.id == lb)
        {
            l.listeners.push((protocol, port, target));
        }
    }
    for (id, r) in c.of_type("AWS::EC2::VPCEndpointService") {
        let lbs = c.references(id, r, "NetworkLoadBalancerArns");
        let Some(&vi) = lbs.iter().find_map(|l| c.in_vpc.get(l)) else {
            c.warn(id, "no network load balancer of the template; not imported");
            continue;
        };
        let mut src = c.source(id, "AWS::EC2::VPCEndpointService", r);
        if let Some(name) = Conv::metadata(r, "Name").and_then(|v| v.as_str().map(str::to_string)) {
            src.name = Some(name);
        }
        let mut principals = Vec::new();
        for (pid, pr) in c.of_type("AWS::EC2::VPCEndpointServicePermissions") {
            if c.reference(pid, pr, "ServiceId").as_deref() == Some(id) {
                if let Some(Value::Array(items)) = c.prop(pid, pr, "AllowedPrincipals") {
                    principals.extend(items.iter().filter_map(|p| p.as_str().map(str::to_string)));
                }
            }
        }
        let svc = EndpointService {
            src,
            load_balancer: lbs.first().cloned(),
            acceptance_required: c.boolean(id, r, "AcceptanceRequired").unwrap_or(true),
            allowed_principals: principals,
        };
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].endpoint_services.push(svc);
    }
    // What an exported template keeps of a workload's intent.
    for vpc in &mut c.draft.vpcs {
        for w in &mut vpc.workloads {
            let Some((_, _, r)) = c.active.iter().find(|(x, _, _)| *x == w.src.id) else {
                continue;
            };
            if let Some(Value::Array(uses)) = Conv::metadata(r, "Uses") {
                w.uses = uses
                    .iter()
                    .filter_map(|u| u.as_str().map(str::to_string))
                    .collect();
            }
            if let Some(port) = Conv::metadata(r, "Port").as_ref().and_then(value_int) {
                w.port = u16::try_from(port).ok();
            }
        }
    }
}
