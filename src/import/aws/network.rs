//! Workloads (instances and network interfaces) and what connects networks: peering
//! connections, transit gateways with their attachments and route tables, VPN gateways,
//! customer gateways and VPN connections.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::convert::{array, int, source, source_named, text, workload, Conv};
use crate::import::draft::{
    Attachment, Connection, Peering, RouteTarget, Site, Source, TransitGateway,
};

fn groups(v: &Value, key: &str) -> Vec<String> {
    array(v, key)
        .iter()
        .filter_map(|g| text(g, "GroupId"))
        .collect()
}

pub(super) fn workloads(c: &mut Conv) {
    let mut instances = HashSet::new();
    for (r, _) in c.items("Reservations") {
        for v in array(r, "Instances") {
            let Some(id) = text(v, "InstanceId") else {
                continue;
            };
            let state = v
                .pointer("/State/Name")
                .and_then(Value::as_str)
                .unwrap_or("");
            if matches!(state, "terminated" | "shutting-down") {
                c.warn(&id, format!("state {state}; not imported"));
                continue;
            }
            let Some(vi) = c.vpc(&id, v) else { continue };
            let mut subnets: Vec<String> = text(v, "SubnetId").into_iter().collect();
            for eni in array(v, "NetworkInterfaces") {
                if let Some(eni_id) = text(eni, "NetworkInterfaceId") {
                    c.draft.aliases.insert(eni_id, id.clone());
                }
                if let Some(s) = text(eni, "SubnetId") {
                    if !subnets.contains(&s) {
                        subnets.push(s);
                    }
                }
            }
            let extra = text(v, "InstanceType").unwrap_or_default();
            let w = workload(
                source(&id, v, &extra),
                "instance",
                v,
                subnets,
                groups(v, "SecurityGroups"),
            );
            instances.insert(id);
            c.draft.vpcs[vi].workloads.push(w);
        }
    }
    let has_functions = !c.items("Functions").is_empty();
    let has_databases = !c.items("DBInstances").is_empty();
    for (v, _) in c.items("NetworkInterfaces") {
        let Some(id) = text(v, "NetworkInterfaceId") else {
            continue;
        };
        if let Some(instance) = v.pointer("/Attachment/InstanceId").and_then(Value::as_str) {
            c.draft.aliases.insert(id.clone(), instance.to_string());
            if instances.contains(instance) {
                continue; // the instance stands for its interfaces
            }
        }
        let kind = text(v, "InterfaceType").unwrap_or_else(|| "interface".to_string());
        let description = text(v, "Description").unwrap_or_default();
        // Interfaces of objects imported on their own (or of load balancers, which the ec2
        // describe calls do not describe) are not workloads.
        let owned = matches!(
            kind.as_str(),
            "nat_gateway"
                | "vpc_endpoint"
                | "gateway_load_balancer_endpoint"
                | "transit_gateway"
                | "network_load_balancer"
                | "gateway_load_balancer"
                | "load_balancer"
        ) || description.starts_with("ELB ")
            || description.starts_with("VPC Endpoint Interface")
            || description.starts_with("Interface for NAT Gateway");
        if owned {
            c.warn(&id, format!("interface of a {} ({description:?}); represented by its owner, not as a workload", kind.replace('_', " ")));
            continue;
        }
        // Functions and databases described by their own calls stand for their interfaces.
        let lambda = kind == "lambda" || description.starts_with("AWS Lambda VPC ENI");
        let rds = description.starts_with("RDSNetworkInterface");
        if (lambda && has_functions) || (rds && has_databases) {
            continue;
        }
        let Some(vi) = c.vpc(&id, v) else { continue };
        let workload_kind = if lambda {
            "function"
        } else if rds {
            "database"
        } else {
            "instance"
        };
        let name = super::convert::name_tag(v);
        let extra = if description.is_empty() {
            String::new()
        } else {
            format!("{description:?}")
        };
        let src = source_named(&id, name, v, &extra);
        let w = workload(
            src,
            workload_kind,
            v,
            text(v, "SubnetId").into_iter().collect(),
            groups(v, "Groups"),
        );
        c.draft.vpcs[vi].workloads.push(w);
    }
}

pub(super) fn peerings(c: &mut Conv) {
    for (v, _) in c.items("VpcPeeringConnections") {
        let Some(id) = text(v, "VpcPeeringConnectionId") else {
            continue;
        };
        let status = v
            .pointer("/Status/Code")
            .and_then(Value::as_str)
            .unwrap_or("active");
        if status != "active" {
            c.warn(&id, format!("status {status}; not imported"));
            continue;
        }
        let side = |key: &str| v.get(key).and_then(|s| text(s, "VpcId"));
        c.draft.peerings.push(Peering {
            src: source(&id, v, ""),
            requester: side("RequesterVpcInfo"),
            accepter: side("AccepterVpcInfo"),
        });
    }
}

pub(super) fn transit_gateways(c: &mut Conv) {
    let mut index = HashMap::new();
    let mut default_tables: HashMap<String, String> = HashMap::new();
    for (v, region) in c.items("TransitGateways") {
        let Some(id) = text(v, "TransitGatewayId") else {
            continue;
        };
        let state = text(v, "State").unwrap_or_default();
        if matches!(state.as_str(), "deleted" | "deleting") {
            c.warn(&id, format!("state {state}; not imported"));
            continue;
        }
        let region = text(v, "TransitGatewayArn")
            .and_then(|a| a.split(':').nth(3).map(str::to_string))
            .or(region.map(str::to_string));
        if let Some(t) = v
            .pointer("/Options/AssociationDefaultRouteTableId")
            .and_then(Value::as_str)
        {
            default_tables.insert(t.to_string(), id.clone());
        }
        index.insert(id.clone(), c.draft.transit_gateways.len());
        c.draft.transit_gateways.push(TransitGateway {
            src: source(&id, v, ""),
            region,
            asn: v
                .pointer("/Options/AmazonSideAsn")
                .and_then(Value::as_u64)
                .and_then(|a| u32::try_from(a).ok()),
            ..TransitGateway::default()
        });
    }
    // Subnets of VPC attachments come from describe-transit-gateway-vpc-attachments.
    let mut vpc_attachment_subnets: HashMap<String, Vec<String>> = HashMap::new();
    for (v, _) in c.items("TransitGatewayVpcAttachments") {
        if let Some(id) = text(v, "TransitGatewayAttachmentId") {
            let subnets = array(v, "SubnetIds")
                .iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect();
            vpc_attachment_subnets.insert(id, subnets);
        }
    }
    let mut attachments: Vec<(&Value, String)> = c
        .items("TransitGatewayAttachments")
        .into_iter()
        .map(|(v, _)| (v, text(v, "ResourceType").unwrap_or_default()))
        .collect();
    let listed: HashSet<String> = attachments
        .iter()
        .filter_map(|(v, _)| text(v, "TransitGatewayAttachmentId"))
        .collect();
    for (v, _) in c.items("TransitGatewayVpcAttachments") {
        if text(v, "TransitGatewayAttachmentId").is_some_and(|id| !listed.contains(&id)) {
            attachments.push((v, "vpc".to_string()));
        }
    }
    for (v, kind) in attachments {
        let Some(id) = text(v, "TransitGatewayAttachmentId") else {
            continue;
        };
        let Some(tgw) = text(v, "TransitGatewayId") else {
            continue;
        };
        let Some(&ti) = index.get(&tgw) else {
            c.warn(
                &id,
                format!("its transit gateway `{tgw}` is not in the input; not imported"),
            );
            continue;
        };
        match kind.as_str() {
            "vpc" => {
                let vpc = text(v, "ResourceId").or_else(|| text(v, "VpcId"));
                let subnets = vpc_attachment_subnets.get(&id).cloned().unwrap_or_default();
                if subnets.is_empty() {
                    c.warn(&id, "no subnets known (describe-transit-gateway-vpc-attachments is not in the input): the attachment reaches no zone");
                }
                c.draft.transit_gateways[ti].attachments.push(Attachment {
                    src: source(&id, v, ""),
                    vpc,
                    subnets,
                });
            }
            "vpn" => {
                if let Some(vpn) = text(v, "ResourceId") {
                    c.draft.aliases.insert(id.clone(), vpn);
                }
            }
            other => c.warn(
                &id,
                format!("a {other} attachment is not modelled; not imported"),
            ),
        }
    }
    for (v, _) in c.items("TransitGatewayRouteTables") {
        if let (Some(table), Some(tgw), Some(true)) = (
            text(v, "TransitGatewayRouteTableId"),
            text(v, "TransitGatewayId"),
            v.get("DefaultAssociationRouteTable")
                .and_then(Value::as_bool),
        ) {
            default_tables.insert(table, tgw);
        }
    }
    // Batfish's layout: search-transit-gateway-routes output per table, wrapped with its id.
    let mut wrapped: Vec<(String, Vec<Value>)> = Vec::new();
    for (v, _) in c.items("TransitGatewayStaticRoutes") {
        if let Some(table) = text(v, "TransitGatewayRouteTableId") {
            wrapped.push((table, array(v, "Routes").to_vec()));
        }
    }
    for (table, routes) in wrapped {
        let Some(&ti) = default_tables.get(&table).and_then(|t| index.get(t)) else {
            c.warn(&table, "not the default route table of a transit gateway in the input; vnet models one table per transit gateway; its routes are not imported");
            continue;
        };
        for r in &routes {
            tgw_route(c, ti, r);
        }
    }
    // Static routes of each transit gateway's default route table (search-transit-gateway-routes
    // output, whose file name carries the table id).
    for col in c.collections.iter().filter(|col| col.key == "Routes") {
        let Some(table) = col
            .file
            .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-'))
            .find(|p| p.starts_with("tgw-rtb-"))
        else {
            continue; // VPC route tables' `Routes` live inside RouteTables
        };
        let Some(&ti) = default_tables.get(table).and_then(|t| index.get(t)) else {
            c.warn(table, "not the default route table of a transit gateway in the input; vnet models one table per transit gateway; its routes are not imported");
            continue;
        };
        for r in &col.items {
            tgw_route(c, ti, r);
        }
    }
}

/// A static route of a transit gateway's table (propagated ones are vnet's own).
fn tgw_route(c: &mut Conv, ti: usize, r: &Value) {
    let Some(dest) = text(r, "DestinationCidrBlock") else {
        return;
    };
    if text(r, "Type").as_deref() == Some("propagated") {
        return;
    }
    let target = if text(r, "State").as_deref() == Some("blackhole") {
        None
    } else {
        array(r, "TransitGatewayAttachments")
            .iter()
            .find_map(|a| text(a, "TransitGatewayAttachmentId"))
    };
    let target = target.map(|t| {
        c.draft
            .aliases
            .get(&t)
            .map(|vpn| format!("site:{vpn}"))
            .unwrap_or(t)
    });
    c.draft.transit_gateways[ti].routes.push((dest, target));
}

pub(super) fn vpn(c: &mut Conv) {
    for (v, _) in c.items("VpnGateways") {
        let Some(id) = text(v, "VpnGatewayId") else {
            continue;
        };
        let vpcs: Vec<String> = array(v, "VpcAttachments")
            .iter()
            .filter(|a| text(a, "State").as_deref().is_none_or(|s| s == "attached"))
            .filter_map(|a| text(a, "VpcId"))
            .collect();
        if vpcs.is_empty() {
            c.warn(&id, "attached to no VPC; not imported");
        }
        let asn = int(v, "AmazonSideAsn").and_then(|a| u32::try_from(a).ok());
        for vpc in vpcs {
            match c.vpc_of.get(&vpc) {
                Some(&vi) => c.draft.vpcs[vi]
                    .vpn_gateways
                    .push((source(&id, v, ""), asn)),
                None => c.warn(
                    &id,
                    format!("attached to VPC `{vpc}`, which is not in the input; not imported"),
                ),
            }
        }
    }
    let customer: HashMap<String, &Value> = c
        .items("CustomerGateways")
        .into_iter()
        .filter_map(|(v, _)| Some((text(v, "CustomerGatewayId")?, v)))
        .collect();
    // One on-premises network per customer gateway; its address blocks are the static routes
    // of its VPN connections and the VPC and transit gateway routes that lead to them.
    let mut sites: Vec<Site> = Vec::new();
    let mut site_of: HashMap<String, usize> = HashMap::new();
    for (v, _) in c.items("VpnConnections") {
        let Some(id) = text(v, "VpnConnectionId") else {
            continue;
        };
        if text(v, "State").as_deref() == Some("deleted") {
            c.warn(&id, "state deleted; not imported");
            continue;
        }
        let cgw = text(v, "CustomerGatewayId").unwrap_or_else(|| id.clone());
        let k = *site_of.entry(cgw.clone()).or_insert_with(|| {
            let cv = customer.get(&cgw).copied();
            let src = match cv {
                Some(cv) => source(&cgw, cv, ""),
                None => Source {
                    id: cgw.clone(),
                    name: None,
                    trace: format!("aws: {cgw}"),
                },
            };
            sites.push(Site {
                src,
                asn: cv
                    .and_then(|cv| int(cv, "BgpAsn"))
                    .and_then(|a| u32::try_from(a).ok()),
                ..Site::default()
            });
            sites.len() - 1
        });
        let gateway = text(v, "VpnGatewayId").or_else(|| text(v, "TransitGatewayId"));
        let mut cidrs: Vec<String> = array(v, "Routes")
            .iter()
            .filter_map(|r| text(r, "DestinationCidrBlock"))
            .collect();
        if let Some(g) = gateway.as_deref().filter(|g| g.starts_with("vgw-")) {
            for vpc in &c.draft.vpcs {
                for rt in &vpc.route_tables {
                    for r in &rt.routes {
                        if matches!(&r.target, RouteTarget::Id(t) if t == g)
                            && !r.destination.starts_with("pl-")
                        {
                            cidrs.push(r.destination.clone());
                        }
                    }
                }
            }
        }
        for t in &c.draft.transit_gateways {
            for (dest, target) in &t.routes {
                if target.as_deref() == Some(&format!("site:{id}")) {
                    cidrs.push(dest.clone());
                }
            }
        }
        let site = &mut sites[k];
        for cidr in cidrs {
            if !site.cidrs.contains(&cidr) {
                site.cidrs.push(cidr);
            }
        }
        site.connections.push(Connection {
            src: source(&id, v, ""),
            gateway,
            customer_gateway: customer.get(&cgw).and_then(|cv| text(cv, "IpAddress")),
        });
        c.draft.aliases.insert(format!("site:{id}"), cgw.clone());
    }
    c.draft.sites = sites;
}
