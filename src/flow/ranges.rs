//! Sets of integers as sorted, disjoint, non-adjacent inclusive intervals: the building block
//! of port sets and address sets. Every operation is linear in the number of intervals, never
//! in the number of members, so `0.0.0.0/0` costs what `10.0.0.5/32` costs.

use std::fmt;
use std::hash::Hash;

use smallvec::SmallVec;

/// The values a set holds: ports (`u16`) or addresses (`u128`, IPv4 mapped into IPv6).
pub trait Point: Copy + Ord + Hash + fmt::Debug + fmt::Display + Into<u128> {
    /// The next value, or this one when it is the largest.
    fn next_saturating(self) -> Self;
    /// The next value; only asked of a value below the largest.
    fn next(self) -> Self;
    /// The previous value; only asked of a value above the smallest.
    fn prev(self) -> Self;
}

macro_rules! point {
    ($t:ty) => {
        impl Point for $t {
            fn next_saturating(self) -> Self {
                self.saturating_add(1)
            }
            fn next(self) -> Self {
                self + 1
            }
            fn prev(self) -> Self {
                self - 1
            }
        }
    };
}
point!(u16);
point!(u128);

/// A set of values, with up to `N` intervals held inline, without a heap allocation (the flow
/// engine makes millions of sets). Address sets are most often one interval (a CIDR block);
/// port sets are a range with holes punched by a NACL's rules, and eight `u16` intervals take
/// the room of one `u128` interval.
#[derive(Default, PartialEq, Eq, Hash)]
pub struct Ranges<T: Point = u128, const N: usize = 1> {
    /// Sorted, disjoint and non-adjacent.
    spans: SmallVec<[(T, T); N]>,
}

/// A copy of the intervals' bytes: `SmallVec`'s own `clone` copies element by element, and
/// the flow engine clones sets on every rule it evaluates (it was the most sampled function
/// of a lint run).
impl<T: Point, const N: usize> Clone for Ranges<T, N> {
    fn clone(&self) -> Self {
        Ranges {
            spans: SmallVec::from_slice(&self.spans),
        }
    }
}

impl<T: Point, const N: usize> Ranges<T, N> {
    pub fn empty() -> Self {
        Ranges {
            spans: SmallVec::new(),
        }
    }

    /// `lo..=hi`; empty when `lo > hi`.
    pub fn interval(lo: T, hi: T) -> Self {
        if lo > hi {
            return Self::empty();
        }
        Ranges {
            spans: smallvec::smallvec![(lo, hi)],
        }
    }

    /// The union of `intervals` (each `lo..=hi`, in any order): sorted and merged once, where
    /// a union per interval was quadratic in their number.
    pub fn from_intervals(mut intervals: Vec<(T, T)>) -> Self {
        intervals.retain(|(lo, hi)| lo <= hi);
        intervals.sort_unstable();
        let mut spans: SmallVec<[(T, T); N]> = SmallVec::new();
        for (lo, hi) in intervals {
            match spans.last_mut() {
                Some(last) if lo <= last.1.next_saturating() => last.1 = last.1.max(hi),
                _ => spans.push((lo, hi)),
            }
        }
        Ranges { spans }
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn intervals(&self) -> &[(T, T)] {
        &self.spans
    }

    /// How many members (saturating), for messages and tests only.
    pub fn len(&self) -> u128 {
        self.spans.iter().fold(0u128, |acc, &(lo, hi)| {
            acc.saturating_add(hi.into() - lo.into()).saturating_add(1)
        })
    }

    pub fn contains(&self, v: T) -> bool {
        let i = self.spans.partition_point(|&(_, hi)| hi < v);
        self.spans.get(i).is_some_and(|&(lo, _)| lo <= v)
    }

    /// Without allocating: asked for every route, rule and hop of every trace.
    pub fn is_subset(&self, other: &Self) -> bool {
        // Walk the side with fewer intervals: a table's few routes against the blocks of every
        // VPC of a large network are asked of the gaps between the routes.
        if other.spans.len() < self.spans.len() {
            return !self.meets_gaps_of(other);
        }
        self.spans.iter().all(|&(lo, hi)| {
            // The span must lie in one interval of `other` (they are non-adjacent).
            let i = other.spans.partition_point(|&(_, o_hi)| o_hi < lo);
            other
                .spans
                .get(i)
                .is_some_and(|&(o_lo, o_hi)| o_lo <= lo && hi <= o_hi)
        })
    }

    /// Whether some value of this set lies outside `other`, found by a search of this set in
    /// each gap between `other`'s intervals (within this set's bounds).
    fn meets_gaps_of(&self, other: &Self) -> bool {
        let (Some(&(first, _)), Some(&(_, last))) = (self.spans.first(), self.spans.last()) else {
            return false;
        };
        let mut from = first;
        for &(lo, hi) in &other.spans {
            if lo > from && self.intersects_interval(from, lo.prev()) {
                return true;
            }
            if hi >= last {
                return false;
            }
            from = from.max(hi.next());
        }
        self.intersects_interval(from, last)
    }

    /// Without allocating, like [`Self::is_subset`].
    pub fn intersects(&self, other: &Self) -> bool {
        let (mut i, mut j) = (0, 0);
        while let (Some(&(a_lo, a_hi)), Some(&(b_lo, b_hi))) =
            (self.spans.get(i), other.spans.get(j))
        {
            if a_lo <= b_hi && b_lo <= a_hi {
                return true;
            }
            if a_hi < b_hi {
                i += 1;
            } else {
                j += 1;
            }
        }
        false
    }

    /// Whether `lo..=hi` shares a member with the set, without allocating.
    pub fn intersects_interval(&self, lo: T, hi: T) -> bool {
        let i = self.spans.partition_point(|&(_, s_hi)| s_hi < lo);
        self.spans.get(i).is_some_and(|&(s_lo, _)| s_lo <= hi)
    }

    /// Both sets' intervals when each is one interval (a port range, a CIDR block): the
    /// common case, answered without the general loops below, whose output grows one push at
    /// a time.
    fn single_pair(&self, other: &Self) -> Option<((T, T), (T, T))> {
        match (self.spans.as_slice(), other.spans.as_slice()) {
            ([a], [b]) => Some((*a, *b)),
            _ => None,
        }
    }

    /// A merge of the two sorted lists, coalescing as it goes.
    pub fn union(&self, other: &Self) -> Self {
        if let Some(((a_lo, a_hi), (b_lo, b_hi))) = self.single_pair(other) {
            let (first, second) = if a_lo <= b_lo {
                ((a_lo, a_hi), (b_lo, b_hi))
            } else {
                ((b_lo, b_hi), (a_lo, a_hi))
            };
            if second.0 <= first.1.next_saturating() {
                return Self::interval(first.0, first.1.max(second.1));
            }
            return Ranges {
                spans: smallvec::smallvec![first, second],
            };
        }
        let (a, b) = (&self.spans, &other.spans);
        let mut out: SmallVec<[(T, T); N]> = SmallVec::new();
        let (mut i, mut j) = (0, 0);
        loop {
            let (lo, hi) = match (a.get(i), b.get(j)) {
                (Some(&x), Some(&y)) if x.0 <= y.0 => {
                    i += 1;
                    x
                }
                (_, Some(&y)) => {
                    j += 1;
                    y
                }
                (Some(&x), None) => {
                    i += 1;
                    x
                }
                (None, None) => break,
            };
            match out.last_mut() {
                Some(last) if lo <= last.1.next_saturating() => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        Ranges { spans: out }
    }

    pub fn intersection(&self, other: &Self) -> Self {
        if let Some(((a_lo, a_hi), (b_lo, b_hi))) = self.single_pair(other) {
            return Self::interval(a_lo.max(b_lo), a_hi.min(b_hi));
        }
        let (mut i, mut j) = (0, 0);
        let mut out: SmallVec<[(T, T); N]> = SmallVec::new();
        while i < self.spans.len() && j < other.spans.len() {
            let (a_lo, a_hi) = self.spans[i];
            let (b_lo, b_hi) = other.spans[j];
            let lo = a_lo.max(b_lo);
            let hi = a_hi.min(b_hi);
            if lo <= hi {
                out.push((lo, hi));
            }
            if a_hi < b_hi {
                i += 1;
            } else {
                j += 1;
            }
        }
        Ranges { spans: out }
    }

    pub fn difference(&self, other: &Self) -> Self {
        if let Some(((a_lo, a_hi), (b_lo, b_hi))) = self.single_pair(other) {
            if b_hi < a_lo || a_hi < b_lo {
                return self.clone();
            }
            let mut out: SmallVec<[(T, T); N]> = SmallVec::new();
            if a_lo < b_lo {
                out.push((a_lo, b_lo.prev()));
            }
            if b_hi < a_hi {
                out.push((b_hi.next(), a_hi));
            }
            return Ranges { spans: out };
        }
        let mut out: SmallVec<[(T, T); N]> = SmallVec::new();
        let mut j = 0;
        for &(lo, hi) in &self.spans {
            let mut cur = lo;
            let mut done = false;
            while j < other.spans.len() && other.spans[j].1 < cur {
                j += 1;
            }
            let mut k = j;
            while k < other.spans.len() && other.spans[k].0 <= hi {
                let (b_lo, b_hi) = other.spans[k];
                if b_lo > cur {
                    out.push((cur, b_lo.prev()));
                }
                if b_hi >= hi {
                    done = true;
                    break;
                }
                cur = cur.max(b_hi.next());
                k += 1;
            }
            if !done && cur <= hi {
                out.push((cur, hi));
            }
        }
        Ranges { spans: out }
    }
}

impl<T: Point, const N: usize> fmt::Debug for Ranges<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.spans.iter().map(|(lo, hi)| format!("{lo}-{hi}")))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::BTreeSet;
    use std::ops::RangeInclusive;

    /// Address-like sets: the defaults.
    type Addrs = Ranges;

    fn r(spans: &[(u128, u128)]) -> Ranges {
        spans.iter().fold(Addrs::empty(), |acc, &(lo, hi)| {
            acc.union(&Addrs::interval(lo, hi))
        })
    }

    #[test]
    fn union_merges_overlapping_and_adjacent() {
        assert_eq!(
            r(&[(1, 3), (4, 6), (10, 12), (11, 20)]).intervals(),
            &[(1, 6), (10, 20)]
        );
    }

    #[test]
    fn difference_splits() {
        let all = Addrs::interval(0, 65535);
        let d = all.difference(&r(&[(443, 443), (1024, 65535)]));
        assert_eq!(d.intervals(), &[(0, 442), (444, 1023)]);
        assert!(Addrs::interval(5, 5)
            .difference(&Addrs::interval(0, 10))
            .is_empty());
        assert_eq!(
            Addrs::interval(0, 10)
                .difference(&Addrs::interval(0, 0))
                .intervals(),
            &[(1, 10)]
        );
        // Ports: the ends of the `u16` line.
        let ports: Ranges<u16, 8> = Ranges::interval(0, u16::MAX);
        assert_eq!(
            ports.difference(&Ranges::interval(0, 0)).intervals(),
            &[(1, u16::MAX)]
        );
        assert_eq!(
            ports
                .difference(&Ranges::interval(u16::MAX, u16::MAX))
                .union(&Ranges::interval(u16::MAX, u16::MAX))
                .intervals(),
            &[(0, u16::MAX)]
        );
        assert_eq!(
            Addrs::interval(0, u128::MAX)
                .difference(&Addrs::interval(u128::MAX, u128::MAX))
                .intervals(),
            &[(0, u128::MAX - 1)]
        );
    }

    #[test]
    fn intersection_and_subset() {
        let a = r(&[(0, 10), (20, 30)]);
        let b = r(&[(5, 25)]);
        assert_eq!(a.intersection(&b).intervals(), &[(5, 10), (20, 25)]);
        assert!(r(&[(6, 7)]).is_subset(&a));
        assert!(!b.is_subset(&a));
        assert_eq!(a.len(), 22);
        assert!(a.contains(20) && !a.contains(15));
    }

    proptest::proptest! {
        /// Intervals sorted and merged at once make the set their unions one by one make.
        #[test]
        fn from_intervals_is_their_union(
            spans in proptest::collection::vec((0u128..64, 0u128..8), 0..12),
            reversed in 0usize..3,
        ) {
            let mut intervals: Vec<(u128, u128)> = spans.iter().map(|&(s, l)| (s, s + l)).collect();
            intervals.truncate(intervals.len().saturating_sub(reversed));
            intervals.push((9, 3)); // empty: lo above hi
            let one_by_one = intervals
                .iter()
                .fold(Addrs::empty(), |acc, &(lo, hi)| acc.union(&Addrs::interval(lo, hi)));
            proptest::prop_assert_eq!(Addrs::from_intervals(intervals), one_by_one);
        }

        /// The allocation-free tests agree with their definitions by intersection and
        /// difference.
        #[test]
        fn fast_tests_agree_with_set_operations(
            a in proptest::collection::vec((0u128..64, 0u128..8), 0..6),
            b in proptest::collection::vec((0u128..64, 0u128..8), 0..6),
            lo in 0u128..72,
            len in 0u128..10,
        ) {
            let set = |v: &[(u128, u128)]| r(&v.iter().map(|&(s, l)| (s, s + l)).collect::<Vec<_>>());
            let (a, b) = (set(&a), set(&b));
            proptest::prop_assert_eq!(a.intersects(&b), !a.intersection(&b).is_empty());
            proptest::prop_assert_eq!(a.is_subset(&b), a.difference(&b).is_empty());
            proptest::prop_assert_eq!(
                a.intersects_interval(lo, lo + len),
                !a.intersection(&Addrs::interval(lo, lo + len)).is_empty()
            );
        }

        /// Union, intersection and difference (one interval each, the shortcut, or more)
        /// have the members of the same operations on the members, in canonical form.
        #[test]
        fn operations_agree_with_their_members(
            a in proptest::collection::vec((0u128..64, 0u128..8), 0..4),
            b in proptest::collection::vec((0u128..64, 0u128..8), 0..4),
        ) {
            let set = |v: &[(u128, u128)]| r(&v.iter().map(|&(s, l)| (s, s + l)).collect::<Vec<_>>());
            agree_with_members(&set(&a), &set(&b))?;
        }

        /// The same for port sets (`u16`), with two intervals inline so that results spill
        /// to the heap and back; near the top of the line, where the next value saturates.
        #[test]
        fn port_operations_agree_with_their_members(
            a in proptest::collection::vec((65500u16..65530, 0u16..5), 0..5),
            b in proptest::collection::vec((65500u16..65530, 0u16..5), 0..5),
        ) {
            type Ports = Ranges<u16, 2>;
            let set = |v: &[(u16, u16)]| {
                v.iter().fold(Ports::empty(), |acc, &(s, l)| {
                    acc.union(&Ports::interval(s, s.saturating_add(l)))
                })
            };
            agree_with_members(&set(&a), &set(&b))?;
        }
    }

    fn members<T: Point, const N: usize>(x: &Ranges<T, N>) -> BTreeSet<T>
    where
        RangeInclusive<T>: Iterator<Item = T>,
    {
        x.intervals().iter().flat_map(|&(lo, hi)| lo..=hi).collect()
    }

    /// Union, intersection and difference of `a` and `b` have the members of the same
    /// operations on their members, and are canonical: sorted, disjoint and non-adjacent.
    fn agree_with_members<T: Point, const N: usize>(
        a: &Ranges<T, N>,
        b: &Ranges<T, N>,
    ) -> Result<(), proptest::test_runner::TestCaseError>
    where
        RangeInclusive<T>: Iterator<Item = T>,
    {
        let (ma, mb) = (members(a), members(b));
        for (got, want) in [
            (a.union(b), &ma | &mb),
            (a.intersection(b), &ma & &mb),
            (a.difference(b), &ma - &mb),
        ] {
            let canonical = got.intervals().iter().all(|&(lo, hi)| lo <= hi)
                && got
                    .intervals()
                    .windows(2)
                    .all(|w| w[0].1.next_saturating() < w[1].0);
            proptest::prop_assert!(canonical, "{got:?}");
            proptest::prop_assert_eq!(members(&got), want);
        }
        Ok(())
    }
}
