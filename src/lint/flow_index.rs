//! Which intended flows pass where: built once per lint run from the flows' traces, so that a
//! rule asking "which flows does this NACL rule decide" or "what else goes through this NAT
//! gateway" looks at those flows only, not at every flow of the network (which made a lint
//! run quadratic in the network's size). Its maps hash with FxHash: building them is on the
//! critical path of a run, and the keys are not chosen by an adversary.

use std::sync::{Arc, OnceLock};

use integer_encoding::VarInt;
use rustc_hash::FxHashMap as HashMap;

use super::answers::FlowAnswers;
use crate::flow::explain::Component;
use crate::flow::trace::{Leg, Trace};
use crate::flow::Reach;
use crate::ir::Origin;

/// The flows (indices into the intended flows) with a key, for every key their hops give:
/// each key's flows, in ascending order, one run of a single list of bytes. A lint run holds
/// one run per component and rule that flows pass, about eight per flow on
/// `bench/shapes.py workloads 150`: a small vector of `u32` per key, grown by doubling, took
/// 41 bytes a flow there, and one list of `u32` 33.
///
/// A run is a list of groups of consecutive flows, each a variable-length integer
/// (`integer-encoding`): the gap from the group before it (from flow 0 for the first),
/// shifted left by one, with the low bit set when a second integer follows, the number of
/// flows in the group after its first. A key's flows are mostly near each other, so a gap
/// takes one or two bytes, not four; and the flows of alike workloads are mostly consecutive
/// (a group's members, one after another, to the same destination), so most of them are in
/// groups: on `workloads 150`, 2.32 of the 2.88 million entries were one after the one before,
/// and the lists went from 2.90 to 0.69 MB.
struct ByKey<K> {
    runs: HashMap<K, Run>,
    gaps: Vec<u8>,
}

/// Where a key's flows are in [`ByKey::gaps`] (bytes); while the runs are laid out, the group
/// not yet written (its first flow and how many follow it) and the last flow of the group
/// before it.
#[derive(Clone, Copy)]
struct Run {
    start: u32,
    len: u32,
    /// The last flow of the groups written, or [`NONE`].
    last: u32,
    /// The first flow of the group not yet written, or [`NONE`].
    first: u32,
    /// How many flows follow `first` in its group.
    more: u32,
}

/// No flow yet.
const NONE: u32 = u32::MAX;

impl Run {
    fn new() -> Self {
        Run {
            start: 0,
            len: 0,
            last: NONE,
            first: NONE,
            more: 0,
        }
    }

    /// The flow last added.
    fn latest(&self) -> u32 {
        if self.first == NONE {
            self.last
        } else {
            self.first + self.more
        }
    }

    /// Adds flow `i`, not before the latest: extends the group not yet written, or hands it
    /// to `write` (its integers) and starts another.
    fn add(&mut self, i: u32, write: &mut impl FnMut(&mut Run, u64)) {
        if self.latest() == i {
            return; // a flow passes a key once however many of its hops have it
        }
        if self.first != NONE && i == self.first + self.more + 1 {
            self.more += 1;
            return;
        }
        self.flush(write);
        self.first = i;
    }

    /// Hands the group not yet written to `write`.
    fn flush(&mut self, write: &mut impl FnMut(&mut Run, u64)) {
        if self.first == NONE {
            return;
        }
        let gap = u64::from(if self.last == NONE {
            self.first
        } else {
            self.first - self.last
        });
        let (first, more) = (self.first, self.more);
        if more == 0 {
            write(self, gap << 1);
        } else {
            write(self, (gap << 1) | 1);
            write(self, u64::from(more));
        }
        self.last = first + more;
        self.first = NONE;
        self.more = 0;
    }
}

impl<K: std::hash::Hash + Eq> ByKey<K> {
    /// The runs of the keys that `each_key` gives, which calls its argument with each key of
    /// each flow, the flows in ascending order. Laid out in two passes, one measuring each
    /// key's run and one writing it, so that the list is exactly as long as it must be.
    fn lay_out(each_key: impl Fn(&mut dyn FnMut(K, u32))) -> Self {
        let mut runs: HashMap<K, Run> = HashMap::default();
        let mut measure = |run: &mut Run, n: u64| run.len += n.required_space() as u32;
        each_key(&mut |key, i| {
            runs.entry(key)
                .or_insert_with(Run::new)
                .add(i, &mut measure)
        });
        let mut total = 0u32;
        for run in runs.values_mut() {
            run.flush(&mut measure);
            let len = run.len;
            *run = Run {
                start: total,
                ..Run::new()
            };
            total += len;
        }
        let mut gaps = vec![0u8; total as usize];
        let mut write = |run: &mut Run, n: u64| {
            let at = (run.start + run.len) as usize;
            let written = gaps.get_mut(at..).map_or(0, |to| n.encode_var(to));
            run.len += written as u32;
        };
        each_key(&mut |key, i| {
            if let Some(run) = runs.get_mut(&key) {
                run.add(i, &mut write);
            }
        });
        for run in runs.values_mut() {
            run.flush(&mut write);
        }
        ByKey { runs, gaps }
    }

    /// The flows with `key`, in ascending order.
    fn flows_with<'a>(&'a self, key: &K) -> impl Iterator<Item = usize> + use<'a, K> {
        let run = self.runs.get(key);
        let range = run.map_or(0..0, |r| r.start as usize..(r.start + r.len) as usize);
        let mut gaps = &self.gaps[range];
        let mut next = 0u64;
        let mut group = 0u64..0;
        std::iter::from_fn(move || {
            if let Some(flow) = group.next() {
                return Some(flow as usize);
            }
            let (n, read) = u64::decode_var(gaps)?;
            gaps = &gaps[read..];
            let mut more = 0;
            if n & 1 == 1 {
                let (m, read) = u64::decode_var(gaps)?;
                gaps = &gaps[read..];
                more = m;
            }
            let first = next + (n >> 1);
            group = first + 1..first + 1 + more;
            next = first + more;
            Some(first as usize)
        })
    }
}

/// Indices into the lint context's intended flows (see [`ByKey`]). Each map is built by the
/// first rule that asks for it: built together, the rule that asked first built all four
/// while a rule on the other core waited for the one it needed.
pub struct FlowIndex<'n> {
    /// The engine's answer for each flow, in order.
    reaches: FlowAnswers<'n>,
    /// Every flow with a hop (request or reply) decided by what is written at the origin.
    by_origin: OnceLock<ByKey<Origin>>,
    /// Every flow whose request passes the component (`nat_gateway shop.nat`).
    by_request_component: OnceLock<ByKey<Component<'n>>>,
    /// Every flow whose reply passes the component (`route_table shop.private`).
    by_reply_component: OnceLock<ByKey<Component<'n>>>,
}

impl<'n> FlowIndex<'n> {
    /// `reaches` holds the engine's answer for each flow, in order.
    pub fn new(reaches: FlowAnswers<'n>) -> Self {
        FlowIndex {
            reaches,
            by_origin: OnceLock::new(),
            by_request_component: OnceLock::new(),
            by_reply_component: OnceLock::new(),
        }
    }

    /// The answer for flow `i` (`None` when it cannot be analysed).
    pub fn reach(&self, i: usize) -> Option<&Arc<Reach<'n>>> {
        self.reaches.get(i)
    }

    /// Leaks the answers it holds (see `LintContext::leave_answers`).
    pub fn leave_answers(&mut self) {
        self.reaches.leave();
    }

    /// The flows with each key that their hops give (`keys`).
    fn map_hops<K: std::hash::Hash + Eq>(
        &self,
        keys: impl Fn(&Trace<'n>, &mut dyn FnMut(K)),
    ) -> ByKey<K> {
        ByKey::lay_out(|visit| {
            for (i, reach) in self.reaches.each().enumerate() {
                let Some(reach) = reach else { continue };
                let i = i as u32; // far fewer than 2^32 flows: one per workload, rule or listener
                for trace in &reach.traces {
                    keys(trace, &mut |key| visit(key, i));
                }
            }
        })
    }

    fn by_origin(&self) -> &ByKey<Origin> {
        self.by_origin.get_or_init(|| {
            self.map_hops(|trace, add| {
                let hops = trace.request.iter().chain(trace.reply.iter());
                hops.filter_map(|hop| hop.origin).for_each(add);
            })
        })
    }

    fn by_component(&self, leg: Leg) -> &ByKey<Component<'n>> {
        let map = match leg {
            Leg::Request => &self.by_request_component,
            Leg::Reply => &self.by_reply_component,
        };
        // Cloning a component copies a name reference (a text is rare).
        map.get_or_init(|| {
            self.map_hops(|trace, add| {
                let hops = trace.hops(leg).iter();
                hops.for_each(|hop| add(hop.component.clone()));
            })
        })
    }

    pub fn at_origin(&self, origin: Origin) -> impl Iterator<Item = usize> + '_ {
        self.by_origin().flows_with(&origin)
    }

    /// The flows through the component written `component` (`nat_gateway shop.nat`).
    pub fn through_component(&self, component: &str) -> impl Iterator<Item = usize> + '_ {
        (self.by_component(Leg::Request)).flows_with(&Component::from(component))
    }

    /// The flows whose reply passes the component written `component`.
    pub fn reply_through_component(&self, component: &str) -> impl Iterator<Item = usize> + '_ {
        (self.by_component(Leg::Reply)).flows_with(&Component::from(component))
    }
}

#[cfg(test)]
mod tests {
    use super::ByKey;

    #[test]
    fn each_key_gives_its_flows_once_in_order() {
        let visits = [
            ("a", 0),
            ("a", 0),
            ("b", 0),
            ("a", 3),
            ("b", 200),
            ("a", 100_000),
        ];
        let index = ByKey::lay_out(|visit| visits.iter().for_each(|&(k, i)| visit(k, i)));
        let flows = |key| index.flows_with(&key).collect::<Vec<_>>();
        assert_eq!(flows("a"), [0, 3, 100_000]);
        assert_eq!(flows("b"), [0, 200]);
        assert_eq!(flows("c"), [] as [usize; 0]);
        // 1 + 1 + 3 bytes for `a` (0, then gaps of 3 and 99,997 shifted left), 1 + 2 for `b`.
        assert_eq!(index.gaps.len(), 8);
    }

    #[test]
    fn consecutive_flows_are_one_group() {
        let flows: [u32; 10] = [0, 1, 2, 3, 7, 9, 10, 11, 300, 301];
        let index = ByKey::lay_out(|visit| flows.iter().for_each(|&i| visit("k", i)));
        let read: Vec<u32> = index.flows_with(&"k").map(|i| i as u32).collect();
        assert_eq!(read, flows);
        // (0, 3 more): 2 bytes; 7: 1; (9, 2 more): 2; (300, 1 more): 2 + 1.
        assert_eq!(index.gaps.len(), 8);
    }

    proptest::proptest! {
        /// Each key gives back the flows visited with it, once each, in order.
        #[test]
        fn a_key_gives_back_its_flows(
            steps in proptest::collection::vec((0u8..4, 0u32..3, proptest::bool::ANY), 0..400),
        ) {
            // Each step moves to the next flow or stays (several keys and hops per flow).
            let mut visits = Vec::new();
            let mut flow = 0u32;
            for (key, advance, big) in steps {
                flow += if big { advance * 1000 } else { advance };
                visits.push((key, flow));
            }
            let index = ByKey::lay_out(|visit| visits.iter().for_each(|&(k, i)| visit(k, i)));
            for key in 0u8..4 {
                let mut want: Vec<usize> = (visits.iter())
                    .filter(|&&(k, _)| k == key)
                    .map(|&(_, i)| i as usize)
                    .collect();
                want.dedup();
                let got: Vec<usize> = index.flows_with(&key).collect();
                proptest::prop_assert_eq!(got, want);
            }
        }
    }
}
