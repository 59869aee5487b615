//! `vnetc reach`'s human output: the verdict, then the request's and the reply's hops, then
//! each drop with its explanation code and the change that would let the packets through.

use std::fmt::Write;
use std::sync::Arc;

use super::reach::Reach;
use super::trace::{Decision, Hop, Trace};

/// Renders a query's answer; `title` is the flow as the user wrote it.
pub fn human(title: &str, reach: &Reach) -> String {
    let mut out = String::new();
    if reach.outcome == reach.outcome_for_some {
        let _ = writeln!(out, "{title}: {}", reach.outcome);
    } else {
        let _ = writeln!(
            out,
            "{title}: {} for some addresses of its ends, {} for others",
            reach.outcome_for_some, reach.outcome
        );
    }
    for trace in &reach.traces {
        trace_text(&mut out, trace, reach.traces.len() > 1);
    }
    out
}

fn trace_text(out: &mut String, trace: &Trace, several: bool) {
    out.push('\n');
    if let (true, Some(between)) = (several, &trace.between) {
        let _ = writeln!(out, "between {between}: {}", trace.outcome);
    }
    let _ = writeln!(out, "request:");
    hops_text(out, &trace.request);
    if !trace.reply.is_empty() {
        let _ = writeln!(out, "reply:");
        hops_text(out, &trace.reply);
    }
    for drop in &trace.drops {
        let leg = match drop.leg {
            super::trace::Leg::Request => "request",
            super::trace::Leg::Reply => "reply",
        };
        let _ = writeln!(
            out,
            "dropped at {} ({leg}, ports {}): {} [{}]",
            drop.component, drop.ports, drop.message, drop.explanation
        );
        if !drop.fix.is_empty() {
            let _ = writeln!(out, "  fix: {}", drop.fix);
        }
    }
}

fn hops_text(out: &mut String, hops: &[Arc<Hop>]) {
    let components: Vec<String> = hops.iter().map(|h| h.component.to_string()).collect();
    let width = components.iter().map(String::len).max().unwrap_or(0);
    for (hop, component) in hops.iter().zip(&components) {
        let decision = match hop.decision {
            Decision::Allow => "allow",
            Decision::Deny => "DENY",
            Decision::Forward => "->",
            Decision::Deliver => "deliver",
        };
        let ports = hop
            .ports
            .get()
            .map(|p| format!("  (ports {p})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:width$}  {decision:7}  {}{ports}",
            component,
            hop.rule,
            width = width
        );
    }
}
