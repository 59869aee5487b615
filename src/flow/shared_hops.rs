//! One copy of each distinct hop, shared by the traces that pass it. A lint run keeps the
//! traces of every intended flow, and most of their hops are hops of other traces too: the
//! same component deciding by the same rule. On the hub and spoke benchmark network, 51,437
//! hops held 10,860 distinct ones: copied into each trace, they were 3.7 MB of a 17 MB heap.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use super::explain::{Component, Note};
use super::trace::Hop;

/// The distinct hops of the traces one thread has walked so far. One per thread: shared by
/// the threads of a lint run behind a lock, the lookups made the two cores wait for each other
/// (12% slower on hub-spoke 100).
#[derive(Default)]
pub struct SharedHops<'n> {
    /// Each copy with its hash: growing the table then reads no hop again (about 6 ms of a
    /// 400 ms run on the 500-spoke network).
    table: RefCell<HashTable<(u64, Arc<Hop<'n>>)>>,
}

impl<'n> SharedHops<'n> {
    /// The shared copy of `hop`.
    pub fn share(&self, hop: Hop<'n>) -> Arc<Hop<'n>> {
        let mut table = self.table.borrow_mut();
        let hash = hash_of(&hop);
        let entry = table.entry(hash, |(h, s)| *h == hash && same(s, &hop), |(h, _)| *h);
        let (_, shared) = entry.or_insert_with(|| (hash, Arc::new(hop))).into_mut();
        Arc::clone(shared)
    }
}

fn hash_of(hop: &Hop) -> u64 {
    let mut h = FxHasher::default();
    match &hop.component {
        Component::Item { kind, name, side } => {
            (
                *kind as u8,
                std::ptr::from_ref(*name),
                side.map(|s| s as u8),
            )
                .hash(&mut h);
        }
        Component::Text(text) => text.hash(&mut h),
    }
    hop.decision.hash(&mut h);
    hop.ports.hash(&mut h);
    hop.origin.hash(&mut h);
    std::mem::discriminant(&hop.rule).hash(&mut h);
    match &hop.rule {
        Note::Text(text) => text.hash(&mut h),
        Note::Static(text) => text.hash(&mut h),
        Note::NaclRule(rule, direction) => (std::ptr::from_ref(*rule), direction).hash(&mut h),
        Note::SgRule(_, rule, direction) => (std::ptr::from_ref(*rule), direction).hash(&mut h),
        Note::Route(_, route) => std::ptr::from_ref(*route).hash(&mut h),
        Note::TgwRoute(_, route) => std::ptr::from_ref(*route).hash(&mut h),
        Note::TgwEntry(subnet) => std::ptr::from_ref(*subnet).hash(&mut h),
        Note::NaclDenied(drop) | Note::NaclFix(drop) => Arc::as_ptr(drop).hash(&mut h),
        Note::SgDenied(drop) | Note::SgFix(drop) => Arc::as_ptr(drop).hash(&mut h),
    }
    h.finish()
}

/// Whether two hops are the same hop: the same component and rule of the network (by address:
/// an engine walks one network, and comparing names' texts was most of the cost of sharing),
/// words or drop, and equal decisions, ports and origins.
fn same(a: &Hop, b: &Hop) -> bool {
    let same_rule = match (&a.rule, &b.rule) {
        (Note::Text(x), Note::Text(y)) => x == y,
        (Note::Static(x), Note::Static(y)) => x == y,
        (Note::NaclRule(x, d), Note::NaclRule(y, e)) => std::ptr::eq(*x, *y) && d == e,
        (Note::SgRule(_, x, d), Note::SgRule(_, y, e)) => std::ptr::eq(*x, *y) && d == e,
        (Note::Route(_, x), Note::Route(_, y)) => std::ptr::eq(*x, *y),
        (Note::TgwRoute(_, x), Note::TgwRoute(_, y)) => std::ptr::eq(*x, *y),
        (Note::TgwEntry(x), Note::TgwEntry(y)) => std::ptr::eq(*x, *y),
        (Note::NaclDenied(x), Note::NaclDenied(y)) | (Note::NaclFix(x), Note::NaclFix(y)) => {
            Arc::ptr_eq(x, y)
        }
        (Note::SgDenied(x), Note::SgDenied(y)) | (Note::SgFix(x), Note::SgFix(y)) => {
            Arc::ptr_eq(x, y)
        }
        _ => false,
    };
    let same_component = match (&a.component, &b.component) {
        (
            Component::Item { kind, name, side },
            Component::Item {
                kind: k,
                name: n,
                side: s,
            },
        ) => kind == k && std::ptr::eq(*name, *n) && side == s,
        (Component::Text(x), Component::Text(y)) => x == y,
        _ => false,
    };
    same_rule
        && same_component
        && a.decision == b.decision
        && a.ports == b.ports
        && a.origin == b.origin
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::trace::{Decision, HopPorts};

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
    fn hops_that_differ_in_anything_are_apart() {
        let shared = SharedHops::default();
        let first = shared.share(hop("nacl shop.acl inbound", Decision::Allow, "rule 100"));
        let others = [
            hop("nacl shop.acl outbound", Decision::Allow, "rule 100"),
            hop("nacl shop.acl inbound", Decision::Deny, "rule 100"),
            hop("nacl shop.acl inbound", Decision::Allow, "rule 110"),
            Hop {
                ports: HopPorts::Range(443, 443),
                ..hop("nacl shop.acl inbound", Decision::Allow, "rule 100")
            },
        ];
        for other in others {
            let other = shared.share(other);
            assert!(!Arc::ptr_eq(&first, &other), "{other:?}");
        }
    }
}
