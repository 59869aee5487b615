//! Security groups (one resource per rule, as the provider recommends), VPC endpoints and
//! endpoint services, load balancers, workloads.

use serde_json::{json, Value};

use super::vpc::cidr_field;
use super::{attr, tags, Config};
use crate::export::short;
use crate::ir::{
    EndpointTarget, EndpointType, LoadBalancerType, Protocol, SecurityGroupId, SgPeer, SubnetId,
    Target, WorkloadKind,
};

pub(super) fn security_groups(c: &mut Config) {
    let network = c.network;
    for sg in network.security_groups.iter().filter(|g| !g.default) {
        let id = c.id(&sg.name);
        let vpc = c.id(&network.vpcs[sg.vpc.index()].name);
        c.add("aws_security_group", &id, json!({
            "name": short(&sg.name),
            "description": sg.description.clone().unwrap_or_else(|| short(&sg.name).to_string()),
            "vpc_id": attr("aws_vpc", &vpc, "id"),
            "tags": tags(short(&sg.name)),
        }));
        // The provider removes AWS's default egress rule: every egress rule is written, the
        // default one included.
        for (egress, rules) in [(false, &sg.ingress), (true, &sg.egress)] {
            for (n, r) in rules.iter().enumerate() {
                let mut body =
                    json!({ "security_group_id": attr("aws_security_group", &id, "id") });
                match r.protocol {
                    Protocol::All => body["ip_protocol"] = json!("-1"),
                    Protocol::Icmp => {
                        body["ip_protocol"] = json!("icmp");
                        body["from_port"] = json!(-1);
                        body["to_port"] = json!(-1);
                    }
                    p => {
                        body["ip_protocol"] = json!(p.to_string());
                        body["from_port"] = json!(r.ports.from);
                        body["to_port"] = json!(r.ports.to);
                    }
                }
                match &r.peer {
                    SgPeer::Cidr(cidr) => cidr_field(&mut body, cidr, "cidr_ipv4", "cidr_ipv6"),
                    SgPeer::SecurityGroup(g) => {
                        body["referenced_security_group_id"] = json!(attr(
                            "aws_security_group",
                            &c.id(&network.security_groups[g.index()].name),
                            "id"
                        ))
                    }
                    SgPeer::PrefixList(service) => {
                        let data = format!(
                            "{service}_{}",
                            network.vpcs[sg.vpc.index()].region.replace('-', "_")
                        );
                        c.add_data("aws_prefix_list", &data, json!({ "name": format!("com.amazonaws.{}.{service}", network.vpcs[sg.vpc.index()].region) }));
                        body["prefix_list_id"] =
                            json!(format!("${{data.aws_prefix_list.{data}.id}}"));
                    }
                }
                if let Some(d) = &r.description {
                    body["description"] = json!(d);
                }
                let kind = if egress {
                    "aws_vpc_security_group_egress_rule"
                } else {
                    "aws_vpc_security_group_ingress_rule"
                };
                let rid = c.id(&format!(
                    "{}.{}.{}",
                    sg.name,
                    if egress { "egress" } else { "ingress" },
                    n + 1
                ));
                c.add(kind, &rid, body);
            }
        }
    }
}

pub(super) fn groups(c: &mut Config, ids: &[SecurityGroupId]) -> Vec<String> {
    let network = c.network;
    ids.iter()
        .map(|g| &network.security_groups[g.index()])
        .filter(|g| !g.default)
        .map(|g| attr("aws_security_group", &c.id(&g.name), "id"))
        .collect()
}

pub(super) fn subnets(c: &mut Config, ids: &[SubnetId]) -> Vec<String> {
    let network = c.network;
    ids.iter()
        .map(|s| attr("aws_subnet", &c.id(&network.subnets[s.index()].name), "id"))
        .collect()
}

pub(super) fn endpoints(c: &mut Config) {
    let network = c.network;
    for s in &network.endpoint_services {
        let id = c.id(&s.name);
        let Some(lb) = s.load_balancer else { continue };
        let lb = c.id(&network.load_balancers[lb.index()].name);
        c.add(
            "aws_vpc_endpoint_service",
            &id,
            json!({
                "acceptance_required": s.acceptance_required,
                "network_load_balancer_arns": [attr("aws_lb", &lb, "arn")],
                "allowed_principals": s.allowed_principals,
                "tags": tags(short(&s.name)),
            }),
        );
    }
    for e in &network.endpoints {
        let id = c.id(&e.name);
        let vpc = &network.vpcs[e.vpc.index()];
        let vpc_id = c.id(&vpc.name);
        let service = match &e.service {
            EndpointTarget::Aws(name) => format!("com.amazonaws.{}.{name}", vpc.region),
            EndpointTarget::EndpointService(s) => attr(
                "aws_vpc_endpoint_service",
                &c.id(&network.endpoint_services[s.index()].name),
                "service_name",
            ),
        };
        let mut body = json!({ "vpc_id": attr("aws_vpc", &vpc_id, "id"), "service_name": service, "tags": tags(short(&e.name)) });
        match e.kind {
            EndpointType::Gateway => {
                body["vpc_endpoint_type"] = json!("Gateway");
                let tables: Vec<String> = e
                    .route_tables
                    .iter()
                    .map(|r| &network.route_tables[r.index()])
                    .map(|r| {
                        if r.implicit {
                            attr("aws_vpc", &vpc_id, "main_route_table_id")
                        } else {
                            attr("aws_route_table", &c.id(&r.name), "id")
                        }
                    })
                    .collect();
                body["route_table_ids"] = json!(tables);
            }
            EndpointType::Interface => {
                body["vpc_endpoint_type"] = json!("Interface");
                body["subnet_ids"] = json!(subnets(c, &e.subnets));
                let g = groups(c, &e.security_groups);
                if !g.is_empty() {
                    body["security_group_ids"] = json!(g);
                }
                body["private_dns_enabled"] = json!(e.private_dns);
            }
        }
        c.add("aws_vpc_endpoint", &id, body);
    }
}

/// A load balancer or target group name: at most 32 letters, digits and hyphens.
fn aws_name(qualified: &str) -> String {
    let s: String = qualified
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
        .collect();
    s.chars()
        .take(32)
        .collect::<String>()
        .trim_matches('-')
        .to_string()
}

pub(super) fn load_balancers(c: &mut Config) {
    let network = c.network;
    for tg in &network.target_groups {
        let id = c.id(&tg.name);
        let vpc = c.id(&network.vpcs[tg.vpc.index()].name);
        let ip_targets = tg.targets.iter().any(|x| matches!(x, Target::Address(_)));
        let port = tg.port.unwrap_or(80);
        c.add("aws_lb_target_group", &id, json!({
            "name": aws_name(&tg.name),
            "vpc_id": attr("aws_vpc", &vpc, "id"),
            "protocol": tg.protocol.clone().unwrap_or_else(|| "http".to_string()).to_ascii_uppercase(),
            "port": port,
            "target_type": if ip_targets { "ip" } else { "instance" },
            "tags": tags(short(&tg.name)),
        }));
        for (n, target) in tg.targets.iter().enumerate() {
            let target_id = match (target, ip_targets) {
                (Target::Address(a), true) => a.to_string(),
                (Target::Workload(w), false)
                    if network.workloads[w.index()].kind == WorkloadKind::Instance =>
                {
                    attr(
                        "aws_instance",
                        &c.id(&network.workloads[w.index()].name),
                        "id",
                    )
                }
                _ => {
                    c.notes.push(format!("{}: a target group holds instances or IP addresses, not both (nor functions or databases); a target is left out", tg.name));
                    continue;
                }
            };
            let aid = c.id(&format!("{}.target.{}", tg.name, n + 1));
            c.add("aws_lb_target_group_attachment", &aid, json!({ "target_group_arn": attr("aws_lb_target_group", &id, "arn"), "target_id": target_id, "port": port }));
        }
    }
    for lb in &network.load_balancers {
        let id = c.id(&lb.name);
        let mut body = json!({
            "name": aws_name(&lb.name),
            "internal": lb.internal,
            "load_balancer_type": if lb.kind == LoadBalancerType::Network { "network" } else { "application" },
            "subnets": subnets(c, &lb.subnets),
            "tags": tags(short(&lb.name)),
        });
        let g = groups(c, &lb.security_groups);
        if !g.is_empty() {
            body["security_groups"] = json!(g);
        }
        c.add("aws_lb", &id, body);
        for l in &lb.listeners {
            let lid = c.id(&format!("{}.listener.{}", lb.name, l.port));
            let tg = c.id(&network.target_groups[l.target_group.index()].name);
            let protocol = l.protocol.to_ascii_uppercase();
            let mut body = json!({
                "load_balancer_arn": attr("aws_lb", &id, "arn"),
                "port": l.port,
                "protocol": protocol,
                "default_action": [{ "type": "forward", "target_group_arn": attr("aws_lb_target_group", &tg, "arn") }],
            });
            if protocol == "HTTPS" || protocol == "TLS" {
                body["certificate_arn"] = json!(c.variable(
                    "certificate_arn",
                    "The ACM certificate of the HTTPS and TLS listeners"
                ));
            }
            c.add("aws_lb_listener", &lid, body);
        }
    }
}

pub(super) fn workloads(c: &mut Config) {
    let network = c.network;
    for w in &network.workloads {
        let id = c.id(&w.name);
        let subnet_ids = subnets(c, &w.subnets);
        let group_ids = groups(c, &w.security_groups);
        match w.kind {
            WorkloadKind::Instance => {
                c.add_data("aws_ssm_parameter", "ami", json!({ "name": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }));
                let mut body = json!({
                    "ami": "${data.aws_ssm_parameter.ami.value}",
                    "instance_type": "t3.micro",
                    "subnet_id": subnet_ids.first().cloned().unwrap_or_default(),
                    "associate_public_ip_address": w.public_ip,
                    "tags": tags(short(&w.name)),
                });
                if !group_ids.is_empty() {
                    body["vpc_security_group_ids"] = json!(group_ids);
                }
                if let Some(ip) = w.private_ip {
                    body["private_ip"] = json!(ip.to_string());
                }
                if subnet_ids.len() > 1 {
                    c.notes.push(format!(
                        "{}: only the instance's first subnet is exported",
                        w.name
                    ));
                }
                c.add("aws_instance", &id, body);
            }
            WorkloadKind::Function => {
                c.needs_archive = true;
                c.add_data("archive_file", &id, json!({
                    "type": "zip",
                    "output_path": format!("${{path.module}}/{id}.zip"),
                    "source": [{ "content": "def handler(event, context):\n    return None\n", "filename": "index.py" }],
                }));
                let role = c.id(&format!("{}.role", w.name));
                c.add("aws_iam_role", &role, json!({
                    "name_prefix": aws_name(short(&w.name)).chars().take(30).collect::<String>(),
                    "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
                }));
                let attach = c.id(&format!("{}.role.vpc_access", w.name));
                c.add("aws_iam_role_policy_attachment", &attach, json!({
                    "role": attr("aws_iam_role", &role, "name"),
                    "policy_arn": "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                }));
                c.add("aws_lambda_function", &id, json!({
                    "function_name": aws_name(&w.name),
                    "role": attr("aws_iam_role", &role, "arn"),
                    "runtime": "python3.12",
                    "handler": "index.handler",
                    "filename": format!("${{data.archive_file.{id}.output_path}}"),
                    "vpc_config": [{ "subnet_ids": subnet_ids, "security_group_ids": group_ids }],
                    "tags": tags(short(&w.name)),
                }));
            }
            WorkloadKind::Database => database(c, w, &id, subnet_ids, group_ids),
        }
    }
}

fn database(
    c: &mut Config,
    w: &crate::ir::Workload,
    id: &str,
    subnet_ids: Vec<String>,
    group_ids: Vec<String>,
) {
    let group = c.id(&format!("{}.subnet_group", w.name));
    c.add(
        "aws_db_subnet_group",
        &group,
        json!({ "subnet_ids": subnet_ids, "tags": tags(short(&w.name)) }),
    );
    let engine = w.engine.clone().unwrap_or_else(|| "postgres".to_string());
    let mut common = json!({
        "engine": engine,
        "db_subnet_group_name": attr("aws_db_subnet_group", &group, "name"),
        "master_username": "vnetadmin",
        "manage_master_user_password": true,
        "storage_encrypted": true,
        "tags": tags(short(&w.name)),
    });
    if !group_ids.is_empty() {
        common["vpc_security_group_ids"] = json!(group_ids);
    }
    if let Some(port) = w.port {
        common["port"] = json!(port);
    }
    if engine.starts_with("aurora") {
        common["skip_final_snapshot"] = json!(false);
        common["final_snapshot_identifier"] = json!(format!("{}-final", aws_name(&w.name)));
        c.add("aws_rds_cluster", id, common);
        let instance = c.id(&format!("{}.instance", w.name));
        c.add(
            "aws_rds_cluster_instance",
            &instance,
            json!({
                "cluster_identifier": attr("aws_rds_cluster", id, "id"),
                "engine": engine,
                "instance_class": "db.t3.medium",
            }),
        );
    } else {
        if let Value::Object(m) = &mut common {
            m.insert(
                "username".into(),
                m.get("master_username").cloned().unwrap_or_default(),
            );
            m.remove("master_username");
        }
        common["instance_class"] = json!("db.t3.micro");
        common["allocated_storage"] = json!(20);
        common["multi_az"] = json!(w.subnets.len() > 1);
        common["skip_final_snapshot"] = json!(false);
        common["final_snapshot_identifier"] = json!(format!("{}-final", aws_name(&w.name)));
        c.add("aws_db_instance", id, common);
    }
}
