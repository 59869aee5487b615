//! VPC endpoints and workloads: instances, Lambda functions in a VPC, RDS databases.

use serde_json::Value;

use super::Conv;
use crate::import::cloudformation::eval::resource_ref;
use crate::import::draft::{Endpoint, Workload};

pub(super) fn endpoints_and_workloads(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::EC2::VPCEndpoint") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::EC2::VPCEndpoint", r);
        let Some(service) = c.text(id, r, "ServiceName") else {
            c.warn(id, "no ServiceName that can be resolved; not imported");
            continue;
        };
        let kind = c
            .text(id, r, "VpcEndpointType")
            .unwrap_or_else(|| "Gateway".to_string());
        if kind != "Gateway" && kind != "Interface" {
            c.warn(
                id,
                format!("endpoint type `{kind}` is not modelled; not imported"),
            );
            continue;
        }
        let e = Endpoint {
            src,
            service,
            gateway: kind == "Gateway",
            route_tables: c.references(id, r, "RouteTableIds"),
            subnets: c.references(id, r, "SubnetIds"),
            security_groups: c.references(id, r, "SecurityGroupIds"),
            private_dns: c.boolean(id, r, "PrivateDnsEnabled").unwrap_or(false),
        };
        c.draft.vpcs[vi].endpoints.push(e);
    }
    for (id, r) in c.of_type("AWS::EC2::Instance") {
        let mut subnets: Vec<String> = c.reference(id, r, "SubnetId").into_iter().collect();
        let mut groups = c.references(id, r, "SecurityGroupIds");
        let mut private_ip = c.text(id, r, "PrivateIpAddress");
        let mut public_ip = None;
        if let Some(Value::Array(nis)) = c.prop(id, r, "NetworkInterfaces") {
            for ni in &nis {
                if let Some(s) = ni.get("SubnetId").and_then(as_id) {
                    subnets.push(s);
                }
                if let Some(Value::Array(gs)) = ni.get("GroupSet") {
                    groups.extend(gs.iter().filter_map(as_id));
                }
                private_ip = private_ip.or_else(|| {
                    ni.get("PrivateIpAddress")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                });
                if let Some(p) = ni.get("AssociatePublicIpAddress") {
                    public_ip = Some(p == &Value::Bool(true) || p == "true");
                }
            }
        }
        groups.dedup();
        workload(
            c,
            id,
            r,
            "instance",
            "AWS::EC2::Instance",
            subnets,
            groups,
            private_ip,
            public_ip,
        );
    }
    // Lambda functions, also as the Serverless transform writes them (`VpcConfig` the same).
    let functions = ["AWS::Lambda::Function", "AWS::Serverless::Function"]
        .into_iter()
        .flat_map(|kind| {
            c.of_type(kind)
                .into_iter()
                .map(move |(id, r)| (kind, id, r))
        })
        .collect::<Vec<_>>();
    for (kind, id, r) in functions {
        let Some(config) = c.prop(id, r, "VpcConfig") else {
            continue; // not attached to a VPC: no network presence vnet models
        };
        let list = |k: &str| -> Vec<String> {
            config
                .get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(as_id).collect())
                .unwrap_or_default()
        };
        let (subnets, groups) = (list("SubnetIds"), list("SecurityGroupIds"));
        workload(c, id, r, "function", kind, subnets, groups, None, None);
    }
    for kind in ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"] {
        for (id, r) in c.of_type(kind) {
            if kind == "AWS::RDS::DBInstance"
                && r.pointer("/Properties/DBClusterIdentifier").is_some()
            {
                continue; // an instance of a cluster: the cluster stands for it
            }
            let Some(group) = c.reference(id, r, "DBSubnetGroupName") else {
                c.warn(
                    id,
                    "no DBSubnetGroupName (the default VPC is not in the template); not imported",
                );
                continue;
            };
            let subnets = match c
                .of_type("AWS::RDS::DBSubnetGroup")
                .into_iter()
                .find(|(g, _)| *g == group)
            {
                Some((gid, gr)) => c.references(gid, gr, "SubnetIds"),
                None => Vec::new(),
            };
            let mut groups = c.references(id, r, "VPCSecurityGroups");
            groups.extend(c.references(id, r, "VpcSecurityGroupIds"));
            let engine = c.text(id, r, "Engine");
            let port = c.int(id, r, "Port").and_then(|p| u16::try_from(p).ok());
            let public = c.boolean(id, r, "PubliclyAccessible");
            workload(c, id, r, "database", kind, subnets, groups, None, public);
            if let Some(w) = c
                .draft
                .vpcs
                .iter_mut()
                .flat_map(|v| v.workloads.iter_mut())
                .find(|w| w.src.id == id)
            {
                w.engine = engine;
                w.port = port;
            }
        }
    }
}

/// Auto Scaling groups (their launch template's or configuration's groups) and ECS services
/// in `awsvpc` mode: each an `instance` workload in its subnets.
pub(super) fn fleets(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::AutoScaling::AutoScalingGroup") {
        let subnets = c.references(id, r, "VPCZoneIdentifier");
        let mut groups = Vec::new();
        let mut public = None;
        let template = c
            .prop(id, r, "LaunchTemplate")
            .or_else(|| {
                c.prop(id, r, "MixedInstancesPolicy").and_then(|m| {
                    m.pointer("/LaunchTemplate/LaunchTemplateSpecification")
                        .cloned()
                })
            })
            .and_then(|t| {
                t.get("LaunchTemplateId")
                    .or_else(|| t.get("LaunchTemplateName"))
                    .and_then(as_id)
            });
        if let Some(t) = template {
            if let Some((tid, tr)) = c
                .of_type("AWS::EC2::LaunchTemplate")
                .into_iter()
                .find(|(x, _)| *x == t)
            {
                let data = c.prop(tid, tr, "LaunchTemplateData").unwrap_or(Value::Null);
                groups.extend(ids(data.get("SecurityGroupIds")));
                if let Some(ni) = data.pointer("/NetworkInterfaces/0") {
                    groups.extend(ids(ni.get("Groups")));
                    public = ni
                        .get("AssociatePublicIpAddress")
                        .map(|p| p == &Value::Bool(true) || p == "true");
                }
            }
        }
        if let Some(lc) = c.reference(id, r, "LaunchConfigurationName") {
            if let Some((lid, lr)) = c
                .of_type("AWS::AutoScaling::LaunchConfiguration")
                .into_iter()
                .find(|(x, _)| *x == lc)
            {
                groups.extend(c.references(lid, lr, "SecurityGroups"));
                public = c.boolean(lid, lr, "AssociatePublicIpAddress").or(public);
            }
        }
        workload(
            c,
            id,
            r,
            "instance",
            "AWS::AutoScaling::AutoScalingGroup",
            subnets,
            groups,
            None,
            public,
        );
        let target_groups = c.references(id, r, "TargetGroupARNs");
        register(c, id, &target_groups);
    }
    for (id, r) in c.of_type("AWS::ECS::Service") {
        let Some(config) = c.prop(id, r, "NetworkConfiguration") else {
            continue; // bridge or host networking: the container instances stand for it
        };
        let Some(vpc) = config.get("AwsvpcConfiguration") else {
            continue;
        };
        let public = vpc
            .get("AssignPublicIp")
            .and_then(Value::as_str)
            .map(|p| p == "ENABLED");
        let (subnets, groups) = (ids(vpc.get("Subnets")), ids(vpc.get("SecurityGroups")));
        workload(
            c,
            id,
            r,
            "instance",
            "AWS::ECS::Service",
            subnets,
            groups,
            None,
            public,
        );
        let target_groups: Vec<String> = match c.prop(id, r, "LoadBalancers") {
            Some(Value::Array(lbs)) => lbs
                .iter()
                .filter_map(|l| l.get("TargetGroupArn").and_then(as_id))
                .collect(),
            _ => Vec::new(),
        };
        register(c, id, &target_groups);
    }
}

/// The members of a fleet are the targets of its target groups.
fn register(c: &mut Conv, workload: &str, target_groups: &[String]) {
    for tg in target_groups {
        let found = c
            .draft
            .vpcs
            .iter_mut()
            .flat_map(|v| v.target_groups.iter_mut())
            .find(|t| &t.src.id == tg);
        if let Some(t) = found {
            t.targets.push(workload.to_string());
        }
    }
}

fn ids(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(as_id).collect())
        .unwrap_or_default()
}

fn as_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => resource_ref(other).map(str::to_string),
    }
}

#[allow(clippy::too_many_arguments)]
fn workload(
    c: &mut Conv,
    id: &str,
    r: &Value,
    kind: &'static str,
    resource_type: &str,
    subnets: Vec<String>,
    groups: Vec<String>,
    private_ip: Option<String>,
    public_ip: Option<bool>,
) {
    let Some(&vi) = subnets.iter().find_map(|s| c.in_vpc.get(s)) else {
        c.warn(id, "none of its subnets is in the template; not imported");
        return;
    };
    let src = c.source(id, resource_type, r);
    c.draft.vpcs[vi].workloads.push(Workload {
        src,
        kind,
        subnets,
        security_groups: groups,
        private_ip,
        public_ip,
        ..Workload::default()
    });
}
