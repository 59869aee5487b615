//! Security groups, VPC endpoints and endpoint services, load balancers and target groups,
//! workloads (instances, Lambda functions, RDS databases).

use serde_json::{json, Map, Value};

use super::vpc::cidr_field;
use super::{get_att, name_tag, reference, Template};
use crate::export::short;
use crate::ir::{
    EndpointTarget, EndpointType, LoadBalancerType, Protocol, SgPeer, SgRule, Target, WorkloadKind,
};

/// A rule's protocol and ports in the EC2 API's terms.
fn rule_ports(r: &SgRule, p: &mut Value) {
    match r.protocol {
        Protocol::Tcp | Protocol::Udp => {
            p["IpProtocol"] = json!(r.protocol.to_string());
            p["FromPort"] = json!(r.ports.from);
            p["ToPort"] = json!(r.ports.to);
        }
        Protocol::Icmp => {
            p["IpProtocol"] = json!("icmp");
            p["FromPort"] = json!(-1);
            p["ToPort"] = json!(-1);
        }
        Protocol::All => p["IpProtocol"] = json!("-1"),
    }
}

/// Marks the placeholder egress rule that removes AWS's default one.
pub const NO_EGRESS: &str = "vnet: no egress";

pub(super) fn security_groups(t: &mut Template) {
    let network = t.network;
    for sg in network.security_groups.iter().filter(|g| !g.default) {
        let id = t.id(&sg.name);
        let vpc = t.id(&network.vpcs[sg.vpc.index()].name);
        let mut ingress = Vec::new();
        let mut egress = Vec::new();
        let mut n = 0;
        for (is_egress, rules) in [(false, &sg.ingress), (true, &sg.egress)] {
            if is_egress && sg.default_egress {
                continue; // AWS adds its default egress rule itself
            }
            for r in rules {
                let mut p = json!({});
                rule_ports(r, &mut p);
                if let Some(d) = &r.description {
                    p["Description"] = json!(d);
                }
                match &r.peer {
                    SgPeer::Cidr(c) => cidr_field(&mut p, c, "CidrIp", "CidrIpv6"),
                    SgPeer::PrefixList(service) => {
                        let param = format!("{}PrefixListId", camel(service));
                        let value = t.parameter(&param, &format!("The id of the com.amazonaws.<region>.{service} managed prefix list (aws ec2 describe-managed-prefix-lists)"), None);
                        t.prefix_lists.insert(param.clone(), json!(service));
                        let key = if is_egress {
                            "DestinationPrefixListId"
                        } else {
                            "SourcePrefixListId"
                        };
                        p[key] = value;
                    }
                    SgPeer::SecurityGroup(g) => {
                        // A separate resource, so that groups naming each other form no cycle.
                        let other = t.id(&network.security_groups[g.index()].name);
                        n += 1;
                        let rid = t.id(&format!(
                            "{}.{}.{n}",
                            sg.name,
                            if is_egress { "egress" } else { "ingress" }
                        ));
                        p["GroupId"] = get_att(&id, "GroupId");
                        if is_egress {
                            p["DestinationSecurityGroupId"] = get_att(&other, "GroupId");
                            t.add(&rid, "AWS::EC2::SecurityGroupEgress", p);
                        } else {
                            p["SourceSecurityGroupId"] = get_att(&other, "GroupId");
                            t.add(&rid, "AWS::EC2::SecurityGroupIngress", p);
                        }
                        continue;
                    }
                }
                if is_egress {
                    egress.push(p);
                } else {
                    ingress.push(p);
                }
            }
        }
        if !sg.default_egress && egress.is_empty() {
            // Only group egress rules (or none): an inline rule that matches nothing replaces
            // AWS's default allow-all egress.
            egress.push(
                json!({ "IpProtocol": "-1", "CidrIp": "127.0.0.1/32", "Description": NO_EGRESS }),
            );
        }
        let mut p = Map::new();
        p.insert(
            "GroupDescription".into(),
            json!(sg
                .description
                .clone()
                .unwrap_or_else(|| short(&sg.name).to_string())),
        );
        p.insert("VpcId".into(), reference(&vpc));
        if !ingress.is_empty() {
            p.insert("SecurityGroupIngress".into(), json!(ingress));
        }
        if !egress.is_empty() {
            p.insert("SecurityGroupEgress".into(), json!(egress));
        }
        p.insert("Tags".into(), name_tag(short(&sg.name)));
        t.add(&id, "AWS::EC2::SecurityGroup", Value::Object(p));
    }
}

fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .map(|p| {
            let mut cs = p.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Ids of the non-default groups among `groups`.
pub(super) fn group_ids(t: &mut Template, groups: &[crate::ir::SecurityGroupId]) -> Vec<Value> {
    let network = t.network;
    groups
        .iter()
        .map(|g| &network.security_groups[g.index()])
        .filter(|g| !g.default)
        .map(|g| get_att(&t.id(&g.name), "GroupId"))
        .collect()
}

pub(super) fn subnet_refs(t: &mut Template, subnets: &[crate::ir::SubnetId]) -> Vec<Value> {
    let network = t.network;
    subnets
        .iter()
        .map(|s| reference(&t.id(&network.subnets[s.index()].name)))
        .collect()
}

pub(super) fn endpoints(t: &mut Template) {
    let network = t.network;
    for s in &network.endpoint_services {
        let id = t.id(&s.name);
        let Some(lb) = s.load_balancer else { continue };
        let lb = t.id(&network.load_balancers[lb.index()].name);
        t.add(
            &id,
            "AWS::EC2::VPCEndpointService",
            json!({
                "NetworkLoadBalancerArns": [reference(&lb)],
                "AcceptanceRequired": s.acceptance_required,
            }),
        );
        t.set(
            &id,
            "Metadata",
            json!({ "vnet": { "Name": short(&s.name) } }),
        );
        if !s.allowed_principals.is_empty() {
            let pid = t.id(&format!("{}.permissions", s.name));
            t.add(
                &pid,
                "AWS::EC2::VPCEndpointServicePermissions",
                json!({ "ServiceId": reference(&id), "AllowedPrincipals": s.allowed_principals }),
            );
        }
    }
    for e in &network.endpoints {
        let id = t.id(&e.name);
        let vpc = t.id(&network.vpcs[e.vpc.index()].name);
        let service = match &e.service {
            EndpointTarget::Aws(name) => {
                json!({ "Fn::Sub": format!("com.amazonaws.${{AWS::Region}}.{name}") })
            }
            EndpointTarget::EndpointService(s) => {
                let sid = t.id(&network.endpoint_services[s.index()].name);
                json!({ "Fn::Sub": format!("com.amazonaws.vpce.${{AWS::Region}}.${{{sid}}}") })
            }
        };
        let mut p = json!({ "VpcId": reference(&vpc), "ServiceName": service });
        match e.kind {
            EndpointType::Gateway => {
                p["VpcEndpointType"] = json!("Gateway");
                let tables: Vec<Value> = e
                    .route_tables
                    .iter()
                    .map(|r| &network.route_tables[r.index()])
                    .filter(|r| !r.implicit)
                    .map(|r| reference(&t.id(&r.name)))
                    .collect();
                if tables.len() < e.route_tables.len() {
                    t.notes.push(format!("{}: the VPC's implicit main route table has no logical id; associate it by hand", e.name));
                }
                p["RouteTableIds"] = json!(tables);
            }
            EndpointType::Interface => {
                p["VpcEndpointType"] = json!("Interface");
                p["SubnetIds"] = json!(subnet_refs(t, &e.subnets));
                let groups = group_ids(t, &e.security_groups);
                if !groups.is_empty() {
                    p["SecurityGroupIds"] = json!(groups);
                }
                p["PrivateDnsEnabled"] = json!(e.private_dns);
            }
        }
        t.add(&id, "AWS::EC2::VPCEndpoint", p);
        t.set(
            &id,
            "Metadata",
            json!({ "vnet": { "Name": short(&e.name) } }),
        );
    }
}

pub(super) fn load_balancers(t: &mut Template) {
    let network = t.network;
    for tg in &network.target_groups {
        let id = t.id(&tg.name);
        let vpc = t.id(&network.vpcs[tg.vpc.index()].name);
        let ip_targets = tg.targets.iter().any(|x| matches!(x, Target::Address(_)));
        let mut targets = Vec::new();
        for target in &tg.targets {
            match (target, ip_targets) {
                (Target::Address(a), true) => targets.push(json!({ "Id": a.to_string() })),
                (Target::Workload(w), false) if network.workloads[w.index()].kind == WorkloadKind::Instance => {
                    targets.push(json!({ "Id": reference(&t.id(&network.workloads[w.index()].name)) }))
                }
                _ => t.notes.push(format!("{}: a target group holds instances or IP addresses, not both (nor functions or databases); a target is left out", tg.name)),
            }
        }
        let mut p = json!({
            "VpcId": reference(&vpc),
            "TargetType": if ip_targets { "ip" } else { "instance" },
            "Protocol": tg.protocol.clone().unwrap_or_else(|| "http".to_string()).to_ascii_uppercase(),
            "Port": tg.port.unwrap_or(80),
            "Targets": targets,
            "Tags": name_tag(short(&tg.name)),
        });
        if p["Protocol"] == "TLS" || p["Protocol"] == "TCP_UDP" || p["Protocol"] == "UDP" {
            p["HealthCheckProtocol"] = json!("TCP");
        }
        t.add(&id, "AWS::ElasticLoadBalancingV2::TargetGroup", p);
    }
    for lb in &network.load_balancers {
        let id = t.id(&lb.name);
        let mut p = json!({
            "Type": if lb.kind == LoadBalancerType::Network { "network" } else { "application" },
            "Scheme": if lb.internal { "internal" } else { "internet-facing" },
            "Subnets": subnet_refs(t, &lb.subnets),
            "Tags": name_tag(short(&lb.name)),
        });
        let groups = group_ids(t, &lb.security_groups);
        if !groups.is_empty() {
            p["SecurityGroups"] = json!(groups);
        }
        t.add(&id, "AWS::ElasticLoadBalancingV2::LoadBalancer", p);
        if !lb.internal {
            let vpc = lb.vpc.index();
            if let Some(g) = network
                .internet_gateways
                .iter()
                .find(|g| g.vpc.index() == vpc)
            {
                let att = t.id(&format!("{}.attachment", g.name));
                t.set(&id, "DependsOn", json!(att));
            }
        }
        for l in &lb.listeners {
            let lid = t.id(&format!("{}.listener.{}", lb.name, l.port));
            let tg = t.id(&network.target_groups[l.target_group.index()].name);
            let protocol = l.protocol.to_ascii_uppercase();
            let mut p = json!({
                "LoadBalancerArn": reference(&id),
                "Port": l.port,
                "Protocol": protocol,
                "DefaultActions": [{ "Type": "forward", "TargetGroupArn": reference(&tg) }],
            });
            if protocol == "HTTPS" || protocol == "TLS" {
                let cert = t.parameter(
                    "CertificateArn",
                    "The ACM certificate of the HTTPS and TLS listeners",
                    None,
                );
                p["Certificates"] = json!([{ "CertificateArn": cert }]);
            }
            t.add(&lid, "AWS::ElasticLoadBalancingV2::Listener", p);
        }
    }
}

pub(super) fn workloads(t: &mut Template) {
    let network = t.network;
    for w in &network.workloads {
        let id = t.id(&w.name);
        let subnets = subnet_refs(t, &w.subnets);
        let groups = group_ids(t, &w.security_groups);
        let intent = intent(network, w);
        match w.kind {
            WorkloadKind::Instance => {
                let image = t.parameter_typed(
                    "ImageId",
                    "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                    "The instances' image",
                    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                );
                let mut interfaces = Vec::new();
                for (i, s) in subnets.iter().enumerate() {
                    let mut ni = json!({ "DeviceIndex": i.to_string(), "SubnetId": s });
                    if !groups.is_empty() {
                        ni["GroupSet"] = json!(groups);
                    }
                    if i == 0 {
                        if let Some(ip) = w.private_ip {
                            ni["PrivateIpAddress"] = json!(ip.to_string());
                        }
                        if subnets.len() == 1 {
                            ni["AssociatePublicIpAddress"] = json!(w.public_ip);
                        }
                    }
                    interfaces.push(ni);
                }
                t.add(
                    &id,
                    "AWS::EC2::Instance",
                    json!({
                        "ImageId": image,
                        "InstanceType": "t3.micro",
                        "NetworkInterfaces": interfaces,
                        "Tags": name_tag(short(&w.name)),
                    }),
                );
            }
            WorkloadKind::Function => {
                let role = t.id(&format!("{}.role", w.name));
                t.add(&role, "AWS::IAM::Role", json!({
                    "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole"
                    }] },
                    "ManagedPolicyArns": [{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" }],
                }));
                let mut vpc_config = json!({ "SubnetIds": subnets });
                if !groups.is_empty() {
                    vpc_config["SecurityGroupIds"] = json!(groups);
                }
                t.add(
                    &id,
                    "AWS::Lambda::Function",
                    json!({
                        "Runtime": "python3.12",
                        "Handler": "index.handler",
                        "Role": get_att(&role, "Arn"),
                        "Code": { "ZipFile": "def handler(event, context):\n    return None\n" },
                        "VpcConfig": vpc_config,
                        "Tags": name_tag(short(&w.name)),
                    }),
                );
            }
            WorkloadKind::Database => {
                let group = t.id(&format!("{}.subnet_group", w.name));
                t.add(&group, "AWS::RDS::DBSubnetGroup", json!({ "DBSubnetGroupDescription": format!("Subnets of {}", w.name), "SubnetIds": subnets }));
                let engine = w.engine.clone().unwrap_or_else(|| "postgres".to_string());
                if engine.starts_with("aurora") {
                    aurora(t, w, &id, &group, &engine, groups);
                    continue;
                }
                let mut p = json!({
                    "Engine": engine,
                    "DBInstanceClass": "db.t3.micro",
                    "AllocatedStorage": "20",
                    "DBSubnetGroupName": reference(&group),
                    "MasterUsername": "vnetadmin",
                    "ManageMasterUserPassword": true,
                    "StorageEncrypted": true,
                    "MultiAZ": w.subnets.len() > 1,
                    "Tags": name_tag(short(&w.name)),
                });
                if !groups.is_empty() {
                    p["VPCSecurityGroups"] = json!(groups);
                }
                if let Some(port) = w.port {
                    p["Port"] = json!(port.to_string());
                }
                t.add(&id, "AWS::RDS::DBInstance", p);
                t.set(&id, "DeletionPolicy", json!("Snapshot"));
                t.set(&id, "UpdateReplacePolicy", json!("Snapshot"));
            }
        }
        if let Some(m) = intent {
            t.set(&id, "Metadata", m);
        }
    }
}

/// An Aurora database: a cluster (the workload) and one instance in it.
fn aurora(
    t: &mut Template,
    w: &crate::ir::Workload,
    id: &str,
    group: &str,
    engine: &str,
    groups: Vec<Value>,
) {
    let mut p = json!({
        "Engine": engine,
        "DBSubnetGroupName": reference(group),
        "MasterUsername": "vnetadmin",
        "ManageMasterUserPassword": true,
        "StorageEncrypted": true,
        "Tags": name_tag(short(&w.name)),
    });
    if !groups.is_empty() {
        p["VpcSecurityGroupIds"] = json!(groups);
    }
    if let Some(port) = w.port {
        p["Port"] = json!(port);
    }
    t.add(id, "AWS::RDS::DBCluster", p);
    t.set(id, "DeletionPolicy", json!("Snapshot"));
    t.set(id, "UpdateReplacePolicy", json!("Snapshot"));
    let instance = t.id(&format!("{}.instance", w.name));
    t.add(
        &instance,
        "AWS::RDS::DBInstance",
        json!({
            "Engine": engine,
            "DBClusterIdentifier": reference(id),
            "DBInstanceClass": "db.t3.medium",
        }),
    );
}

/// A workload's intent (`uses`, `port`), which no AWS property holds: kept in
/// `Metadata.vnet` so that `vnetc import cloudformation` restores it.
fn intent(network: &crate::ir::Network, w: &crate::ir::Workload) -> Option<Value> {
    use crate::ir::Use;
    let uses: Vec<String> = w
        .uses
        .iter()
        .map(|u| match u {
            Use::Internet => "internet".to_string(),
            Use::Service(s) => s.to_string(),
            Use::EndpointService(x) => network.endpoint_services[x.index()].name.clone(),
            Use::LatticeService(x) => network.lattice_services[x.index()].name.clone(),
            Use::ResourceConfiguration(x) => {
                network.resource_configurations[x.index()].name.clone()
            }
        })
        .collect();
    let mut meta = Map::new();
    if !uses.is_empty() {
        meta.insert("Uses".into(), json!(uses));
    }
    if let (Some(port), false) = (w.port, w.kind == WorkloadKind::Database) {
        meta.insert("Port".into(), json!(port));
    }
    (!meta.is_empty()).then(|| json!({ "vnet": meta }))
}
