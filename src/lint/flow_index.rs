//! Which intended flows pass where: built once per lint run from the flows' traces, so that a
//! rule asking "which flows does this NACL rule decide" or "what else goes through this NAT
//! gateway" looks at those flows only, not at every flow of the network (which made a lint
//! run quadratic in the network's size). Its maps hash with FxHash: building them is on the
//! critical path of a run, and the keys are not chosen by an adversary.

use std::sync::{Arc, OnceLock};

use integer_encoding::VarInt;
use rustc_hash::FxHashMap as HashMap;

use crate::flow::explain::Component;
use crate::flow::trace::{Leg, Trace};
use crate::flow::Reach;
use crate::ir::Origin;

/// The flows (indices into the intended flows) with a key, for every key their hops give:
/// each key's flows, in ascending order, one run of a single list of bytes, each flow the gap
/// from the one before it (from 0 for the first) as a variable-length integer. A lint run
/// holds one run per component and rule that flows pass, about eight per flow on
/// `bench/shapes.py workloads 150`: a small vector of `u32` per key, grown by doubling, took
/// 41 bytes a flow there, and one list of `u32` 33. A key's flows are mostly near each other,
/// so most gaps take one or two bytes, not four: the run's peak went from 69.5 to 66.7 MiB,
/// and `sgmesh 50`'s from 102.3 to 96.8 (median of 3 in turn).
struct ByKey<K> {
    runs: HashMap<K, Run>,
    gaps: Vec<u8>,
}

/// Where a key's flows are in [`ByKey::gaps`] (bytes); while the runs are laid out, the last
/// flow counted or placed (a flow passes a key once however many of its hops have it).
#[derive(Clone, Copy)]
struct Run {
    start: u32,
    len: u32,
    last: u32,
}

/// No flow yet.
const NONE: u32 = u32::MAX;

impl Run {
    /// The gap from the run's last flow to flow `i`, a later one.
    fn gap_to(&self, i: u32) -> u32 {
        if self.last == NONE {
            i
        } else {
            i - self.last
        }
    }
}

impl<K: std::hash::Hash + Eq> ByKey<K> {
    /// The runs of the keys that `each_key` gives, which calls its argument with each key of
    /// each flow, the flows in ascending order. Laid out in two passes, one measuring each
    /// key's run and one writing it, so that the list is exactly as long as it must be.
    fn lay_out(each_key: impl Fn(&mut dyn FnMut(K, u32))) -> Self {
        let mut runs: HashMap<K, Run> = HashMap::default();
        each_key(&mut |key, i| {
            let run = runs.entry(key).or_insert(Run {
                start: 0,
                len: 0,
                last: NONE,
            });
            if run.last != i {
                run.len += run.gap_to(i).required_space() as u32;
                run.last = i;
            }
        });
        let mut total = 0u32;
        for run in runs.values_mut() {
            let len = run.len;
            *run = Run {
                start: total,
                len: 0,
                last: NONE,
            };
            total += len;
        }
        let mut gaps = vec![0u8; total as usize];
        each_key(&mut |key, i| {
            if let Some(run) = runs.get_mut(&key) {
                if run.last != i {
                    let at = (run.start + run.len) as usize;
                    let written = gaps
                        .get_mut(at..)
                        .map_or(0, |to| run.gap_to(i).encode_var(to));
                    run.len += written as u32;
                    run.last = i;
                }
            }
        });
        ByKey { runs, gaps }
    }

    /// The flows with `key`, in ascending order.
    fn flows_with<'a>(&'a self, key: &K) -> impl Iterator<Item = usize> + use<'a, K> {
        let run = self.runs.get(key);
        let range = run.map_or(0..0, |r| r.start as usize..(r.start + r.len) as usize);
        let mut gaps = &self.gaps[range];
        let mut flow = 0u32;
        std::iter::from_fn(move || {
            let (gap, read) = u32::decode_var(gaps)?;
            gaps = &gaps[read..];
            flow += gap;
            Some(flow as usize)
        })
    }
}

/// Indices into the lint context's intended flows (see [`ByKey`]). Each map is built by the
/// first rule that asks for it: built together, the rule that asked first built all four
/// while a rule on the other core waited for the one it needed.
pub struct FlowIndex<'n> {
    /// The engine's answer for each flow, in order.
    reaches: Vec<Option<Arc<Reach<'n>>>>,
    /// Every flow with a hop (request or reply) decided by what is written at the origin.
    by_origin: OnceLock<ByKey<Origin>>,
    /// Every flow whose request passes the component (`nat_gateway shop.nat`).
    by_request_component: OnceLock<ByKey<Component<'n>>>,
    /// Every flow whose reply passes the component (`route_table shop.private`).
    by_reply_component: OnceLock<ByKey<Component<'n>>>,
}

impl<'n> FlowIndex<'n> {
    /// `reaches` holds the engine's answer for each flow, in order.
    pub fn new(reaches: Vec<Option<Arc<Reach<'n>>>>) -> Self {
        FlowIndex {
            reaches,
            by_origin: OnceLock::new(),
            by_request_component: OnceLock::new(),
            by_reply_component: OnceLock::new(),
        }
    }

    /// The answer for flow `i` (`None` when it cannot be analysed).
    pub fn reach(&self, i: usize) -> Option<&Arc<Reach<'n>>> {
        self.reaches.get(i).and_then(Option::as_ref)
    }

    /// Leaks the answers it holds (see `LintContext::leave_answers`).
    pub fn leave_answers(&mut self) {
        for reach in std::mem::take(&mut self.reaches) {
            std::mem::forget(reach);
        }
    }

    /// The flows with each key that their hops give (`keys`).
    fn map_hops<K: std::hash::Hash + Eq>(
        &self,
        keys: impl Fn(&Trace<'n>, &mut dyn FnMut(K)),
    ) -> ByKey<K> {
        ByKey::lay_out(|visit| {
            for (i, reach) in self.reaches.iter().enumerate() {
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
        // 1 + 1 + 3 bytes for `a`, 1 + 2 for `b`.
        assert_eq!(index.gaps.len(), 8);
    }
}
