//! Lint passes: findings about networks that deploy but are broken for their own intent,
//! insecure or wasteful. Each rule is a file under `rules/`, named by its id, registered in
//! [`registry`]; [`config`] selects rules and severities, [`suppress`] honours inline
//! `# vnet: allow(...)` comments.
//!
//! Findings are [`Diag`]s whose code is the rule id, located by origin like compile errors.

mod answers;
pub mod autofix;
pub mod aws_ids;
pub mod config;
mod flow_index;
pub mod registry;
pub mod report;
pub mod rules;
pub mod suppress;
pub mod wording;

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::sync::Arc;
use std::sync::{Mutex, OnceLock};

use crate::diagnostics::Diag;
use crate::flow::endpoint::describe;
use crate::flow::expect::{self, ExpectCheck};
use crate::flow::intent::{self, FlowKey, IntendedFlow, IntendedFlows};
use crate::flow::packet_set::PortSet;
use crate::flow::trace::Decision;
use crate::flow::{Engine, FlowConfig, Outcome, Query, Reach};
use crate::ir::{Network, Origin, PortRange, Protocol, Verdict};

/// What every rule may read: the network, the flow engine, the intended flows and the
/// checked `expect` lines. Flow queries are answered once: several rules ask about the same
/// flows.
pub struct LintContext<'n> {
    pub net: &'n Network,
    pub engine: Engine<'n>,
    pub intended: IntendedFlows,
    pub expects: Vec<ExpectCheck<'n>>,
    /// The engine's answer for each intended flow, in their order, and where the flows pass
    /// (its maps built on first use). The answers are shared, as a reach holds every hop of
    /// every trace and rules ask for the same flows many times; kept beside the flows, not in
    /// maps keyed by copies of their queries, which held each flow twice more.
    index: flow_index::FlowIndex<'n>,
    /// Answers for the queries rules ask that are not intended flows.
    others: Mutex<HashMap<Query, Answer<'n>>>,
    /// Where the failing `expect ... allowed` lines are written, found on first use.
    failing_allowed: OnceLock<FxHashSet<Origin>>,
}

/// The engine's answer for a flow (`None` when it cannot be analysed).
type Answer<'n> = Option<Arc<Reach<'n>>>;

impl<'n> LintContext<'n> {
    pub fn new(net: &'n Network, flow: FlowConfig) -> Self {
        let engine = Engine::new(net, flow);
        // The intended flows are found on a thread of their own while the `expect` lines are
        // checked (on every core): found after them, they were a pause on one core.
        let (expects, intended) = std::thread::scope(|scope| {
            let intended = scope.spawn(|| IntendedFlows::of(net));
            let expects = expect::check(&engine);
            let intended = intended
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (expects, intended)
        });
        // The answers for the `expect` lines are answers for their flows too (the first line's
        // where two ask the same).
        let mut known: HashMap<u32, Answer<'n>> = HashMap::default();
        let mut others = HashMap::default();
        for check in &expects {
            let answer = check.reach.as_ref().ok().cloned();
            let query = expect::query(check.expect);
            match intended.find(query_key(&query)) {
                Some(i) => {
                    known.entry(i as u32).or_insert(answer);
                }
                None => {
                    others.insert(query, answer);
                }
            }
        }
        let answers = answers::answer_all(&engine, &intended, known);
        LintContext {
            net,
            engine,
            intended,
            expects,
            index: flow_index::FlowIndex::new(answers),
            others: Mutex::new(others),
            failing_allowed: OnceLock::new(),
        }
    }

    /// Drops the context but for the engine's answers (the intended flows', the `expect`
    /// lines' and the other queries'), which are leaked: freeing them one by one (a few small
    /// blocks for each flow, scattered over the heap) took a tenth of a large run on one core,
    /// for nothing when the process ends next. What else the context holds (the flows
    /// themselves, the index's lists: mostly a few large blocks) is freed, so that locating
    /// and rendering the findings reuse its memory.
    fn leave_answers(mut self) {
        self.index.leave_answers();
        let others = self.others.get_mut().unwrap_or_else(|e| e.into_inner());
        for (_, answer) in others.drain() {
            std::mem::forget(answer);
        }
        for check in std::mem::take(&mut self.expects) {
            std::mem::forget(check.reach);
        }
    }

    /// Whether an `expect ... allowed` line written at `origin` fails (a set built once: a
    /// scan of every line per finding was quadratic in the size of the network).
    pub fn allowed_expect_fails(&self, origin: Origin) -> bool {
        let failing = self.failing_allowed.get_or_init(|| {
            (self.expects.iter())
                .filter(|e| e.expect.verdict == Verdict::Allowed && e.violated())
                .map(|e| e.expect.origin)
                .collect()
        });
        failing.contains(&origin)
    }

    /// The engine's answer for a flow (`None` when it cannot be analysed).
    pub fn reach(&self, query: &Query) -> Answer<'n> {
        if let Some(i) = self.flow_of_query(query) {
            return self.answer(i);
        }
        // A poisoned lock only means another rule's thread panicked: the answers are intact.
        let cached = (self.others.lock().unwrap_or_else(|e| e.into_inner()))
            .get(query)
            .cloned();
        if let Some(hit) = cached {
            return hit;
        }
        let answer = self.engine.reach(query).ok().map(Arc::new);
        self.others
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(query.clone(), answer.clone());
        answer
    }

    /// The answer for intended flow `i` (an index into `intended`): where a rule has the
    /// index, this is the answer without finding the flow again by its ends.
    pub fn answer(&self, i: usize) -> Answer<'n> {
        self.index.reach(i).cloned()
    }

    /// The answer for an intended flow.
    pub fn reach_flow(&self, flow: &IntendedFlow) -> Answer<'n> {
        match self.intended.find(flow.key()) {
            Some(i) => self.answer(i),
            None => self.reach(&query_of(flow)),
        }
    }

    /// The intended flow (an index into `intended`) that asks `query`, if one does.
    fn flow_of_query(&self, query: &Query) -> Option<usize> {
        self.intended.find(query_key(query))
    }

    /// What a fix would break, checked on the network with the fix applied (`change` applied
    /// to a copy): the intended flows that complete now and would not, and the
    /// `expect ... denied` lines that hold now and would not. A rule offers a fix only when
    /// this is empty. The fix changes (narrows, removes or replaces) what is written at
    /// `touched`: only the flows that pass there now are checked again (a fix that only adds
    /// allows cannot break a flow), and only the `denied` lines whose packets meet a
    /// component of `touched`'s file (a component evaluates packets only where it is
    /// declared). When nothing is to be checked, the network is not copied: one fix costs what
    /// it touches, not the size of the network. `change` may edit route tables, network ACLs
    /// and security groups only: the copy's engine shares this one's indexes of everything
    /// else (checked in debug builds).
    pub fn broken_by(&self, touched: Origin, change: impl FnOnce(&mut Network)) -> Vec<String> {
        self.broken_by_change(touched, true, change)
    }

    /// [`Self::broken_by`] for a fix that only narrows what is written at `touched` (replaces
    /// an allow by narrower allows): fewer packets pass, so no `expect ... denied` line can
    /// break and only the intended flows through `touched` are checked again.
    pub fn broken_by_narrowing(
        &self,
        touched: Origin,
        change: impl FnOnce(&mut Network),
    ) -> Vec<String> {
        self.broken_by_change(touched, false, change)
    }

    fn broken_by_change(
        &self,
        touched: Origin,
        check_denied: bool,
        change: impl FnOnce(&mut Network),
    ) -> Vec<String> {
        let flows: Vec<IntendedFlow> = self
            .flows_through(touched)
            .iter()
            .map(|&i| self.intended.flow(i))
            .collect();
        let expects: Vec<&ExpectCheck<'n>> = self
            .expects
            .iter()
            .filter(|check| {
                check_denied
                    && check.expect.verdict == Verdict::Denied
                    && !check.violated()
                    && check.reach.as_ref().map_or(true, |r| {
                        r.traces.iter().any(|t| {
                            t.request
                                .iter()
                                .chain(t.reply.iter())
                                .any(|h| h.origin.is_none_or(|o| o.file == touched.file))
                        })
                    })
            })
            .collect();
        if flows.is_empty() && expects.is_empty() {
            return Vec::new();
        }
        let mut changed = self.net.clone();
        change(&mut changed);
        debug_assert!(
            only_filters_changed(self.net, &changed),
            "a fix changed what the engine's indexes hold"
        );
        let engine = self.engine.with_filters_changed(&changed);
        let mut out = Vec::new();
        for flow in &flows {
            if !engine
                .reach(&query_of(flow))
                .is_ok_and(|r| r.outcome_for_some == Outcome::Completed)
            {
                out.push(format!(
                    "`{}` (intended: {})",
                    flow_text(self.net, flow),
                    reasons(self.net, flow)
                ));
            }
        }
        for check in expects {
            let e = check.expect;
            if engine
                .reach(&expect::query(e))
                .is_ok_and(|r| r.delivered_any)
            {
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

    /// The intended flows (indices into `intended`) that complete and pass `origin` on their
    /// request or reply.
    fn flows_through(&self, origin: Origin) -> Vec<usize> {
        self.index
            .at_origin(origin)
            .filter(|&i| {
                self.answer(i)
                    .is_some_and(|r| r.outcome_for_some == Outcome::Completed)
            })
            .collect()
    }

    /// The intended flows (indices into `intended`, in order) with a hop, on the request or
    /// the reply, decided by what is written at `origin`.
    pub fn flows_at_origin(&self, origin: Origin) -> impl Iterator<Item = usize> + '_ {
        self.index.at_origin(origin)
    }

    /// The intended flows (indices into `intended`, in order) whose request passes
    /// `component` (`nat_gateway shop.nat`).
    pub fn flows_with_request_via(&self, component: &str) -> impl Iterator<Item = usize> + '_ {
        self.index.through_component(component)
    }

    /// The intended flows (indices into `intended`) that ask `query`: one at most, as the
    /// intended flows are told apart by their queries.
    pub fn flows_of_query(&self, query: &Query) -> impl Iterator<Item = usize> + '_ {
        self.flow_of_query(query).into_iter()
    }

    /// The intended flows (indices into `intended`) whose reply passes `component`, in order.
    pub fn flows_with_reply_via(&self, component: &str) -> impl Iterator<Item = usize> + '_ {
        self.index.reply_through_component(component)
    }

    /// The intended flows whose request passes `component` (`nat_gateway shop.nat`), in order.
    pub fn flows_via_component(
        &self,
        component: &str,
    ) -> impl Iterator<Item = IntendedFlow<'_>> + use<'_, 'n> {
        self.index
            .through_component(component)
            .map(|i| self.intended.flow(i))
    }

    /// The intended flows that a rule lets through, with the ports of their requests and of
    /// their replies that it decides, as the flows' hops show them: what a narrower rule must
    /// still let through. `origin` is where the rule is written and `rule` its text in the
    /// hops (which tells apart two rules of one origin, such as a group's default egress to
    /// `0.0.0.0/0` and `::/0`).
    pub fn decided_by(&self, origin: Origin, rule: &str) -> Vec<Decided<'_>> {
        let mut out = Vec::new();
        for i in self.index.at_origin(origin) {
            let flow = self.intended.flow(i);
            if flow.protocol == Protocol::All {
                continue; // the engine answers for the worst protocol only
            }
            let Some(reach) = self.answer(i) else {
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
                    (&trace.request[..], &requests, &mut decided.request),
                    (&trace.reply[..], &replies, &mut decided.reply),
                ] {
                    for hop in hops {
                        if hop.origin == Some(origin)
                            && hop.decision == Decision::Allow
                            && hop.rule.to_string() == rule
                        {
                            *into = match hop.ports.get() {
                                Some(ports) => into.union(&ports),
                                None => into.union(all),
                            };
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
    pub flow: IntendedFlow<'a>,
    /// Request ports (every port for protocols without ports).
    pub request: PortSet,
    /// Reply ports, the client's ephemeral ports.
    pub reply: PortSet,
}

/// What tells intended flows apart, of a query.
fn query_key(query: &Query) -> FlowKey<'_> {
    (
        &query.source,
        &query.destination,
        query.protocol,
        query.ports,
    )
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
/// Whether `changed`, a copy of `net`, differs only in its route tables, network ACLs and
/// security groups ([`Engine::with_filters_changed`]): every other entity is the same `Arc`.
fn only_filters_changed(net: &Network, changed: &Network) -> bool {
    fn same<T>(a: &[Arc<T>], b: &[Arc<T>]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
    }
    same(&net.vpcs, &changed.vpcs)
        && same(&net.subnets, &changed.subnets)
        && same(&net.workloads, &changed.workloads)
        && same(&net.endpoints, &changed.endpoints)
        && same(&net.load_balancers, &changed.load_balancers)
        && same(&net.resource_gateways, &changed.resource_gateways)
        && same(&net.internet_gateways, &changed.internet_gateways)
        && same(&net.attachments, &changed.attachments)
        && same(&net.transit_gateways, &changed.transit_gateways)
        && same(&net.on_premises, &changed.on_premises)
}

pub fn flow_text(net: &Network, flow: &IntendedFlow) -> String {
    format!(
        "{} -> {} {}{}",
        describe(net, flow.source),
        describe(net, flow.destination),
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

/// Which rules a lint run runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSet {
    /// The rules on by default.
    Default,
    /// The rules a configuration must select (`missing-expect`, `single-az` ...).
    OptIn,
    /// Both, on one answer for each intended flow (a run that asks once: `vnetc lint`).
    All,
}

impl RuleSet {
    fn runs(self, rule: &registry::Rule) -> bool {
        match self {
            RuleSet::Default => rule.default,
            RuleSet::OptIn => !rule.default,
            RuleSet::All => true,
        }
    }
}

/// Runs the rules of `set` (whether the configuration selects them or not: selection
/// happens later, so that changing the configuration re-runs nothing), in finding order,
/// calling `between_rules` before each rule: the database passes salsa's cancellation check,
/// so that an edit in the language server stops a stale lint run at the next rule instead of
/// waiting for all of them.
pub fn lint_interruptible(
    net: &Network,
    flow: FlowConfig,
    set: RuleSet,
    between_rules: &dyn Fn(),
) -> Vec<Diag> {
    run(net, flow, set, between_rules, false)
}

/// The rules of `set`, as [`lint_interruptible`], for a process that ends once it has
/// reported the findings (`vnetc lint`): the engine's answers are left to the system, not
/// freed one by one (a tenth of a large run on one core), and the rest of the lint context
/// is freed for locating and rendering to reuse.
pub fn lint_before_exit(net: &Network, flow: FlowConfig, set: RuleSet) -> Vec<Diag> {
    run(net, flow, set, &|| {}, true)
}

/// A lint run; `exiting`: the process ends after it (see [`LintContext::leave_answers`]).
fn run(
    net: &Network,
    flow: FlowConfig,
    set: RuleSet,
    between_rules: &dyn Fn(),
    exiting: bool,
) -> Vec<Diag> {
    let rules: Vec<&registry::Rule> = registry::all()
        .iter()
        .filter(|rule| set.runs(rule))
        .copied()
        .collect();
    let by_rule = {
        let ctx = LintContext::new(net, flow);
        let by_rule = run_rules(&ctx, &rules, between_rules);
        if exiting {
            ctx.leave_answers();
        }
        by_rule
    };
    // Joined and sorted once the intended flows' traces are freed: both at once were a run's
    // peak. Their memory goes back to the system: it was allocated on the helper threads,
    // where the caller's next allocations (locating and rendering) would not reuse it.
    crate::memory::release_freed();
    in_finding_order(by_rule.into_iter().flatten().collect())
}

/// The rules that follow many intended flows or evaluate many NACLs, slowest first (measured
/// on the benchmark networks, BENCHMARKS.md). They are started before the others so that
/// the cores finish together: started in id order, the last of them ran alone at the end.
const SLOW_RULES: &[&str] = &[
    "peering-missing-return-route",
    "nacl-missing-return",
    "nacl-allows-admin-from-world",
    "nacl-rule-shadowed",
    "uses-unreachable",
    "nat-instead-of-gateway-endpoint",
    "sg-open-to-world",
];

/// The order in which the rules are started: [`SLOW_RULES`] first, then the others in id
/// order (the findings keep the rules' order whatever the schedule).
fn schedule(rules: &[&registry::Rule]) -> Vec<usize> {
    let rank = |rule: &registry::Rule| {
        SLOW_RULES
            .iter()
            .position(|id| *id == rule.id)
            .unwrap_or(SLOW_RULES.len())
    };
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by_key(|&i| rank(rules[i]));
    order
}

/// Runs the rules on every core: this thread and helpers take the next rule in turn (see
/// [`schedule`]). Only this thread calls `between_rules` (it may unwind to cancel the run);
/// the helpers stop taking rules once it has. The findings are returned by rule, in rule order.
fn run_rules(
    ctx: &LintContext,
    rules: &[&registry::Rule],
    between_rules: &dyn Fn(),
) -> Vec<Vec<Diag>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let order = schedule(rules);
    let take = |n: usize| order.get(n).map(|&i| (i, rules[i]));
    let helpers = crate::parallel::threads(rules.len()) - 1;
    let next = AtomicUsize::new(0);
    let stopped = AtomicBool::new(false);
    let results: Mutex<Vec<Option<Vec<Diag>>>> = Mutex::new(vec![None; rules.len()]);
    let store = |i: usize, mut found: Vec<Diag>| {
        // Held until every rule has run, beside the intended flows' traces: a run's peak.
        found.shrink_to_fit();
        found.iter_mut().for_each(Diag::shrink_to_fit);
        if let Some(slot) = results.lock().unwrap_or_else(|e| e.into_inner()).get_mut(i) {
            *slot = Some(found);
        }
    };
    /// Tells the helpers to stop when this thread leaves, normally or by unwinding.
    struct Stop<'a>(&'a AtomicBool);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(|| {
                while !stopped.load(Ordering::Relaxed) {
                    let Some((i, rule)) = take(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    store(i, (rule.run)(ctx));
                }
            });
        }
        let _stop = Stop(&stopped);
        loop {
            between_rules();
            let Some((i, rule)) = take(next.fetch_add(1, Ordering::Relaxed)) else {
                break;
            };
            store(i, (rule.run)(ctx));
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Sorted by place then rule, duplicates removed.
pub fn in_finding_order(mut findings: Vec<Diag>) -> Vec<Diag> {
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
/// `diag` gives each item's finding.
pub fn drop_explained<'d, T>(findings: Vec<T>, diag: impl Fn(&T) -> &'d Diag) -> Vec<T> {
    let explained: std::collections::HashSet<crate::ir::Origin> = findings
        .iter()
        .flat_map(|f| {
            diag(f)
                .secondary
                .iter()
                .filter(|l| l.message.starts_with("explains "))
                .map(|l| l.origin)
        })
        .collect();
    findings
        .into_iter()
        .filter(|f| {
            let f = diag(f);
            f.code.0 != "expect-violated" || !explained.contains(&f.primary.origin)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slow_rules_are_rules_and_start_first() {
        let all = registry::all();
        for id in SLOW_RULES {
            assert!(registry::find(id).is_some(), "{id} is not a rule");
        }
        let order = schedule(all);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            (0..all.len()).collect::<Vec<_>>(),
            "every rule once"
        );
        let first: Vec<&str> = order[..SLOW_RULES.len()]
            .iter()
            .map(|&i| all[i].id)
            .collect();
        assert_eq!(first, SLOW_RULES);
    }
}
