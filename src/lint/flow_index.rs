//! Which intended flows pass where: built once per lint run from the flows' traces, so that a
//! rule asking "which flows does this NACL rule decide" or "what else goes through this NAT
//! gateway" looks at those flows only, not at every flow of the network (which made a lint
//! run quadratic in the network's size). Its maps hash with FxHash: building them is on the
//! critical path of a run, and the keys are not chosen by an adversary.

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use crate::flow::explain::Component;
use crate::flow::{Query, Reach};
use crate::ir::Origin;

/// Indices into the intended flows, in ascending order: as `u32`, and up to four held inline
/// (most lists are that short), as a lint run holds one list per query, component and rule
/// that flows pass.
type Flows = SmallVec<[u32; 4]>;

/// Indices into the lint context's intended flows (see [`Flows`]).
#[derive(Default)]
pub struct FlowIndex<'n> {
    /// The flows of each query (flows with the same query and different reasons are apart).
    by_query: HashMap<Query, Flows>,
    /// Every flow with a hop (request or reply) decided by what is written at the origin.
    by_origin: HashMap<Origin, Flows>,
    /// Every flow whose request passes the component (`nat_gateway shop.nat`).
    by_request_component: HashMap<Component<'n>, Flows>,
    /// Every flow whose reply passes the component (`route_table shop.private`).
    by_reply_component: HashMap<Component<'n>, Flows>,
}

impl<'n> FlowIndex<'n> {
    /// `flows` gives each flow's query and the engine's answer for it, in order.
    pub fn new<'r>(flows: impl Iterator<Item = (Query, Option<&'r Reach<'n>>)>) -> Self
    where
        'n: 'r,
    {
        let mut index = FlowIndex::default();
        let push = |list: &mut Flows, i: u32| {
            if list.last() != Some(&i) {
                list.push(i);
            }
        };
        for (i, (query, reach)) in flows.enumerate() {
            let i = i as u32; // far fewer than 2^32 flows: one per workload, rule or listener
            index.by_query.entry(query).or_default().push(i);
            let Some(reach) = reach else { continue };
            for trace in &reach.traces {
                for (hops, by_component) in [
                    (&trace.request, &mut index.by_request_component),
                    (&trace.reply, &mut index.by_reply_component),
                ] {
                    for hop in hops {
                        // Cloning a component copies a name reference (a text is rare).
                        push(by_component.entry(hop.component.clone()).or_default(), i);
                    }
                }
                for hop in trace.request.iter().chain(&trace.reply) {
                    if let Some(origin) = hop.origin {
                        push(index.by_origin.entry(origin).or_default(), i);
                    }
                }
            }
        }
        index
    }

    /// The flows asking `query`.
    pub fn of_query(&self, query: &Query) -> impl Iterator<Item = usize> + '_ {
        indices(self.by_query.get(query))
    }

    pub fn at_origin(&self, origin: Origin) -> impl Iterator<Item = usize> + '_ {
        indices(self.by_origin.get(&origin))
    }

    /// The flows through the component written `component` (`nat_gateway shop.nat`).
    pub fn through_component(&self, component: &str) -> impl Iterator<Item = usize> + '_ {
        indices(self.by_request_component.get(&Component::from(component)))
    }

    /// The flows whose reply passes the component written `component`.
    pub fn reply_through_component(&self, component: &str) -> impl Iterator<Item = usize> + '_ {
        indices(self.by_reply_component.get(&Component::from(component)))
    }
}

fn indices(list: Option<&Flows>) -> impl Iterator<Item = usize> + '_ {
    list.into_iter().flatten().map(|&i| i as usize)
}
