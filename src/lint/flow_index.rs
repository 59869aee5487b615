//! Which intended flows pass where: built once per lint run from the flows' traces, so that a
//! rule asking "which flows does this NACL rule decide" or "what else goes through this NAT
//! gateway" looks at those flows only, not at every flow of the network (which made a lint
//! run quadratic in the network's size). Its maps hash with FxHash: building them is on the
//! critical path of a run, and the keys are not chosen by an adversary.

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use crate::flow::explain::Component;
use crate::flow::trace::{Leg, Trace};
use crate::flow::Reach;
use crate::ir::Origin;

/// Indices into the intended flows, in ascending order: as `u32`, and up to four held inline
/// (most lists are that short), as a lint run holds one list per component and rule
/// that flows pass.
type Flows = SmallVec<[u32; 4]>;

/// Indices into the lint context's intended flows (see [`Flows`]). Each map is built by the
/// first rule that asks for it: built together, the rule that asked first built all four
/// while a rule on the other core waited for the one it needed.
pub struct FlowIndex<'n> {
    /// The engine's answer for each flow, in order.
    reaches: Vec<Option<Arc<Reach<'n>>>>,
    /// Every flow with a hop (request or reply) decided by what is written at the origin.
    by_origin: OnceLock<HashMap<Origin, Flows>>,
    /// Every flow whose request passes the component (`nat_gateway shop.nat`).
    by_request_component: OnceLock<HashMap<Component<'n>, Flows>>,
    /// Every flow whose reply passes the component (`route_table shop.private`).
    by_reply_component: OnceLock<HashMap<Component<'n>, Flows>>,
}

impl<'n> FlowIndex<'n> {
    /// `reaches` gives the engine's answer for each flow, in order.
    pub fn new(reaches: impl Iterator<Item = Option<Arc<Reach<'n>>>>) -> Self {
        FlowIndex {
            reaches: reaches.collect(),
            by_origin: OnceLock::new(),
            by_request_component: OnceLock::new(),
            by_reply_component: OnceLock::new(),
        }
    }

    /// Leaks the answers it holds (see `LintContext::leave_answers`).
    pub fn leave_answers(&mut self) {
        for reach in std::mem::take(&mut self.reaches) {
            std::mem::forget(reach);
        }
    }

    /// A map of each key that a flow's hops give (`keys`) to the flows with such a hop.
    fn map_hops<K: std::hash::Hash + Eq>(
        &self,
        keys: impl Fn(&Trace<'n>, &mut dyn FnMut(K)),
    ) -> HashMap<K, Flows> {
        let mut map: HashMap<K, Flows> = HashMap::default();
        for (i, reach) in self.reaches.iter().enumerate() {
            let Some(reach) = reach else { continue };
            for trace in &reach.traces {
                keys(trace, &mut |key| push(map.entry(key).or_default(), i));
            }
        }
        map
    }

    fn by_origin(&self) -> &HashMap<Origin, Flows> {
        self.by_origin.get_or_init(|| {
            self.map_hops(|trace, add| {
                let hops = trace.request.iter().chain(trace.reply.iter());
                hops.filter_map(|hop| hop.origin).for_each(add);
            })
        })
    }

    fn by_component(&self, leg: Leg) -> &HashMap<Component<'n>, Flows> {
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
        indices(self.by_origin().get(&origin))
    }

    /// The flows through the component written `component` (`nat_gateway shop.nat`).
    pub fn through_component(&self, component: &str) -> impl Iterator<Item = usize> + '_ {
        indices(
            self.by_component(Leg::Request)
                .get(&Component::from(component)),
        )
    }

    /// The flows whose reply passes the component written `component`.
    pub fn reply_through_component(&self, component: &str) -> impl Iterator<Item = usize> + '_ {
        indices(
            self.by_component(Leg::Reply)
                .get(&Component::from(component)),
        )
    }
}

/// Adds flow `i` to a list, once (the flows come in order).
fn push(list: &mut Flows, i: usize) {
    let i = i as u32; // far fewer than 2^32 flows: one per workload, rule or listener
    if list.last() != Some(&i) {
        list.push(i);
    }
}

fn indices(list: Option<&Flows>) -> impl Iterator<Item = usize> + '_ {
    list.into_iter().flatten().map(|&i| i as usize)
}
