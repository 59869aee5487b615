//! Connections between VPCs: peering, and security group references across VPCs.

use std::collections::{HashMap, HashSet};

use crate::check::{name_of, overlaps};
use crate::diagnostics::{codes, Diag};
use crate::ir::{Network, SgPeer, TransitGatewayId, VpcId};

pub(super) fn check(net: &Network, diags: &mut Vec<Diag>) {
    for peering in &net.peerings {
        let (Some(a), Some(b)) = (peering.requester, peering.accepter) else {
            continue;
        };
        if a == b {
            diags.push(
                Diag::error(
                    codes::PEERING_SELF,
                    name_of(peering.origin),
                    format!(
                        "peering `{}` connects VPC `{}` with itself",
                        peering.name,
                        net.vpcs[a.index()].name
                    ),
                )
                .label("requester and accepter are the same VPC")
                .note("a peering connects two different VPCs"),
            );
            continue;
        }
        let (va, vb) = (&net.vpcs[a.index()], &net.vpcs[b.index()]);
        for ca in &va.cidrs {
            for cb in &vb.cidrs {
                if overlaps(&ca.cidr, &cb.cidr) {
                    diags.push(
                        Diag::error(
                            codes::PEERING_OVERLAP,
                            name_of(peering.origin),
                            format!(
                                "peering `{}` connects VPCs with overlapping CIDR blocks: `{}` of `{}` and `{}` of `{}`",
                                peering.name, ca.cidr, va.name, cb.cidr, vb.name
                            ),
                        )
                        .label("peered VPCs overlap")
                        .secondary(ca.origin, format!("`{}` of `{}`", ca.cidr, va.name))
                        .secondary(cb.origin, format!("`{}` of `{}`", cb.cidr, vb.name))
                        .note("AWS refuses to peer VPCs whose CIDR blocks overlap"),
                    );
                }
            }
        }
    }
    // Which VPC pairs can reference each other's security groups.
    let mut peered: HashSet<(VpcId, VpcId)> = HashSet::new();
    for p in &net.peerings {
        if let (Some(a), Some(b)) = (p.requester, p.accepter) {
            peered.insert((a, b));
            peered.insert((b, a));
        }
    }
    // The transit gateways of each VPC, once: a scan of every attachment pair per reference
    // was quadratic in the size of the network.
    let mut tgws_of: HashMap<VpcId, Vec<TransitGatewayId>> = HashMap::new();
    let mut attached: HashSet<(TransitGatewayId, VpcId)> = HashSet::new();
    for att in &net.attachments {
        if let Some(v) = att.vpc {
            tgws_of.entry(v).or_default().push(att.transit_gateway);
            attached.insert((att.transit_gateway, v));
        }
    }
    let via_tgw = |a: VpcId, b: VpcId| {
        (tgws_of.get(&a).into_iter().flatten()).any(|&t| attached.contains(&(t, b)))
    };
    for sg in &net.security_groups {
        for rule in sg.ingress.iter().chain(&sg.egress) {
            let SgPeer::SecurityGroup(other) = rule.peer else {
                continue;
            };
            let other = &net.security_groups[other.index()];
            if other.vpc == sg.vpc {
                continue;
            }
            let (here, there) = (&net.vpcs[sg.vpc.index()], &net.vpcs[other.vpc.index()]);
            let problem = if here.region != there.region {
                Some(format!(
                    "VPC `{}` is in `{}` and VPC `{}` in `{}`: security group references work only within one region",
                    here.name, here.region, there.name, there.region
                ))
            } else if !peered.contains(&(sg.vpc, other.vpc)) && !via_tgw(sg.vpc, other.vpc) {
                Some(format!(
                    "VPCs `{}` and `{}` are connected neither by a peering nor by a transit gateway",
                    here.name, there.name
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                diags.push(
                    Diag::error(
                        codes::SG_REFERENCE_UNREACHABLE,
                        rule.origin,
                        format!(
                            "security group `{}` names group `{}` of another VPC, which AWS cannot reference: {problem}",
                            sg.name, other.name
                        ),
                    )
                    .label(format!("`{}` cannot be referenced here", other.name))
                    .secondary(name_of(other.origin), format!("`{}` is declared here", other.name))
                    .note("name the other VPC's CIDR block instead, or connect the VPCs in the same region"),
                );
            }
        }
    }
}
