//! One copy of each distinct hop, shared by the traces that pass it. A lint run keeps the
//! traces of every intended flow, and most of their hops are hops of other traces too: the
//! same component deciding by the same rule. On the hub and spoke benchmark network, 51,437
//! hops held 10,860 distinct ones: copied into each trace, they were 3.7 MB of a 17 MB heap.
//!
//! Whole legs and the ends' labels are shared the same way: the flows of workloads that share
//! a subnet and groups pass the same hops in the same order, and a network whose intended
//! flows outnumber its lines many times over (a group that admits another group's hundred
//! members) kept a list of hops and a label for each (17.5 MB of `workloads 30`'s 94 MB heap).
//! So are whole answers that do not name their ends (a lint run's): `workloads 150` has
//! 344,827 intended flows, most of whose answers are equal, and sharing them took its peak
//! from 155.3 to 85.0 MiB.

use std::cell::RefCell;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use smallvec::SmallVec;

use super::explain::{Component, Note};
use super::reach::Reach;
use super::trace::{CompactPorts, Decision, Hop, HopPorts, Outcome, Trace};
use crate::ir::{Origin, SubnetId};

/// The distinct hops of the traces one thread has walked so far. One per thread: shared by
/// the threads of a lint run behind a lock, the lookups made the two cores wait for each other
/// (12% slower on hub-spoke 100).
#[derive(Default)]
pub struct SharedHops<'n> {
    /// Each copy with its hash: growing the table then reads no hop again (about 6 ms of a
    /// 400 ms run on the 500-spoke network).
    table: RefCell<HashTable<(u64, Arc<Hop<'n>>)>>,
    /// Each distinct leg, with its hash.
    legs: RefCell<HashTable<(u64, Hops<'n>)>>,
    /// Each distinct label of a trace's end, with its hash.
    labels: RefCell<HashTable<(u64, Label)>>,
    /// Each distinct answer without names or drops, with its hash.
    answers: RefCell<HashTable<(u64, Arc<Reach<'n>>)>>,
}

/// A leg's hops in order, each a shared copy: itself shared by the traces that pass them. Boxed
/// behind the `Arc` so that a trace holds a thin pointer (8 bytes, not 16, for each of two
/// legs of every trace a lint run keeps).
pub type Hops<'n> = Arc<Box<[Arc<Hop<'n>>]>>;

/// A label of a trace's end, shared like a leg (and boxed for the same reason).
pub type Label = Arc<Box<str>>;

impl<'n> SharedHops<'n> {
    /// The shared copy of `hop`.
    pub fn share(&self, hop: Hop<'n>) -> Arc<Hop<'n>> {
        let mut table = self.table.borrow_mut();
        let identity = Identity::of(&hop);
        let hash = FxBuildHasher.hash_one(&identity);
        let same =
            |(h, shared): &(u64, Arc<Hop<'n>>)| *h == hash && Identity::of(shared) == identity;
        let entry = table.entry(hash, same, |(h, _)| *h);
        let (_, shared) = entry.or_insert_with(|| (hash, Arc::new(hop))).into_mut();
        Arc::clone(shared)
    }

    /// The shared copy of a leg of hops shared by [`Self::share`] (compared by address).
    pub fn share_leg(&self, hops: Vec<Arc<Hop<'n>>>) -> Hops<'n> {
        let mut legs = self.legs.borrow_mut();
        let mut hasher = FxBuildHasher.build_hasher();
        hops.iter()
            .for_each(|hop| Arc::as_ptr(hop).hash(&mut hasher));
        let hash = hasher.finish();
        let same = |(h, shared): &(u64, Hops<'n>)| {
            *h == hash
                && shared.len() == hops.len()
                && shared.iter().zip(&hops).all(|(a, b)| Arc::ptr_eq(a, b))
        };
        let entry = legs.entry(hash, same, |(h, _)| *h);
        let (_, shared) = entry
            .or_insert_with(|| (hash, Arc::new(hops.into_boxed_slice())))
            .into_mut();
        Arc::clone(shared)
    }

    /// The shared copy of the label that joins `parts` (`instance shop.api`, ` in subnet `,
    /// `shop.app`).
    pub fn share_label(&self, parts: [&str; 3]) -> Label {
        let mut labels = self.labels.borrow_mut();
        let mut hasher = FxBuildHasher.build_hasher();
        parts.iter().for_each(|part| part.hash(&mut hasher));
        let hash = hasher.finish();
        let same = |(h, shared): &(u64, Label)| *h == hash && is_joined(shared, parts);
        let entry = labels.entry(hash, same, |(h, _)| *h);
        let (_, shared) = entry
            .or_insert_with(|| (hash, Arc::new(parts.concat().into_boxed_str())))
            .into_mut();
        Arc::clone(shared)
    }

    /// The shared copy of an answer whose legs this table shares (compared by address). An
    /// answer that names its ends, or drops packets, is its flow's own: two flows' drops are
    /// told apart by their words, and are few.
    pub fn share_reach(&self, reach: Reach<'n>) -> Arc<Reach<'n>> {
        let shareable = |t: &Trace| t.between.is_none() && t.drops.is_empty();
        if !reach.traces.iter().all(shareable) {
            return Arc::new(reach);
        }
        let mut answers = self.answers.borrow_mut();
        let hash = FxBuildHasher.hash_one(AnswerIdentity::of(&reach));
        // The identity is rebuilt for each comparison: held across the lookup, its borrow of
        // `reach` would outlive the move into the table.
        let same = |(h, shared): &(u64, Arc<Reach<'n>>)| {
            *h == hash && AnswerIdentity::of(shared) == AnswerIdentity::of(&reach)
        };
        let entry = answers.entry(hash, same, |(h, _)| *h);
        let (_, shared) = entry.or_insert_with(|| (hash, Arc::new(reach))).into_mut();
        Arc::clone(shared)
    }
}

/// What makes two answers without names or drops the same: their verdicts, and each trace's
/// verdict, subnets, delivered ports and legs (compared by address).
#[derive(PartialEq, Eq, Hash)]
struct AnswerIdentity<'r> {
    verdicts: (Outcome, Outcome, bool),
    traces: SmallVec<[TraceIdentity<'r>; 2]>,
}

#[derive(PartialEq, Eq, Hash)]
struct TraceIdentity<'r> {
    outcome: Outcome,
    subnets: [Option<SubnetId>; 2],
    legs: [usize; 2],
    delivered: &'r CompactPorts,
}

impl<'r> AnswerIdentity<'r> {
    fn of(reach: &'r Reach) -> Self {
        let leg = |hops: &Hops| Arc::as_ptr(hops) as usize;
        AnswerIdentity {
            verdicts: (reach.outcome, reach.outcome_for_some, reach.delivered_any),
            traces: (reach.traces.iter())
                .map(|t| TraceIdentity {
                    outcome: t.outcome,
                    subnets: t.subnets,
                    legs: [leg(&t.request), leg(&t.reply)],
                    delivered: &t.delivered,
                })
                .collect(),
        }
    }
}

/// `text` is `parts` joined.
fn is_joined(text: &str, parts: [&str; 3]) -> bool {
    let mut rest = text;
    for part in parts {
        match rest.strip_prefix(part) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

/// What makes two hops the same hop: the same component and rule of the network, compared by
/// address (an engine walks one network, and comparing names' texts was most of the cost of
/// sharing), or the same words; and equal decisions, ports and origins.
#[derive(PartialEq, Eq, Hash)]
struct Identity<'h> {
    component: Key<'h>,
    rule: (u8, Key<'h>),
    decision: Decision,
    ports: &'h HopPorts,
    origin: Option<Origin>,
}

/// Words, or the address of an item of the network (or of a drop) with up to two small
/// qualifiers (a kind, a side, a direction).
#[derive(PartialEq, Eq, Hash)]
enum Key<'h> {
    Words(&'h str),
    At(usize, u8, u8),
}

impl<'h> Identity<'h> {
    fn of(hop: &'h Hop) -> Self {
        fn at<T>(item: &T, a: u8, b: u8) -> Key<'_> {
            Key::At(std::ptr::from_ref(item) as usize, a, b)
        }
        let component = match &hop.component {
            Component::Item { kind, name, side } => {
                at(*name, *kind as u8, side.map_or(0, |s| s as u8 + 1))
            }
            Component::Text(text) => Key::Words(text),
        };
        // Each kind of rule numbered: the same drop is both a denial's note and a fix's.
        let rule = match &hop.rule {
            Note::Text(text) => (0, Key::Words(text)),
            Note::Static(text) => (1, Key::Words(text)),
            Note::NaclRule(rule, direction) => (2, at(*rule, *direction as u8, 0)),
            Note::SgRule(_, rule, direction) => (3, at(*rule, *direction as u8, 0)),
            Note::Route(_, route) => (4, at(*route, 0, 0)),
            Note::TgwRoute(_, route) => (5, at(*route, 0, 0)),
            Note::TgwEntry(subnet) => (6, at(*subnet, 0, 0)),
            Note::NaclDenied(drop) => (7, at(&**drop, 0, 0)),
            Note::NaclFix(drop) => (8, at(&**drop, 0, 0)),
            Note::SgDenied(drop) => (9, at(&**drop, 0, 0)),
            Note::SgFix(drop) => (10, at(&**drop, 0, 0)),
        };
        Identity {
            component,
            rule,
            decision: hop.decision,
            ports: &hop.ports,
            origin: hop.origin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::trace::CompactPorts;

    fn hop(component: &str, decision: Decision, rule: &'static str) -> Hop<'static> {
        Hop {
            component: Component::from(component),
            decision,
            rule: Note::Static(rule),
            ports: HopPorts::Every,
            origin: None,
        }
    }

    #[test]
    fn the_same_hop_is_one_copy() {
        let shared = SharedHops::default();
        let a = shared.share(hop("nacl shop.acl inbound", Decision::Allow, "rule 100"));
        let b = shared.share(hop("nacl shop.acl inbound", Decision::Allow, "rule 100"));
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn the_same_leg_and_label_are_one_copy() {
        let shared = SharedHops::default();
        let a = shared.share(hop("nacl shop.acl inbound", Decision::Allow, "rule 100"));
        let b = shared.share(hop("route_table shop.rt", Decision::Forward, "local"));
        let leg = shared.share_leg(vec![a.clone(), b.clone()]);
        assert!(Arc::ptr_eq(
            &leg,
            &shared.share_leg(vec![a.clone(), b.clone()])
        ));
        assert!(!Arc::ptr_eq(&leg, &shared.share_leg(vec![b, a])));
        let label = shared.share_label(["instance shop.api", " in subnet ", "shop.app"]);
        assert_eq!(&**label, "instance shop.api in subnet shop.app");
        let again = shared.share_label(["instance shop.api", " in subnet ", "shop.app"]);
        assert!(Arc::ptr_eq(&label, &again));
        let other = shared.share_label(["instance shop.api", "", ""]);
        assert_eq!(&**other, "instance shop.api");
        assert!(super::is_joined(
            &label,
            ["instance shop.ap", "i in subnet ", "shop.app"]
        ));
        assert!(!super::is_joined(
            &label,
            ["instance shop.api", " in subnet ", "shop.ap"]
        ));
    }

    #[test]
    fn hops_that_differ_in_anything_are_apart() {
        let shared = SharedHops::default();
        let first = shared.share(hop("nacl shop.acl inbound", Decision::Allow, "rule 100"));
        let others = [
            hop("nacl shop.acl outbound", Decision::Allow, "rule 100"),
            hop("nacl shop.acl inbound", Decision::Deny, "rule 100"),
            hop("nacl shop.acl inbound", Decision::Allow, "rule 110"),
            Hop {
                ports: HopPorts::Some(CompactPorts::Range(443, 443)),
                ..hop("nacl shop.acl inbound", Decision::Allow, "rule 100")
            },
        ];
        for other in others {
            let other = shared.share(other);
            assert!(!Arc::ptr_eq(&first, &other), "{other:?}");
        }
    }
}
