//! Network ACLs and security groups (inline rules and separate rule resources).

use serde_json::Value;

use super::network::associate;
use super::{protocol, value_int, Conv};
use crate::import::cloudformation::eval::resource_ref;
use crate::import::draft::{Nacl, NaclEntry, Peer, SecurityGroup, SgRule};

pub(super) fn filters(c: &mut Conv) {
    for (id, r) in c.of_type("AWS::EC2::NetworkAcl") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::EC2::NetworkAcl", r);
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].nacls.push(Nacl {
            src,
            default: false,
            entries: Vec::new(),
        });
    }
    for (id, r) in c.of_type("AWS::EC2::NetworkAclEntry") {
        let Some(acl) = c.reference(id, r, "NetworkAclId") else {
            continue;
        };
        let Some(&vi) = c.in_vpc.get(&acl) else {
            c.warn(
                id,
                format!("network ACL `{acl}` is not in the template; not imported"),
            );
            continue;
        };
        let Some(number) = c.int(id, r, "RuleNumber") else {
            c.warn(id, "no RuleNumber; not imported");
            continue;
        };
        let Some(cidr) = c
            .text(id, r, "CidrBlock")
            .or_else(|| c.text(id, r, "Ipv6CidrBlock"))
        else {
            c.warn(id, "no CidrBlock; not imported");
            continue;
        };
        let ports = c.prop(id, r, "PortRange").map(|p| {
            (
                p.get("From").and_then(value_int).unwrap_or(0),
                p.get("To").and_then(value_int).unwrap_or(65535),
            )
        });
        let icmp = c
            .prop(id, r, "Icmp")
            .map(|p| (p.get("Type").and_then(value_int).unwrap_or(-1), -1));
        let entry = NaclEntry {
            egress: c.boolean(id, r, "Egress").unwrap_or(false),
            number,
            allow: c.text(id, r, "RuleAction").as_deref() == Some("allow"),
            protocol: protocol(c.text(id, r, "Protocol")),
            ports: ports.or(icmp),
            cidr,
        };
        if let Some(n) = c.draft.vpcs[vi].nacls.iter_mut().find(|n| n.src.id == acl) {
            n.entries.push(entry);
        }
    }
    for (id, r) in c.of_type("AWS::EC2::SubnetNetworkAclAssociation") {
        let (Some(subnet), Some(acl)) = (
            c.reference(id, r, "SubnetId"),
            c.reference(id, r, "NetworkAclId"),
        ) else {
            continue;
        };
        associate(c, id, &subnet, &acl, |s, a| s.nacl = Some(a));
    }
    for (id, r) in c.of_type("AWS::EC2::SecurityGroup") {
        let Some(vi) = c.vpc_prop(id, r, "VpcId") else {
            continue;
        };
        let src = c.source(id, "AWS::EC2::SecurityGroup", r);
        let ingress = sg_rules(c, id, r, "SecurityGroupIngress", false);
        let egress_given = r
            .get("Properties")
            .and_then(|p| p.get("SecurityGroupEgress"))
            .is_some();
        let egress = sg_rules(c, id, r, "SecurityGroupEgress", true);
        // An exported group without a description has its name as description (AWS
        // requires one): that says nothing more, so it is not kept.
        let description = c
            .text(id, r, "GroupDescription")
            .filter(|d| Some(d) != src.name.as_ref());
        let sg = SecurityGroup {
            src,
            default: false,
            description,
            ingress,
            egress,
            egress_given,
        };
        c.in_vpc.insert(id.to_string(), vi);
        c.draft.vpcs[vi].security_groups.push(sg);
    }
    for (kind, egress) in [
        ("AWS::EC2::SecurityGroupIngress", false),
        ("AWS::EC2::SecurityGroupEgress", true),
    ] {
        for (id, r) in c.of_type(kind) {
            let Some(group) = c
                .reference(id, r, "GroupId")
                .or_else(|| c.reference(id, r, "GroupName"))
            else {
                c.warn(id, "no GroupId; not imported");
                continue;
            };
            let Some(&vi) = c.in_vpc.get(&group) else {
                c.warn(
                    id,
                    format!("security group `{group}` is not in the template; not imported"),
                );
                continue;
            };
            let props = match r
                .get("Properties")
                .map(|p| c.eval.eval(p, &format!("Resources.{id}.Properties")))
            {
                Some(Ok(p)) => p,
                Some(Err(u)) => {
                    c.warn(
                        &u.path,
                        format!("cannot be resolved: {}; rule not imported", u.reason),
                    );
                    continue;
                }
                None => continue,
            };
            let rules = rule_list(c, id, &[props], egress);
            if let Some(g) = c.draft.vpcs[vi]
                .security_groups
                .iter_mut()
                .find(|g| g.src.id == group)
            {
                if egress {
                    g.egress.extend(rules);
                } else {
                    g.ingress.extend(rules);
                }
            }
        }
    }
}

fn sg_rules(c: &mut Conv, id: &str, r: &Value, key: &str, egress: bool) -> Vec<SgRule> {
    match c.prop(id, r, key) {
        Some(Value::Array(items)) => rule_list(c, id, &items, egress),
        _ => Vec::new(),
    }
}

fn rule_list(c: &mut Conv, id: &str, items: &[Value], egress: bool) -> Vec<SgRule> {
    let mut out = Vec::new();
    let field = |v: &Value, k: &str| -> Option<String> {
        match v.get(k)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            other => resource_ref(other).map(str::to_string),
        }
    };
    for item in items {
        // The placeholder an exported template uses to remove AWS's default egress rule.
        if field(item, "Description").as_deref() == Some(crate::export::cloudformation::NO_EGRESS) {
            continue;
        }
        let ports = match (
            item.get("FromPort").and_then(value_int),
            item.get("ToPort").and_then(value_int),
        ) {
            (Some(f), Some(t)) => Some((f, t)),
            (Some(f), None) => Some((f, f)),
            _ => None,
        };
        let (group_key, prefix_key) = if egress {
            ("DestinationSecurityGroupId", "DestinationPrefixListId")
        } else {
            ("SourceSecurityGroupId", "SourcePrefixListId")
        };
        let peer = if let Some(cidr) = field(item, "CidrIp").or_else(|| field(item, "CidrIpv6")) {
            Peer::Cidr(cidr)
        } else if let Some(g) =
            field(item, group_key).or_else(|| field(item, "SourceSecurityGroupName"))
        {
            Peer::Group(g)
        } else if let Some(pl) = field(item, prefix_key) {
            Peer::PrefixList(pl)
        } else {
            c.warn(
                id,
                "a rule with no peer (CidrIp, group or prefix list); left out",
            );
            continue;
        };
        out.push(SgRule {
            protocol: protocol(field(item, "IpProtocol")),
            ports,
            peer,
            description: field(item, "Description"),
        });
    }
    out
}
