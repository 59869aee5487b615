//! A lint run's answers for its intended flows: one answer computed for each class of flows
//! that must be answered alike, and shared by the class.
//!
//! Most intended flows of a network whose groups admit other groups' members differ only in
//! which of several alike workloads they start or end at: `bench/shapes.py workloads 150`
//! has 344,827 intended flows, from 48 workloads per VPC that sit in four ways, and they fall
//! in 7,554 classes. A lint run's
//! answers do not name their ends (`Engine::reach_shared`), so the flows of two workloads of
//! the same kind, in the same subnets, with the same groups and addresses, get the same answer.
//! One flow per class is answered; the others take its answer, unless it drops packets: a
//! drop's words (a fix that names the workload) are the flow's own, so then each flow of the
//! class is answered.

use std::hash::BuildHasher;
use std::net::IpAddr;
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use super::{query_of, Answer};
use crate::flow::intent::{IntendedFlow, IntendedFlows};
use crate::flow::shared_hops::SharedHops;
use crate::flow::{Engine, Reach};
use crate::ir::{FlowEndpoint, Network, PortRange, Protocol, SecurityGroupId, SubnetId};
use crate::ir::{Workload, WorkloadKind};

/// Below this many queries, they are answered on this thread (threads would cost more than
/// they save).
const PARALLEL_MIN_QUERIES: usize = 64;

/// No class: the flow's answer is known already.
const KNOWN: u32 = u32::MAX;

/// The engine's answers for the intended flows: each distinct one once, and which is each
/// flow's (4 bytes a flow, where a pointer to it was 8).
pub struct FlowAnswers<'n> {
    of_flow: Vec<u32>,
    distinct: Vec<Answer<'n>>,
}

impl<'n> FlowAnswers<'n> {
    /// The answer for flow `i`.
    pub fn get(&self, i: usize) -> Option<&Arc<Reach<'n>>> {
        let at = *self.of_flow.get(i)?;
        self.distinct.get(at as usize)?.as_ref()
    }

    /// Each flow's answer, in order.
    pub fn each(&self) -> impl Iterator<Item = Option<&Arc<Reach<'n>>>> + '_ {
        (self.of_flow.iter()).map(|&at| self.distinct.get(at as usize).and_then(Option::as_ref))
    }

    /// Leaks the answers (see `LintContext::leave_answers`).
    pub fn leave(&mut self) {
        for answer in std::mem::take(&mut self.distinct) {
            std::mem::forget(answer);
        }
    }
}

/// The engine's answer for every intended flow. `known` holds the answers given already, by
/// the index of their flow (the `expect` lines' flows). Before the rules run: they ask for
/// them all (the flow index needs every one). On all cores where there are enough: the flows
/// are independent, and they are most of a lint run's own time.
pub(super) fn answer_all<'n>(
    engine: &Engine<'n>,
    flows: &IntendedFlows,
    mut known: HashMap<u32, Answer<'n>>,
) -> FlowAnswers<'n> {
    let alike = AlikeWorkloads::of(engine.net);
    let mut classes = Classes::of(&alike, flows, &known);
    let answer = |hops: &SharedHops<'n>, &i: &u32| {
        (engine.reach_shared(&query_of(&flows.flow(i as usize)), hops)).ok()
    };
    let class_answers = answer_each(&classes.firsts, answer);
    // The flows whose class's answer is not theirs too: it drops packets, or it is none.
    let own: Vec<u32> = (0..flows.len() as u32)
        .filter(|&i| {
            let class = classes.of_flow[i as usize];
            class != KNOWN
                && classes.firsts[class as usize] != i
                && !is_shareable(&class_answers[class as usize])
        })
        .collect();
    let own_answers = answer_each(&own, answer);
    let mut out = FlowAnswers {
        of_flow: std::mem::take(&mut classes.of_flow),
        distinct: class_answers,
    };
    let mut add = |i: u32, answer: Answer<'n>| {
        out.of_flow[i as usize] = out.distinct.len() as u32;
        out.distinct.push(answer);
    };
    own.into_iter()
        .zip(own_answers)
        .for_each(|(i, a)| add(i, a));
    let mut known: Vec<(u32, Answer<'n>)> = known.drain().collect();
    known.sort_unstable_by_key(|&(i, _)| i);
    known.into_iter().for_each(|(i, a)| add(i, a));
    out.distinct.shrink_to_fit();
    #[cfg(debug_assertions)]
    check_shared(engine, flows, &classes.firsts, &out);
    out
}

/// `work` for each item, on all cores where there are enough.
fn answer_each<'n>(
    items: &[u32],
    work: impl Fn(&SharedHops<'n>, &u32) -> Answer<'n> + Sync,
) -> Vec<Answer<'n>> {
    if items.len() < PARALLEL_MIN_QUERIES {
        let hops = SharedHops::default();
        items.iter().map(|i| work(&hops, i)).collect()
    } else {
        crate::parallel::map_on_all_cores(items, SharedHops::default, work)
    }
}

/// Whether an answer holds for every flow of its class: it names no end.
fn is_shareable(answer: &Answer) -> bool {
    answer.as_ref().is_some_and(|r| {
        r.traces
            .iter()
            .all(|t| t.drops.is_empty() && t.between.is_none())
    })
}

/// Every flow that took its class's answer would have been given an equal one of its own
/// (debug builds, so every lint test checks what the classes assume).
#[cfg(debug_assertions)]
fn check_shared(engine: &Engine, flows: &IntendedFlows, firsts: &[u32], out: &FlowAnswers) {
    let hops = SharedHops::default();
    for (i, flow) in flows.iter().enumerate() {
        let at = out.of_flow[i];
        if firsts
            .get(at as usize)
            .is_none_or(|&first| first as usize == i)
        {
            continue; // not a class's answer, or the flow it was computed for
        }
        let own = engine.reach_shared(&query_of(&flow), &hops).ok();
        let json =
            |a: Option<&Arc<Reach>>| serde_json::to_string(&a.map(|r| &**r)).unwrap_or_default();
        assert_eq!(
            json(own.as_ref()),
            json(out.get(i)),
            "flow {i} was given its class's answer, which is not its own"
        );
    }
}

/// For each workload, the first workload that sits as it does (itself if none before it).
struct AlikeWorkloads {
    first: Vec<u32>,
    /// Some two workloads sit alike.
    any: bool,
}

/// What the engine reads of a workload, but its name.
type Sitting<'w> = (
    WorkloadKind,
    &'w [SubnetId],
    &'w [SecurityGroupId],
    Option<IpAddr>,
    bool,
);

fn sitting(w: &Workload) -> Sitting<'_> {
    (
        w.kind,
        &w.subnets,
        &w.security_groups,
        w.private_ip,
        w.public_ip,
    )
}

impl AlikeWorkloads {
    fn of(net: &Network) -> Self {
        let mut firsts: HashMap<Sitting, u32> = HashMap::default();
        let first: Vec<u32> = (net.workloads.iter().enumerate())
            .map(|(i, w)| *firsts.entry(sitting(w)).or_insert(i as u32))
            .collect();
        let any = firsts.len() < first.len();
        AlikeWorkloads { first, any }
    }

    fn end<'f>(&self, end: &'f FlowEndpoint) -> ClassEnd<'f> {
        match end {
            FlowEndpoint::Workload(w) => ClassEnd::Workload(self.first[w.index()]),
            other => ClassEnd::Other(other),
        }
    }

    fn key<'f>(&self, flow: IntendedFlow<'f>) -> ClassKey<'f> {
        (
            self.end(flow.source),
            self.end(flow.destination),
            flow.protocol,
            flow.ports,
        )
    }
}

/// An end of a flow, up to alike workloads.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ClassEnd<'f> {
    Workload(u32),
    Other(&'f FlowEndpoint),
}

type ClassKey<'f> = (ClassEnd<'f>, ClassEnd<'f>, Protocol, PortRange);

/// The flows in classes of flows answered alike.
struct Classes {
    /// Each class's first flow.
    firsts: Vec<u32>,
    /// Each flow's class ([`KNOWN`] where its answer is known).
    of_flow: Vec<u32>,
}

impl Classes {
    fn of(alike: &AlikeWorkloads, flows: &IntendedFlows, known: &HashMap<u32, Answer>) -> Self {
        let mut firsts: Vec<u32> = Vec::new();
        let mut of_flow = Vec::with_capacity(flows.len());
        if !alike.any {
            // Each flow is a class of its own: two flows have different ends.
            for i in 0..flows.len() as u32 {
                if known.contains_key(&i) {
                    of_flow.push(KNOWN);
                } else {
                    of_flow.push(firsts.len() as u32);
                    firsts.push(i);
                }
            }
            return Classes { firsts, of_flow };
        }
        let mut table: HashTable<u32> = HashTable::new();
        let key_of_class =
            |firsts: &[u32], class: u32| alike.key(flows.flow(firsts[class as usize] as usize));
        for (i, flow) in flows.iter().enumerate() {
            if known.contains_key(&(i as u32)) {
                of_flow.push(KNOWN);
                continue;
            }
            let key = alike.key(flow);
            let hash = FxBuildHasher.hash_one(key);
            let found = table.find(hash, |&c| key_of_class(&firsts, c) == key);
            let class = match found {
                Some(&class) => class,
                None => {
                    let class = firsts.len() as u32;
                    firsts.push(i as u32);
                    let rehash = |&c: &u32| FxBuildHasher.hash_one(key_of_class(&firsts, c));
                    table.insert_unique(hash, class, rehash);
                    class
                }
            };
            of_flow.push(class);
        }
        Classes { firsts, of_flow }
    }
}
