//! Sets of integers as sorted, disjoint, non-adjacent inclusive intervals: the building block
//! of port sets and address sets. Every operation is linear in the number of intervals, never
//! in the number of members, so `0.0.0.0/0` costs what `10.0.0.5/32` costs.

use std::fmt;

use smallvec::SmallVec;

/// The intervals of a set. Most sets are one interval (a port range, a CIDR block): that one
/// is held inline, without a heap allocation (the flow engine makes millions of sets).
type Spans = SmallVec<[(u128, u128); 1]>;

/// A set of `u128` values (ports, or IPv6-mapped addresses).
#[derive(Default, PartialEq, Eq, Hash)]
pub struct Ranges {
    /// Sorted, disjoint and non-adjacent.
    spans: Spans,
}

/// A copy of the intervals' bytes: `SmallVec`'s own `clone` copies element by element, and
/// the flow engine clones sets on every rule it evaluates (it was the most sampled function
/// of a lint run).
impl Clone for Ranges {
    fn clone(&self) -> Self {
        Ranges {
            spans: Spans::from_slice(&self.spans),
        }
    }
}

impl Ranges {
    pub fn empty() -> Self {
        Ranges {
            spans: Spans::new(),
        }
    }

    /// `lo..=hi`; empty when `lo > hi`.
    pub fn interval(lo: u128, hi: u128) -> Self {
        if lo > hi {
            return Ranges::empty();
        }
        Ranges {
            spans: smallvec::smallvec![(lo, hi)],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn intervals(&self) -> &[(u128, u128)] {
        &self.spans
    }

    /// How many members (saturating), for messages and tests only.
    pub fn len(&self) -> u128 {
        self.spans.iter().fold(0u128, |acc, (lo, hi)| {
            acc.saturating_add(hi - lo).saturating_add(1)
        })
    }

    pub fn contains(&self, v: u128) -> bool {
        let i = self.spans.partition_point(|&(_, hi)| hi < v);
        self.spans.get(i).is_some_and(|&(lo, _)| lo <= v)
    }

    /// Without allocating: asked for every route, rule and hop of every trace.
    pub fn is_subset(&self, other: &Ranges) -> bool {
        self.spans.iter().all(|&(lo, hi)| {
            // The span must lie in one interval of `other` (they are non-adjacent).
            let i = other.spans.partition_point(|&(_, o_hi)| o_hi < lo);
            other
                .spans
                .get(i)
                .is_some_and(|&(o_lo, o_hi)| o_lo <= lo && hi <= o_hi)
        })
    }

    /// Without allocating, like [`Self::is_subset`].
    pub fn intersects(&self, other: &Ranges) -> bool {
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
    pub fn intersects_interval(&self, lo: u128, hi: u128) -> bool {
        let i = self.spans.partition_point(|&(_, s_hi)| s_hi < lo);
        self.spans.get(i).is_some_and(|&(s_lo, _)| s_lo <= hi)
    }

    /// Both sets' intervals when each is one interval (a port range, a CIDR block): the
    /// common case, answered without the general loops below, whose output grows one push at
    /// a time.
    fn single_pair(&self, other: &Ranges) -> Option<((u128, u128), (u128, u128))> {
        match (self.spans.as_slice(), other.spans.as_slice()) {
            ([a], [b]) => Some((*a, *b)),
            _ => None,
        }
    }

    /// A merge of the two sorted lists, coalescing as it goes.
    pub fn union(&self, other: &Ranges) -> Ranges {
        if let Some(((a_lo, a_hi), (b_lo, b_hi))) = self.single_pair(other) {
            let (first, second) = if a_lo <= b_lo {
                ((a_lo, a_hi), (b_lo, b_hi))
            } else {
                ((b_lo, b_hi), (a_lo, a_hi))
            };
            if second.0 <= first.1.saturating_add(1) {
                return Ranges::interval(first.0, first.1.max(second.1));
            }
            return Ranges {
                spans: smallvec::smallvec![first, second],
            };
        }
        let (a, b) = (&self.spans, &other.spans);
        let mut out = Spans::new();
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
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        Ranges { spans: out }
    }

    pub fn intersection(&self, other: &Ranges) -> Ranges {
        if let Some(((a_lo, a_hi), (b_lo, b_hi))) = self.single_pair(other) {
            return Ranges::interval(a_lo.max(b_lo), a_hi.min(b_hi));
        }
        let (mut i, mut j) = (0, 0);
        let mut out = Spans::new();
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

    pub fn difference(&self, other: &Ranges) -> Ranges {
        if let Some(((a_lo, a_hi), (b_lo, b_hi))) = self.single_pair(other) {
            if b_hi < a_lo || a_hi < b_lo {
                return self.clone();
            }
            let mut out = Spans::new();
            if a_lo < b_lo {
                out.push((a_lo, b_lo - 1));
            }
            if b_hi < a_hi {
                out.push((b_hi + 1, a_hi));
            }
            return Ranges { spans: out };
        }
        let mut out = Spans::new();
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
                    out.push((cur, b_lo - 1));
                }
                if b_hi >= hi {
                    done = true;
                    break;
                }
                cur = cur.max(b_hi + 1);
                k += 1;
            }
            if !done && cur <= hi {
                out.push((cur, hi));
            }
        }
        Ranges { spans: out }
    }
}

impl fmt::Debug for Ranges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.spans.iter().map(|(lo, hi)| format!("{lo}-{hi}")))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(spans: &[(u128, u128)]) -> Ranges {
        spans.iter().fold(Ranges::empty(), |acc, &(lo, hi)| {
            acc.union(&Ranges::interval(lo, hi))
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
        let all = Ranges::interval(0, 65535);
        let d = all.difference(&r(&[(443, 443), (1024, 65535)]));
        assert_eq!(d.intervals(), &[(0, 442), (444, 1023)]);
        assert!(Ranges::interval(5, 5)
            .difference(&Ranges::interval(0, 10))
            .is_empty());
        assert_eq!(
            Ranges::interval(0, 10)
                .difference(&Ranges::interval(0, 0))
                .intervals(),
            &[(1, 10)]
        );
        assert_eq!(
            Ranges::interval(0, u128::MAX)
                .difference(&Ranges::interval(u128::MAX, u128::MAX))
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
                !a.intersection(&Ranges::interval(lo, lo + len)).is_empty()
            );
        }

        /// Union, intersection and difference (one interval each, the shortcut, or more)
        /// have the members of the same operations on the members, in canonical form:
        /// sorted, disjoint and non-adjacent.
        #[test]
        fn operations_agree_with_their_members(
            a in proptest::collection::vec((0u128..64, 0u128..8), 0..4),
            b in proptest::collection::vec((0u128..64, 0u128..8), 0..4),
        ) {
            use std::collections::BTreeSet;
            let set = |v: &[(u128, u128)]| r(&v.iter().map(|&(s, l)| (s, s + l)).collect::<Vec<_>>());
            let members = |x: &Ranges| -> BTreeSet<u128> {
                x.intervals().iter().flat_map(|&(lo, hi)| lo..=hi).collect()
            };
            let canonical = |x: &Ranges| {
                x.intervals().iter().all(|&(lo, hi)| lo <= hi)
                    && x.intervals().windows(2).all(|w| w[0].1.saturating_add(1) < w[1].0)
            };
            let (a, b) = (set(&a), set(&b));
            let (ma, mb) = (members(&a), members(&b));
            for (got, want) in [
                (a.union(&b), &ma | &mb),
                (a.intersection(&b), &ma & &mb),
                (a.difference(&b), &ma - &mb),
            ] {
                proptest::prop_assert!(canonical(&got), "{got:?}");
                proptest::prop_assert_eq!(members(&got), want);
            }
        }
    }
}
