//! Lint passes: findings about networks that deploy but are broken for their own intent,
//! insecure or wasteful. Each rule is a file under `rules/`, named by its id.
//!
//! Findings are [`Diag`]s whose code is the rule id, located by origin like compile errors.

pub mod rules;

use crate::diagnostics::Diag;
use crate::flow::expect::{self, ExpectCheck};
use crate::flow::{Engine, FlowConfig};
use crate::ir::Network;

/// What every rule may read: the network, the flow engine, and the checked `expect` lines.
pub struct LintContext<'n> {
    pub net: &'n Network,
    pub engine: Engine<'n>,
    pub expects: Vec<ExpectCheck<'n>>,
}

impl<'n> LintContext<'n> {
    pub fn new(net: &'n Network, flow: FlowConfig) -> Self {
        let engine = Engine::new(net, flow);
        let mut ctx = LintContext {
            net,
            engine,
            expects: Vec::new(),
        };
        ctx.expects = expect::check(&ctx.engine);
        ctx
    }
}

/// Runs every rule.
pub fn lint(net: &Network, flow: FlowConfig) -> Vec<Diag> {
    let ctx = LintContext::new(net, flow);
    let mut findings = rules::expect_violated::run(&ctx);
    findings.sort_by_key(|d| d.primary.origin);
    findings
}
