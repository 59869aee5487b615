//! Sets of packets: unions of boxes (destination ports × remote addresses) for one protocol.
//!
//! A filter (a NACL direction, a security group) sees a packet's protocol, destination port
//! and remote address. Evaluating a filter on a set partitions the set into what each rule
//! decides, box by box, so a query over `1024-65535` from `0.0.0.0/0` costs a few interval
//! operations, never a walk over ports or addresses.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

use super::ranges::Ranges;
use crate::ir::PortRange;

/// Addresses, IPv4 mapped into `::ffff:0:0/96` so both families share one number line.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct AddrSet(pub Ranges);

const V4_BASE: u128 = 0xffff_0000_0000;

fn bounds(net: &IpNet) -> (u128, u128) {
    match net {
        IpNet::V4(n) => (
            V4_BASE | u32::from(n.network()) as u128,
            V4_BASE | u32::from(n.broadcast()) as u128,
        ),
        IpNet::V6(n) => (u128::from(n.network()), u128::from(n.broadcast())),
    }
}

impl AddrSet {
    pub fn empty() -> Self {
        AddrSet(Ranges::empty())
    }
    pub fn cidr(net: &IpNet) -> Self {
        let (lo, hi) = bounds(net);
        let set = Ranges::interval(lo, hi);
        match net {
            IpNet::V4(_) => AddrSet(set),
            // IPv6 blocks never contain the IPv4 addresses mapped into them here.
            IpNet::V6(_) => {
                AddrSet(set.difference(&Ranges::interval(V4_BASE, V4_BASE | 0xffff_ffff)))
            }
        }
    }
    /// Whether the set shares an address with `net` (without building the block's set for
    /// IPv4, the common case of a route lookup).
    pub fn intersects_cidr(&self, net: &IpNet) -> bool {
        match net {
            IpNet::V4(_) => {
                let (lo, hi) = bounds(net);
                self.0.intersects_interval(lo, hi)
            }
            IpNet::V6(_) => self.intersects(&AddrSet::cidr(net)),
        }
    }
    pub fn cidrs<'a>(nets: impl IntoIterator<Item = &'a IpNet>) -> Self {
        let intervals = nets.into_iter().flat_map(|n| {
            let set = AddrSet::cidr(n);
            set.0.intervals().to_vec()
        });
        AddrSet(Ranges::from_intervals(intervals.collect()))
    }
    pub fn addr(ip: IpAddr) -> Self {
        AddrSet::cidr(&IpNet::from(ip))
    }
    /// Every IPv4 and IPv6 address.
    pub fn all() -> Self {
        AddrSet(Ranges::interval(0, u128::MAX))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn union(&self, o: &AddrSet) -> AddrSet {
        AddrSet(self.0.union(&o.0))
    }
    pub fn intersection(&self, o: &AddrSet) -> AddrSet {
        AddrSet(self.0.intersection(&o.0))
    }
    pub fn difference(&self, o: &AddrSet) -> AddrSet {
        AddrSet(self.0.difference(&o.0))
    }
    pub fn is_subset(&self, o: &AddrSet) -> bool {
        self.0.is_subset(&o.0)
    }
    pub fn intersects(&self, o: &AddrSet) -> bool {
        self.0.intersects(&o.0)
    }
    /// The IPv4 part of the set.
    pub fn v4(&self) -> AddrSet {
        AddrSet(
            self.0
                .intersection(&Ranges::interval(V4_BASE, V4_BASE | 0xffff_ffff)),
        )
    }

    /// The IPv6 part of the set.
    pub fn v6(&self) -> AddrSet {
        self.difference(&self.v4())
    }

    /// The part of the set in the address families `other` has: a flow between an IPv4-only
    /// host and the internet uses only the internet's IPv4 addresses.
    pub fn in_families_of(&self, other: &AddrSet) -> AddrSet {
        let mut out = AddrSet::empty();
        if !other.v4().is_empty() {
            out = out.union(&self.v4());
        }
        if !other.v6().is_empty() {
            out = out.union(&self.v6());
        }
        out
    }

    /// One member, for messages ("for example 10.0.1.4").
    pub fn sample(&self) -> Option<IpAddr> {
        self.0.intervals().first().map(|&(lo, _)| to_ip(lo))
    }
}

fn to_ip(v: u128) -> IpAddr {
    if v >> 32 == 0xffff {
        IpAddr::V4((v as u32).into())
    } else {
        IpAddr::V6(v.into())
    }
}

impl fmt::Display for AddrSet {
    /// The set as CIDR blocks (`10.0.0.0/24, 10.0.2.0/23`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for &(lo, hi) in self.0.intervals() {
            let (a, b) = (to_ip(lo), to_ip(hi));
            let nets: Vec<IpNet> = match (a, b) {
                (IpAddr::V4(a), IpAddr::V4(b)) => {
                    ipnet::Ipv4Subnets::new(a, b, 0).map(IpNet::V4).collect()
                }
                (IpAddr::V6(a), IpAddr::V6(b)) => {
                    ipnet::Ipv6Subnets::new(a, b, 0).map(IpNet::V6).collect()
                }
                _ => Vec::new(),
            };
            for n in nets {
                if !first {
                    f.write_str(", ")?;
                }
                first = false;
                write!(f, "{n}")?;
            }
        }
        if first {
            f.write_str("(no address)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for AddrSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AddrSet({self})")
    }
}

/// Destination ports. Up to eight ranges are held inline: a reply's ephemeral range with
/// the holes of a NACL's rules for the ports in it.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct PortSet(pub Ranges<u16, 8>);

impl PortSet {
    pub fn range(r: PortRange) -> Self {
        PortSet(Ranges::interval(r.from, r.to))
    }
    pub fn all() -> Self {
        PortSet::range(PortRange::ALL)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn union(&self, o: &PortSet) -> PortSet {
        PortSet(self.0.union(&o.0))
    }
    pub fn intersection(&self, o: &PortSet) -> PortSet {
        PortSet(self.0.intersection(&o.0))
    }
    pub fn difference(&self, o: &PortSet) -> PortSet {
        PortSet(self.0.difference(&o.0))
    }
    pub fn is_subset(&self, o: &PortSet) -> bool {
        self.0.is_subset(&o.0)
    }
    pub fn ranges(&self) -> Vec<PortRange> {
        self.0
            .intervals()
            .iter()
            .map(|&(from, to)| PortRange { from, to })
            .collect()
    }
}

impl fmt::Display for PortSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.ranges().iter().map(|r| r.to_string()).collect();
        if parts.is_empty() {
            f.write_str("(no port)")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

impl fmt::Debug for PortSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PortSet({self})")
    }
}

/// A set of packets of one protocol: a union of `ports × addresses` boxes (the addresses are
/// the far end's: the source for inbound rules, the destination for outbound ones). The
/// boxes are on the heap: held inline (two of them), the set was as fast and a lint run's
/// peak higher (a trace keeps the packets each NACL drops).
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct PacketSet {
    boxes: Vec<(PortSet, AddrSet)>,
}

impl PacketSet {
    pub fn new(ports: PortSet, addrs: AddrSet) -> Self {
        let mut s = PacketSet {
            boxes: Vec::with_capacity(1),
        };
        s.push(ports, addrs);
        s
    }

    /// The same packets without spare room: for a set kept in a trace, where the room an
    /// evaluation left was memory held for the whole run.
    pub fn compacted(mut self) -> Self {
        self.boxes.shrink_to_fit();
        self
    }

    fn push(&mut self, ports: PortSet, addrs: AddrSet) {
        if !ports.is_empty() && !addrs.is_empty() {
            self.boxes.push((ports, addrs));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.boxes.is_empty()
    }

    pub fn boxes(&self) -> &[(PortSet, AddrSet)] {
        &self.boxes
    }

    /// The packets that also lie in the box `ports × addrs`. Boxes that miss it are skipped
    /// by the non-allocating tests first: most of a filter's rules miss most boxes.
    pub fn intersect_box(&self, ports: &PortSet, addrs: &AddrSet) -> PacketSet {
        let mut out = PacketSet::default();
        for (p, a) in &self.boxes {
            if p.0.intersects(&ports.0) && a.0.intersects(&addrs.0) {
                out.push(p.intersection(ports), a.intersection(addrs));
            }
        }
        out
    }

    /// Whether some packet lies in the box `ports × addrs`, without building the packets.
    pub fn intersects_box(&self, ports: &PortSet, addrs: &AddrSet) -> bool {
        self.boxes
            .iter()
            .any(|(p, a)| p.0.intersects(&ports.0) && a.0.intersects(&addrs.0))
    }

    /// Moves the packets that lie in the box `ports × addrs` out of the set and returns them:
    /// [`Self::intersect_box`] and [`Self::minus_box`] in one pass, each intersection worked
    /// out once and the boxes that miss moved, not copied. A NACL's evaluation does this for
    /// every rule that matches.
    pub fn split_off_box(&mut self, ports: &PortSet, addrs: &AddrSet) -> PacketSet {
        let mut inside = PacketSet::default();
        if !self.intersects_box(ports, addrs) {
            return inside;
        }
        let boxes = std::mem::take(&mut self.boxes);
        // Most often the rule takes every packet left (`allow tcp 443 from 10.0.0.0/8`, and
        // packets from one subnet to port 443): they move as they are, without a new vector.
        if boxes
            .iter()
            .all(|(p, a)| p.is_subset(ports) && a.is_subset(addrs))
        {
            inside.boxes = boxes;
            return inside;
        }
        self.boxes.reserve(boxes.len() + 1);
        for (p, a) in boxes {
            if !p.0.intersects(&ports.0) || !a.0.intersects(&addrs.0) {
                self.boxes.push((p, a));
            } else if p.is_subset(ports) && a.is_subset(addrs) {
                inside.boxes.push((p, a));
            } else {
                // (p × a) − (P × A) = (p − P) × a  ∪  (p ∩ P) × (a − A), as in `minus_box`.
                let p_in = p.intersection(ports);
                let a_in = a.intersection(addrs);
                self.push(p.difference(ports), a.clone());
                self.push(p_in.clone(), a.difference(addrs));
                inside.push(p_in, a_in);
            }
        }
        inside
    }

    /// The packets outside the box `ports × addrs`.
    pub fn minus_box(&self, ports: &PortSet, addrs: &AddrSet) -> PacketSet {
        let mut out = PacketSet::default();
        for (p, a) in &self.boxes {
            if !p.0.intersects(&ports.0) || !a.0.intersects(&addrs.0) {
                out.push(p.clone(), a.clone());
                continue;
            }
            // (p × a) − (P × A) = (p − P) × a  ∪  (p ∩ P) × (a − A)
            out.push(p.difference(ports), a.clone());
            out.push(p.intersection(ports), a.difference(addrs));
        }
        out
    }

    pub fn union(&self, other: &PacketSet) -> PacketSet {
        let mut out = self.clone();
        for (p, a) in &other.boxes {
            out.push(p.clone(), a.clone());
        }
        out
    }

    /// All ports of the set (whatever the address).
    pub fn ports(&self) -> PortSet {
        self.boxes
            .iter()
            .fold(PortSet::default(), |acc, (p, _)| acc.union(p))
    }

    /// All addresses of the set (whatever the port).
    pub fn addrs(&self) -> AddrSet {
        self.boxes
            .iter()
            .fold(AddrSet::empty(), |acc, (_, a)| acc.union(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> AddrSet {
        AddrSet::cidr(&s.parse().unwrap())
    }

    /// `is_subset` walks the gaps of a cover of fewer intervals than the set (a table's routes
    /// against every VPC's blocks): it answers as the set's difference with the cover does.
    #[test]
    fn subsets_agree_with_differences_whichever_side_is_walked() {
        let set = |blocks: &[&str]| {
            let nets: Vec<IpNet> = blocks.iter().map(|b| b.parse().expect("a block")).collect();
            AddrSet::cidrs(nets.iter())
        };
        let sets = [
            set(&[]),
            set(&["10.1.0.0/24"]),
            set(&["10.1.0.0/24", "10.3.0.0/24"]),
            set(&["10.0.0.0/8"]),
            set(&["0.0.0.0/0"]),
            set(&["::/0"]),
            set(&["0.0.0.0/0", "::/0"]),
        ];
        let covers = [
            AddrSet::empty(),
            AddrSet::all(),
            set(&["10.1.0.0/16"]),
            set(&["10.1.0.0/16", "10.3.0.0/16"]),
            set(&["10.0.0.0/8", "::/0"]),
            set(&["0.0.0.0/0"]),
            set(&["::/0"]),
        ];
        for s in sets.iter().chain(&covers) {
            for c in sets.iter().chain(&covers) {
                let want = s.difference(c).is_empty();
                assert_eq!(s.is_subset(c), want, "{s:?} within {c:?}");
            }
        }
    }

    #[test]
    fn cidr_sets_print_as_blocks() {
        let s = net("10.0.0.0/24").union(&net("10.0.1.0/24"));
        assert_eq!(s.to_string(), "10.0.0.0/23");
        let hole = net("10.0.0.0/16").difference(&net("10.0.1.0/24"));
        assert_eq!(hole.to_string().split(", ").count(), 8);
        assert!(!net("10.0.0.0/8").intersects(&net("2600::/16")));
    }

    #[test]
    fn box_difference_keeps_everything_else() {
        let all = PacketSet::new(
            PortSet::range(PortRange {
                from: 1024,
                to: 65535,
            }),
            net("0.0.0.0/0"),
        );
        let rule_ports = PortSet::range(PortRange::single(5432));
        let rest = all.minus_box(&rule_ports, &net("172.16.1.0/24"));
        assert_eq!(rest.ports().to_string(), "1024-65535");
        let inside = rest.intersect_box(&rule_ports, &net("172.16.1.0/24"));
        assert!(inside.is_empty());
    }

    /// A set of up to three boxes of small port and address intervals, so that boxes and the
    /// cut overlap often.
    fn small_set(boxes: &[(u16, u16, u32, u32)]) -> PacketSet {
        let mut set = PacketSet::default();
        for &(port, width, addr, len) in boxes {
            set.push(small_ports(port, width), small_addrs(addr, len));
        }
        set
    }

    fn small_ports(port: u16, width: u16) -> PortSet {
        PortSet::range(PortRange {
            from: port,
            to: port + width,
        })
    }

    fn small_addrs(addr: u32, len: u32) -> AddrSet {
        let lo = u128::from(addr);
        AddrSet(Ranges::interval(lo, lo + u128::from(len)))
    }

    proptest::proptest! {
        /// `split_off_box` is `intersect_box` and `minus_box` at once, box for box.
        #[test]
        fn split_off_box_is_intersection_and_difference(
            boxes in proptest::collection::vec((0u16..32, 0u16..8, 0u32..32, 0u32..8), 0..4),
            cut in (0u16..32, 0u16..16, 0u32..32, 0u32..16),
        ) {
            let set = small_set(&boxes);
            let (ports, addrs) = (small_ports(cut.0, cut.1), small_addrs(cut.2, cut.3));
            let mut rest = set.clone();
            let inside = rest.split_off_box(&ports, &addrs);
            proptest::prop_assert_eq!(&inside, &set.intersect_box(&ports, &addrs));
            proptest::prop_assert_eq!(&rest, &set.minus_box(&ports, &addrs));
            proptest::prop_assert_eq!(set.intersects_box(&ports, &addrs), !inside.is_empty());
        }
    }
}
