//! Lint passes: findings about networks that deploy but are broken for their own intent,
//! insecure or wasteful. Each rule is a file under `rules/`, named by its id, registered in
//! [`registry`]; [`config`] selects rules and severities, [`suppress`] honours inline
//! `# vnet: allow(...)` comments.
//!
//! Findings are [`Diag`]s whose code is the rule id, located by origin like compile errors.

pub mod autofix;
pub mod aws_ids;
pub mod config;
pub mod registry;
pub mod report;
pub mod rules;
pub mod suppress;

use std::cell::RefCell;
use std::collections::HashMap;

use crate::diagnostics::Diag;
use crate::flow::endpoint::describe;
use crate::flow::expect::{self, ExpectCheck};
use crate::flow::intent::{self, IntendedFlow};
use crate::flow::packet_set::PortSet;
use crate::flow::trace::Decision;
use crate::flow::{Engine, FlowConfig, Outcome, Query, Reach};
use crate::ir::{Network, Origin, PortRange, Protocol, Verdict};

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
        self.reach(&query_of(flow))
    }

    /// What a fix would break, checked on the network with the fix applied (`changed`): the
    /// intended flows that complete now and would not, and the `expect ... denied` lines that
    /// hold now and would not. A rule offers a fix only when this is empty. The fix changes
    /// (narrows, removes or replaces) what is written at `touched`: only the flows that pass
    /// there now are checked again (a fix that only adds allows cannot break a flow).
    pub fn broken_by(&self, changed: &Network, touched: Origin) -> Vec<String> {
        let engine = Engine::new(changed, self.engine.config);
        let mut out = Vec::new();
        for flow in &self.intended {
            let completes = |r: &Reach| r.outcome_for_some == Outcome::Completed;
            let passes = |r: &Reach| {
                r.traces.iter().any(|t| {
                    t.request
                        .iter()
                        .chain(&t.reply)
                        .any(|h| h.origin == Some(touched))
                })
            };
            if !self
                .reach_flow(flow)
                .is_some_and(|r| completes(&r) && passes(&r))
            {
                continue;
            }
            if !engine.reach(&query_of(flow)).is_ok_and(|r| completes(&r)) {
                out.push(format!(
                    "`{}` (intended: {})",
                    flow_text(self.net, flow),
                    reasons(self.net, flow)
                ));
            }
        }
        for check in &self.expects {
            let e = check.expect;
            if e.verdict != Verdict::Denied || check.violated() {
                continue;
            }
            let query = Query {
                source: e.source.clone(),
                destination: e.destination.clone(),
                protocol: e.protocol,
                ports: e.ports,
            };
            if engine.reach(&query).is_ok_and(|r| r.delivered_any) {
                out.push(format!(
                    "`expect {} -> {} {}{} denied`",
                    describe(self.net, &e.source),
                    describe(self.net, &e.destination),
                    e.protocol,
                    ports_text(e.protocol, e.ports)
                ));
            }
        }
        out
    }

    /// The intended flows that a rule lets through, with the ports of their requests and of
    /// their replies that it decides, as the flows' hops show them: what a narrower rule must
    /// still let through. `origin` is where the rule is written and `rule` its text in the
    /// hops (which tells apart two rules of one origin, such as a group's default egress to
    /// `0.0.0.0/0` and `::/0`).
    pub fn decided_by(&self, origin: Origin, rule: &str) -> Vec<Decided<'_>> {
        let mut out = Vec::new();
        for flow in &self.intended {
            if flow.protocol == Protocol::All {
                continue; // the engine answers for the worst protocol only
            }
            let Some(reach) = self.reach_flow(flow) else {
                continue;
            };
            let leg_ports = |range| {
                if flow.protocol.has_ports() {
                    PortSet::range(range)
                } else {
                    PortSet::all()
                }
            };
            let (requests, replies) = (
                leg_ports(flow.ports),
                leg_ports(self.engine.config.ephemeral),
            );
            let mut decided = Decided {
                flow,
                request: PortSet::default(),
                reply: PortSet::default(),
            };
            for trace in &reach.traces {
                for (hops, all, into) in [
                    (&trace.request, &requests, &mut decided.request),
                    (&trace.reply, &replies, &mut decided.reply),
                ] {
                    for hop in hops {
                        if hop.origin == Some(origin)
                            && hop.rule == rule
                            && hop.decision == Decision::Allow
                        {
                            let ports = hop.ports.as_deref().map(parse_ports);
                            *into = into.union(&ports.unwrap_or_else(|| all.clone()));
                        }
                    }
                }
            }
            if !decided.request.is_empty() || !decided.reply.is_empty() {
                out.push(decided);
            }
        }
        out
    }
}

/// An intended flow's packets that one rule lets through (see [`LintContext::decided_by`]).
pub struct Decided<'a> {
    pub flow: &'a IntendedFlow,
    /// Request ports (every port for protocols without ports).
    pub request: PortSet,
    /// Reply ports, the client's ephemeral ports.
    pub reply: PortSet,
}

fn query_of(flow: &IntendedFlow) -> Query {
    Query {
        source: flow.source.clone(),
        destination: flow.destination.clone(),
        protocol: flow.protocol,
        ports: flow.ports,
    }
}

/// ` 5432`, or nothing for all ports and for protocols without ports.
fn ports_text(protocol: Protocol, ports: PortRange) -> String {
    if protocol.has_ports() && !ports.is_all() {
        format!(" {ports}")
    } else {
        String::new()
    }
}

/// `shop.api -> shop.orders tcp 5432`.
pub fn flow_text(net: &Network, flow: &IntendedFlow) -> String {
    format!(
        "{} -> {} {}{}",
        describe(net, &flow.source),
        describe(net, &flow.destination),
        flow.protocol,
        ports_text(flow.protocol, flow.ports)
    )
}

fn reasons(net: &Network, flow: &IntendedFlow) -> String {
    let all: Vec<String> = flow
        .reasons
        .iter()
        .map(|r| intent::describe_reason(net, r))
        .collect();
    all.join(", ")
}

/// A port set as hops print it (`1024-5431, 5433-65535`).
fn parse_ports(text: &str) -> PortSet {
    let range = |part: &str| -> Option<PortRange> {
        let (from, to) = part.split_once('-').unwrap_or((part, part));
        Some(PortRange {
            from: from.trim().parse().ok()?,
            to: to.trim().parse().ok()?,
        })
    };
    text.split(',')
        .filter_map(|part| range(part.trim()))
        .fold(PortSet::default(), |acc, r| acc.union(&PortSet::range(r)))
}

/// Runs every rule (on by default or not: selection happens later, so that changing the
/// configuration re-runs nothing), then drops findings that a more specific one explains.
pub fn lint(net: &Network, flow: FlowConfig) -> Vec<Diag> {
    lint_interruptible(net, flow, &|| {})
}

/// [`lint`], calling `between_rules` before each rule: the database passes salsa's
/// cancellation check, so that an edit in the language server stops a stale lint run at the
/// next rule instead of waiting for all of them.
pub fn lint_interruptible(net: &Network, flow: FlowConfig, between_rules: &dyn Fn()) -> Vec<Diag> {
    let ctx = LintContext::new(net, flow);
    let mut findings: Vec<Diag> = registry::all()
        .iter()
        .flat_map(|rule| {
            between_rules();
            (rule.run)(&ctx)
        })
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
