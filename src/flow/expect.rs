//! `expect SRC -> DST PROTO PORTS allowed|denied`, checked by the engine: `allowed` is
//! violated when the flow does not complete (request delivered and reply routed back),
//! `denied` when any request packet is delivered.

use std::sync::Arc;

use super::reach::{Engine, Query, Reach};
use super::shared_hops::SharedHops;
use crate::ir::{Expect, Verdict};

/// The engine's answer for one `expect` line.
pub struct ExpectCheck<'n> {
    pub expect: &'n Expect,
    /// The analysis, or why the flow cannot be analysed (shared: an `expect ... allowed`
    /// line is also an intended flow, which the lint rules ask about again).
    pub reach: Result<Arc<Reach<'n>>, String>,
}

impl ExpectCheck<'_> {
    pub fn violated(&self) -> bool {
        match (&self.reach, self.expect.verdict) {
            (Ok(r), Verdict::Allowed) => r.outcome_for_some != super::Outcome::Completed,
            (Ok(r), Verdict::Denied) => r.delivered_any,
            (Err(_), _) => false,
        }
    }
}

pub fn check<'n>(engine: &Engine<'n>) -> Vec<ExpectCheck<'n>> {
    // The lines are independent: answered on every core. A lint run keeps their answers.
    let expects: &'n [Arc<Expect>] = &engine.net.expects;
    let lines: Vec<usize> = (0..expects.len()).collect();
    crate::parallel::map_on_all_cores(&lines, SharedHops::default, |hops, &i| {
        let expect: &'n Expect = &expects[i];
        ExpectCheck {
            expect,
            reach: engine.reach_sharing(&query(expect), hops).map(Arc::new),
        }
    })
}

/// The flow an `expect` line is about.
pub fn query(expect: &Expect) -> Query {
    Query {
        source: expect.source.clone(),
        destination: expect.destination.clone(),
        protocol: expect.protocol,
        ports: expect.ports,
    }
}
