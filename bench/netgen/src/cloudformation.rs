//! The CloudFormation form: one JSON template per VPC (a template holds at most 500
//! resources; one VPC of 10 subnets needs about 280).

use serde_json::{json, Map, Value};

use crate::model::*;

/// `(file name, text)` of each template.
pub fn files(net: &Network) -> Vec<(String, String)> {
    net.vpcs
        .iter()
        .map(|vpc| {
            let text = serde_json::to_string_pretty(&template(vpc)).unwrap_or_default();
            (format!("{}.json", vpc.name), text + "\n")
        })
        .collect()
}

/// `public_0_acl` -> `Public0Acl`: logical ids are alphanumeric.
fn id(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn r(name: &str) -> Value {
    json!({ "Ref": id(name) })
}

fn template(vpc: &Vpc) -> Value {
    let mut res = Map::new();
    let mut add = |name: String, kind: &str, props: Value| {
        res.insert(id(&name), json!({ "Type": kind, "Properties": props }));
    };
    add(
        "vpc".into(),
        "AWS::EC2::VPC",
        json!({ "CidrBlock": vpc.cidr, "EnableDnsSupport": true, "EnableDnsHostnames": true,
                "Tags": [{ "Key": "Name", "Value": vpc.name }] }),
    );
    add("igw".into(), "AWS::EC2::InternetGateway", json!({}));
    add(
        "igw_attachment".into(),
        "AWS::EC2::VPCGatewayAttachment",
        json!({ "VpcId": r("vpc"), "InternetGatewayId": r("igw") }),
    );
    for s in &vpc.subnets {
        add(
            s.name.clone(),
            "AWS::EC2::Subnet",
            json!({ "VpcId": r("vpc"), "CidrBlock": s.cidr, "AvailabilityZone": vpc.az_name(s.az),
                    "MapPublicIpOnLaunch": s.public_ip_on_launch }),
        );
    }
    for n in &vpc.nat_gateways {
        add(
            format!("{}_eip", n.name),
            "AWS::EC2::EIP",
            json!({ "Domain": "vpc" }),
        );
        add(
            n.name.clone(),
            "AWS::EC2::NatGateway",
            json!({ "SubnetId": r(&n.subnet),
                    "AllocationId": { "Fn::GetAtt": [id(&format!("{}_eip", n.name)), "AllocationId"] } }),
        );
    }
    for rt in &vpc.route_tables {
        add(
            rt.name.clone(),
            "AWS::EC2::RouteTable",
            json!({ "VpcId": r("vpc") }),
        );
        let target = match &rt.default_route {
            DefaultRoute::None => None,
            DefaultRoute::InternetGateway => Some(("GatewayId", r("igw"))),
            DefaultRoute::Nat(nat) => Some(("NatGatewayId", r(nat))),
        };
        if let Some((key, target)) = target {
            let mut props =
                json!({ "RouteTableId": r(&rt.name), "DestinationCidrBlock": "0.0.0.0/0" });
            props[key] = target;
            add(format!("{}_default", rt.name), "AWS::EC2::Route", props);
        }
    }
    // CloudFormation cannot replace the main route table: subnets on it are associated
    // with the isolated table explicitly.
    let main = vpc
        .route_tables
        .iter()
        .find(|t| t.main)
        .map(|t| t.name.clone());
    for s in &vpc.subnets {
        if let Some(rt) = s.route_table.clone().or_else(|| main.clone()) {
            add(
                format!("{}_rt_assoc", s.name),
                "AWS::EC2::SubnetRouteTableAssociation",
                json!({ "SubnetId": r(&s.name), "RouteTableId": r(&rt) }),
            );
        }
        add(
            format!("{}_acl_assoc", s.name),
            "AWS::EC2::SubnetNetworkAclAssociation",
            json!({ "SubnetId": r(&s.name), "NetworkAclId": r(&s.nacl) }),
        );
    }
    if let Some(e) = &vpc.s3_endpoint {
        let tables: Vec<Value> = e.route_tables.iter().map(|t| r(t)).collect();
        add(
            e.name.clone(),
            "AWS::EC2::VPCEndpoint",
            json!({ "VpcId": r("vpc"), "ServiceName": format!("com.amazonaws.{}.s3", vpc.region),
                    "VpcEndpointType": "Gateway", "RouteTableIds": tables }),
        );
    }
    if let Some(e) = &vpc.ssm_endpoint {
        let subnets: Vec<Value> = e.subnets.iter().map(|s| r(s)).collect();
        add(
            e.name.clone(),
            "AWS::EC2::VPCEndpoint",
            json!({ "VpcId": r("vpc"), "ServiceName": format!("com.amazonaws.{}.{}", vpc.region, e.service),
                    "VpcEndpointType": "Interface", "SubnetIds": subnets,
                    "SecurityGroupIds": e.security_groups.iter().map(|g| r(g)).collect::<Vec<_>>(), "PrivateDnsEnabled": true }),
        );
    }
    for acl in &vpc.nacls {
        add(
            acl.name.clone(),
            "AWS::EC2::NetworkAcl",
            json!({ "VpcId": r("vpc") }),
        );
        for (egress, rules) in [(false, &acl.inbound), (true, &acl.outbound)] {
            for rule in rules {
                let dir = if egress { "out" } else { "in" };
                let mut props = json!({
                    "NetworkAclId": r(&acl.name), "RuleNumber": rule.number, "Egress": egress,
                    "RuleAction": if rule.allow { "allow" } else { "deny" },
                    "Protocol": rule.proto.number().parse::<i32>().unwrap_or(-1),
                    "CidrBlock": rule.cidr,
                });
                if let Some((lo, hi)) = rule.ports {
                    props["PortRange"] = json!({ "From": lo, "To": hi });
                }
                if rule.proto == Proto::Icmp {
                    props["Icmp"] = json!({ "Code": -1, "Type": -1 });
                }
                add(
                    format!("{}_{dir}_{}", acl.name, rule.number),
                    "AWS::EC2::NetworkAclEntry",
                    props,
                );
            }
        }
    }
    for sg in &vpc.security_groups {
        let rules = |rules: &[SgRule], egress: bool| -> Vec<Value> {
            rules
                .iter()
                .map(|rule| {
                    let (lo, hi) = rule.ports.unwrap_or((0, 0));
                    let mut v = json!({ "IpProtocol": rule.proto.keyword(), "FromPort": lo,
                                        "ToPort": hi, "Description": rule.description });
                    match (&rule.peer, egress) {
                        (Peer::Cidr(c), _) => v["CidrIp"] = json!(c),
                        (Peer::Group(g), false) => v["SourceSecurityGroupId"] = r(g),
                        (Peer::Group(g), true) => v["DestinationSecurityGroupId"] = r(g),
                    }
                    v
                })
                .collect()
        };
        add(
            sg.name.clone(),
            "AWS::EC2::SecurityGroup",
            json!({ "GroupDescription": sg.description, "VpcId": r("vpc"),
                    "SecurityGroupIngress": rules(&sg.ingress, false),
                    "SecurityGroupEgress": rules(&sg.egress, true) }),
        );
    }
    for i in &vpc.instances {
        add(
            i.name.clone(),
            "AWS::EC2::Instance",
            json!({ "ImageId": "ami-0123456789abcdef0", "InstanceType": "t3.micro",
                    "SubnetId": r(&i.subnet), "SecurityGroupIds": [r(&i.security_group)] }),
        );
    }
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("{} (generated by vnet-netgen; planted mistakes: {})",
                               vpc.name, crate::vnet::situations(vpc)),
        "Resources": res,
    })
}
