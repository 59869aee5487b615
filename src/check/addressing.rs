//! VPC and subnet addressing: subnets inside their VPC, no overlaps, the CIDR quota.

use crate::aws::limits::VPC_IPV4_CIDRS_MAX;
use crate::check::{indices_by, name_of, overlaps};
use crate::diagnostics::{codes, Diag};
use crate::ir::{CidrBlock, Network, Subnet};

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
    let by_vpc = indices_by(net.vpcs.len(), net.subnets.iter().map(|s| s.vpc));
    let overlapping = overlapping_pairs(net, &by_vpc);
    let mut overlapping = overlapping.iter().peekable();
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
        while let Some(&(_, j, field)) = overlapping.next_if(|&&(later, ..)| later == i) {
            let other = &net.subnets[j];
            if let (Some(a), Some(b)) = (field(subnet), field(other)) {
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

/// One of a subnet's blocks: its IPv4 `cidr` or its `ipv6_cidr`.
type Field = fn(&Subnet) -> Option<&CidrBlock>;

/// The overlapping blocks of the subnets of each VPC (`by_vpc`: subnet indices by VPC), as
/// (later subnet, earlier subnet, which block), in the order of the subnets, then of the
/// earlier one, then IPv4 first. A sweep over each VPC's blocks sorted by address, since CIDR
/// blocks either nest or are disjoint: comparing every pair was quadratic in a VPC's subnets
/// (a VPC of 10,000 subnets took most of a lint).
fn overlapping_pairs(net: &Network, by_vpc: &[Vec<usize>]) -> Vec<(usize, usize, Field)> {
    let fields: [Field; 2] = [|s| s.cidr.as_ref(), |s| s.ipv6_cidr.as_ref()];
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for subnets in by_vpc {
        for (f, field) in fields.iter().enumerate() {
            let mut blocks: Vec<(ipnet::IpNet, usize)> = subnets
                .iter()
                .filter_map(|&i| field(&net.subnets[i]).map(|b| (b.cidr, i)))
                .collect();
            blocks.sort_unstable_by_key(|&(b, i)| (b.network(), b.prefix_len(), i));
            // The blocks holding the current one, each inside the one below it.
            let mut open: Vec<(ipnet::IpNet, usize)> = Vec::new();
            for (b, i) in blocks {
                while open.last().is_some_and(|(o, _)| !overlaps(o, &b)) {
                    open.pop();
                }
                pairs.extend(open.iter().map(|&(_, j)| (i.max(j), i.min(j), f)));
                open.push((b, i));
            }
        }
    }
    pairs.sort_unstable();
    pairs
        .into_iter()
        .map(|(i, j, f)| (i, j, fields[f]))
        .collect()
}
