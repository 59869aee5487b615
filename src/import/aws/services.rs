//! What other describe calls of a dump add: Elastic Load Balancing v2 (`describe-load-balancers`,
//! `describe-target-groups`, `describe-listeners`, target health), RDS
//! (`describe-db-instances`), Lambda (`list-functions`) and managed prefix lists.

use serde_json::Value;

use super::convert::{array, int, name_tag, source_named, text, Conv};
use crate::import::draft::{LoadBalancer, TargetGroup, Workload};

fn strings(v: &Value, key: &str) -> Vec<String> {
    array(v, key)
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// `com.amazonaws.us-east-1.s3` prefix lists: which id stands for which service.
pub(super) fn prefix_lists(c: &mut Conv) {
    for (v, _) in c.items("PrefixLists") {
        if let (Some(id), Some(name)) = (text(v, "PrefixListId"), text(v, "PrefixListName")) {
            let service = crate::import::write::short_service(&name);
            c.draft.prefix_lists.push((id, service));
        }
    }
}

pub(super) fn load_balancers(c: &mut Conv) {
    for (v, _) in c.items("TargetGroups") {
        let Some(id) = text(v, "TargetGroupArn") else {
            continue;
        };
        let Some(vi) = c.vpc(&id, v) else { continue };
        let src = source_named(
            &id,
            text(v, "TargetGroupName").or_else(|| name_tag(v)),
            v,
            "",
        );
        c.draft.vpcs[vi].target_groups.push(TargetGroup {
            src,
            protocol: text(v, "Protocol").map(|p| p.to_ascii_lowercase()),
            port: int(v, "Port").and_then(|p| u16::try_from(p).ok()),
            targets: Vec::new(),
        });
    }
    // Target health: `describe-target-health` output wrapped with its target group's ARN.
    for (v, _) in c.items("LoadBalancerTargetHealth") {
        let Some(tg) = text(v, "TargetGroupArn") else {
            continue;
        };
        let targets: Vec<String> = array(v, "TargetHealthDescriptions")
            .iter()
            .filter_map(|d| {
                d.pointer("/Target/Id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        let found = c
            .draft
            .vpcs
            .iter_mut()
            .flat_map(|x| x.target_groups.iter_mut())
            .find(|t| t.src.id == tg);
        match found {
            Some(t) => t.targets.extend(targets),
            None => c.warn(
                &tg,
                "target health of a target group that is not in the input; left out",
            ),
        }
    }
    for (v, _) in c.items("LoadBalancers") {
        let Some(id) = text(v, "LoadBalancerArn") else {
            continue;
        };
        let state = v
            .pointer("/State/Code")
            .and_then(Value::as_str)
            .unwrap_or("active");
        if state == "failed" {
            c.warn(&id, "state failed; not imported");
            continue;
        }
        let kind = text(v, "Type").unwrap_or_else(|| "application".to_string());
        if kind != "application" && kind != "network" {
            c.warn(
                &id,
                format!("a {kind} load balancer is not modelled; not imported"),
            );
            continue;
        }
        let Some(vi) = c.vpc(&id, v) else { continue };
        let src = source_named(
            &id,
            text(v, "LoadBalancerName").or_else(|| name_tag(v)),
            v,
            "",
        );
        let subnets = array(v, "AvailabilityZones")
            .iter()
            .filter_map(|z| text(z, "SubnetId"))
            .collect();
        c.draft.vpcs[vi].load_balancers.push(LoadBalancer {
            src,
            network: kind == "network",
            internal: text(v, "Scheme").as_deref() == Some("internal"),
            subnets,
            security_groups: strings(v, "SecurityGroups"),
            listeners: Vec::new(),
        });
    }
    // `describe-listeners` output, or the same wrapped per load balancer.
    let mut listeners: Vec<Value> = c
        .items("Listeners")
        .into_iter()
        .map(|(v, _)| v.clone())
        .collect();
    for (v, _) in c.items("LoadBalancerListeners") {
        listeners.extend(array(v, "Listeners").iter().cloned());
    }
    for l in listeners {
        let Some(lb) = text(&l, "LoadBalancerArn") else {
            continue;
        };
        let id = text(&l, "ListenerArn").unwrap_or_else(|| lb.clone());
        let Some(port) = int(&l, "Port").and_then(|p| u16::try_from(p).ok()) else {
            continue;
        };
        let protocol = text(&l, "Protocol")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let target = array(&l, "DefaultActions").iter().find_map(|a| {
            text(a, "TargetGroupArn").or_else(|| {
                a.pointer("/ForwardConfig/TargetGroups/0/TargetGroupArn")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
        });
        let Some(target) = target else {
            c.warn(&id, format!("listener {protocol} {port} forwards to no target group (redirects and fixed responses are not modelled); left out"));
            continue;
        };
        let found = c
            .draft
            .vpcs
            .iter_mut()
            .flat_map(|x| x.load_balancers.iter_mut())
            .find(|x| x.src.id == lb);
        match found {
            Some(x) => x.listeners.push((protocol, port, target)),
            None => c.warn(
                &id,
                format!("its load balancer `{lb}` is not in the input; left out"),
            ),
        }
    }
}

pub(super) fn databases_and_functions(c: &mut Conv) {
    for (v, _) in c.items("DBInstances") {
        let Some(id) = text(v, "DBInstanceArn").or_else(|| text(v, "DBInstanceIdentifier")) else {
            continue;
        };
        let status = text(v, "DBInstanceStatus").unwrap_or_default();
        if matches!(status.as_str(), "deleting" | "failed") {
            c.warn(&id, format!("status {status}; not imported"));
            continue;
        }
        let Some(group) = v.get("DBSubnetGroup") else {
            c.warn(&id, "no DB subnet group (not in a VPC); not imported");
            continue;
        };
        let Some(vi) = c.vpc(&id, group) else {
            continue;
        };
        let subnets = array(group, "Subnets")
            .iter()
            .filter_map(|s| text(s, "SubnetIdentifier"))
            .collect();
        let groups = array(v, "VpcSecurityGroups")
            .iter()
            .filter_map(|g| text(g, "VpcSecurityGroupId"))
            .collect();
        let src = source_named(
            &id,
            text(v, "DBInstanceIdentifier"),
            v,
            &text(v, "Engine").unwrap_or_default(),
        );
        c.draft.vpcs[vi].workloads.push(Workload {
            src,
            kind: "database",
            subnets,
            security_groups: groups,
            public_ip: Some(v.get("PubliclyAccessible").and_then(Value::as_bool) == Some(true)),
            engine: text(v, "Engine"),
            port: v
                .pointer("/Endpoint/Port")
                .and_then(Value::as_u64)
                .and_then(|p| u16::try_from(p).ok()),
            ..Workload::default()
        });
    }
    let mut outside = Vec::new();
    for (v, _) in c.items("Functions") {
        let Some(id) = text(v, "FunctionArn").or_else(|| text(v, "FunctionName")) else {
            continue;
        };
        let config = v.get("VpcConfig");
        let vpc = config
            .and_then(|x| text(x, "VpcId"))
            .filter(|x| !x.is_empty());
        let Some(config) = config.filter(|_| vpc.is_some()) else {
            outside.push(text(v, "FunctionName").unwrap_or(id));
            continue;
        };
        let Some(vi) = c.vpc(&id, config) else {
            continue;
        };
        let src = source_named(&id, text(v, "FunctionName"), v, "");
        c.draft.vpcs[vi].workloads.push(Workload {
            src,
            kind: "function",
            subnets: strings(config, "SubnetIds"),
            security_groups: strings(config, "SecurityGroupIds"),
            public_ip: Some(false),
            ..Workload::default()
        });
    }
    if !outside.is_empty() {
        c.warn(
            "Functions",
            format!(
                "not attached to a VPC (no network presence vnet models): {}",
                outside.join(", ")
            ),
        );
    }
}
