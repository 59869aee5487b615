//! Lint passes: findings about networks that deploy but are broken for their own intent,
//! insecure or wasteful. Each rule is a file under `rules/`, named by its id, registered in
//! [`registry`]; [`config`] selects rules and severities, [`suppress`] honours inline
//! `# vnet: allow(...)` comments.
//!
//! Findings are [`Diag`]s whose code is the rule id, located by origin like compile errors.

pub mod config;
pub mod registry;
pub mod report;
pub mod rules;
pub mod suppress;

use std::cell::RefCell;
use std::collections::HashMap;

use crate::diagnostics::Diag;
use crate::flow::expect::{self, ExpectCheck};
use crate::flow::intent::{self, IntendedFlow};
use crate::flow::{Engine, FlowConfig, Query, Reach};
use crate::ir::Network;

/// What every rule may read: the network, the flow engine, the intended flows and the
/// checked `expect` lines. Flow queries are cached: several rules ask about the same flows.
pub struct LintContext<'n> {
    pub net: &'n Network,
    pub engine: Engine<'n>,
    pub intended: Vec<IntendedFlow>,
    pub expects: Vec<ExpectCheck<'n>>,
    cache: RefCell<HashMap<Query, Option<Reach>>>,
}

impl<'n> LintContext<'n> {
    pub fn new(net: &'n Network, flow: FlowConfig) -> Self {
        let engine = Engine::new(net, flow);
        let expects = expect::check(&engine);
        LintContext {
            net,
            engine,
            intended: intent::intended_flows(net),
            expects,
            cache: RefCell::default(),
        }
    }

    /// The engine's answer for a flow (`None` when it cannot be analysed).
    pub fn reach(&self, query: &Query) -> Option<Reach> {
        if let Some(hit) = self.cache.borrow().get(query) {
            return hit.clone();
        }
        let answer = self.engine.reach(query).ok();
        self.cache
            .borrow_mut()
            .insert(query.clone(), answer.clone());
        answer
    }

    /// The answer for an intended flow.
    pub fn reach_flow(&self, flow: &IntendedFlow) -> Option<Reach> {
        self.reach(&Query {
            source: flow.source.clone(),
            destination: flow.destination.clone(),
            protocol: flow.protocol,
            ports: flow.ports,
        })
    }
}

/// Runs every rule (on by default or not: selection happens later, so that changing the
/// configuration re-runs nothing), then drops findings that a more specific one explains.
pub fn lint(net: &Network, flow: FlowConfig) -> Vec<Diag> {
    let ctx = LintContext::new(net, flow);
    let mut findings: Vec<Diag> = registry::all()
        .iter()
        .flat_map(|rule| (rule.run)(&ctx))
        .collect();
    findings.sort_by(|a, b| {
        a.primary
            .origin
            .cmp(&b.primary.origin)
            .then(a.code.cmp(&b.code))
    });
    findings.dedup();
    findings
}

/// Removes findings that another selected finding explains: one that names the first's place
/// among its own labels is the more specific report of the same problem (a violated `expect`
/// line whose flow `nacl-missing-return` reports).
pub fn drop_explained(findings: Vec<Diag>) -> Vec<Diag> {
    let explained: Vec<crate::ir::Origin> = findings
        .iter()
        .flat_map(|f| {
            f.secondary
                .iter()
                .filter(|l| l.message.starts_with("explains "))
                .map(|l| l.origin)
        })
        .collect();
    findings
        .into_iter()
        .filter(|f| f.code.0 != "expect-violated" || !explained.contains(&f.primary.origin))
        .collect()
}
