//! VPC and subnet addressing: subnets inside their VPC, no overlaps, the CIDR quota.

use crate::aws::limits::VPC_IPV4_CIDRS_MAX;
use crate::check::{indices_by, name_of, overlaps};
use crate::diagnostics::{codes, Diag};
use crate::ir::Network;

pub(super) fn check(net: &Network, diags: &mut Vec<Diag>) {
    for vpc in &net.vpcs {
        // Secondary blocks must not overlap earlier ones.
        for (i, a) in vpc.cidrs.iter().enumerate() {
            for b in &vpc.cidrs[..i] {
                if overlaps(&a.cidr, &b.cidr) {
                    diags.push(
                        Diag::error(
                            codes::VPC_CIDR_OVERLAP,
                            a.origin,
                            format!(
                                "CIDR block `{}` of VPC `{}` overlaps its block `{}`",
                                a.cidr, vpc.name, b.cidr
                            ),
                        )
                        .label(format!("overlaps `{}`", b.cidr))
                        .secondary(b.origin, format!("`{}` given here", b.cidr))
                        .note("a VPC's CIDR blocks must be disjoint"),
                    );
                }
            }
        }
        let v4: Vec<_> = vpc
            .cidrs
            .iter()
            .filter(|c| c.cidr.addr().is_ipv4())
            .collect();
        // Reported at the first block beyond the limit, the one AWS would refuse.
        if let Some(extra) = v4.get(VPC_IPV4_CIDRS_MAX) {
            diags.push(
                Diag::error(
                    codes::TOO_MANY_CIDRS,
                    extra.origin,
                    format!(
                        "VPC `{}` has {} IPv4 CIDR blocks; AWS allows at most {VPC_IPV4_CIDRS_MAX}",
                        vpc.name,
                        v4.len()
                    ),
                )
                .label(format!(
                    "IPv4 block {} of VPC `{}`",
                    VPC_IPV4_CIDRS_MAX + 1,
                    vpc.name
                ))
                .secondary(name_of(vpc.origin), format!("VPC `{}`", vpc.name))
                .note(format!(
                    "5 is the default quota and {VPC_IPV4_CIDRS_MAX} the hard limit"
                )),
            );
        }
    }
    // Overlaps are looked for among the subnets of one VPC: comparing every pair of the
    // network was quadratic in its subnets (a fifth of a 5,000-subnet check).
    let by_vpc = indices_by(net.vpcs.len(), net.subnets.iter().map(|s| s.vpc));
    for (i, subnet) in net.subnets.iter().enumerate() {
        let vpc = &net.vpcs[subnet.vpc.index()];
        for block in [&subnet.cidr, &subnet.ipv6_cidr].into_iter().flatten() {
            let same_family: Vec<_> = vpc
                .cidrs
                .iter()
                .filter(|c| c.cidr.addr().is_ipv4() == block.cidr.addr().is_ipv4())
                .collect();
            if same_family.is_empty() && block.cidr.addr().is_ipv6() {
                diags.push(
                    Diag::error(
                        codes::SUBNET_OUTSIDE_VPC,
                        block.origin,
                        format!(
                            "subnet `{}` has IPv6 block `{}` but VPC `{}` has no IPv6 CIDR block",
                            subnet.name, block.cidr, vpc.name
                        ),
                    )
                    .label("no IPv6 block in the VPC")
                    .secondary(name_of(vpc.origin), "add an IPv6 `cidr` to this VPC"),
                );
                continue;
            }
            if !same_family.is_empty() && !same_family.iter().any(|c| c.cidr.contains(&block.cidr))
            {
                let blocks: Vec<String> = same_family
                    .iter()
                    .map(|c| format!("`{}`", c.cidr))
                    .collect();
                let mut diag = Diag::error(
                    codes::SUBNET_OUTSIDE_VPC,
                    block.origin,
                    format!(
                        "subnet `{}` CIDR block `{}` is outside VPC `{}` ({})",
                        subnet.name,
                        block.cidr,
                        vpc.name,
                        blocks.join(", ")
                    ),
                )
                .label("not inside any CIDR block of the VPC");
                for c in &same_family {
                    diag = diag.secondary(c.origin, format!("VPC block `{}`", c.cidr));
                }
                diags.push(
                    diag.note("a subnet's block must lie inside one of its VPC's CIDR blocks"),
                );
            }
        }
        let earlier = by_vpc[subnet.vpc.index()].iter().take_while(|&&j| j < i);
        for other in earlier.map(|&j| &net.subnets[j]) {
            let pairs = [
                (&subnet.cidr, &other.cidr),
                (&subnet.ipv6_cidr, &other.ipv6_cidr),
            ];
            for (a, b) in pairs {
                let (Some(a), Some(b)) = (a, b) else { continue };
                if overlaps(&a.cidr, &b.cidr) {
                    diags.push(
                        Diag::error(
                            codes::SUBNET_OVERLAP,
                            a.origin,
                            format!(
                                "subnets `{}` ({}) and `{}` ({}) overlap",
                                subnet.name, a.cidr, other.name, b.cidr
                            ),
                        )
                        .label(format!("`{}` overlaps `{}`", a.cidr, b.cidr))
                        .secondary(b.origin, format!("`{}` of subnet `{}`", b.cidr, other.name))
                        .note("subnets of one VPC must not share addresses"),
                    );
                }
            }
        }
    }
}
