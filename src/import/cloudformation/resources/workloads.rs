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
    for (id, r) in c.of_type("AWS::Lambda::Function") {
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
        workload(
            c,
            id,
            r,
            "function",
            "AWS::Lambda::Function",
            subnets,
            groups,
            None,
            None,
        );
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
            workload(c, id, r, "database", kind, subnets, groups, None, None);
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
