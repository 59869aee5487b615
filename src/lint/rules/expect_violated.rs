//! `expect-violated` (reachability, error, on by default).
//!
//! **What it does.** Checks every `expect SRC -> DST PROTO PORTS allowed|denied` line with the
//! flow engine. An `allowed` line is violated when its flow does not complete: some request
//! packet is dropped on the way (a security group, a NACL, a missing or blackhole route, a
//! transit gateway attachment missing in the source's availability zone ...), or the reply is
//! dropped on the way back (NACLs are stateless: replies go to the client's ephemeral ports,
//! 1024-65535 unless `vnet.toml` sets `ephemeral_ports`). A `denied` line is violated when
//! any request packet is delivered.
//!
//! **Why it matters.** `expect` lines are the network's tests: they state what must and must
//! not be possible. AWS accepts a configuration that breaks them without a word; the first
//! sign is a connection that hangs, or an exposure found by someone else.
//!
//! **Example.**
//! ```vnet
//! nacl data_acl {
//!   inbound  100 allow tcp 5432 from 172.16.1.0/24
//!   outbound 100 allow tcp 5432 to   172.16.1.0/24   # replies go to ports 1024-65535
//! }
//! expect api -> orders tcp 5432 allowed                # violated: the reply is dropped
//! ```
//!
//! **Fix.** The finding names the hop and the rule that drop the packets and the change that
//! lets them through (here `outbound 110 allow tcp 1024-65535 to 172.16.1.0/24`); for a
//! `denied` line, it shows the path the packets take.

use crate::diagnostics::{Diag, Severity};
use crate::flow::endpoint::describe;
use crate::flow::trace::Decision;
use crate::ir::{Expect, Verdict};
use crate::lint::registry::{Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "expect-violated",
    group: Group::Reachability,
    severity: Severity::Error,
    default: true,
    run,
    source: include_str!("expect_violated.rs"),
};

pub fn run(ctx: &LintContext) -> Vec<Diag> {
    let mut out = Vec::new();
    for check in &ctx.expects {
        if !check.violated() {
            continue;
        }
        let Ok(reach) = &check.reach else { continue };
        let e = check.expect;
        let flow = flow_text(ctx, e);
        let mut diag = Diag {
            code: RULE.code(),
            severity: Severity::Error,
            message: String::new(),
            primary: crate::diagnostics::Label::new(e.origin, ""),
            secondary: Vec::new(),
            notes: Vec::new(),
            suggestion: None,
            resource: Some(describe(ctx.net, &e.source)),
            fix: None,
        };
        // No trace at all: an end with no network interface (an endpoint or a load balancer
        // without subnets), so no packet can start or arrive.
        let Some(worst) = reach.traces.first() else {
            diag.message = format!(
                "`{flow}` is expected to be allowed, but no packet can take it: the source or the destination has no network interface"
            );
            diag.primary.message = "nothing to trace".to_string();
            diag.notes.push(
                "an endpoint or a load balancer needs `subnets` to have network interfaces"
                    .to_string(),
            );
            out.push(diag);
            continue;
        };
        match e.verdict {
            Verdict::Allowed => {
                let first = worst.drops.first();
                diag.message = match first {
                    Some(d) => format!(
                        "`{flow}` is expected to be allowed, but the {}: {} ({}, ports {})",
                        match worst.outcome {
                            crate::flow::Outcome::ReplyDropped => "reply is dropped",
                            _ => "request is dropped",
                        },
                        d.message,
                        d.component,
                        d.ports
                    ),
                    None => format!(
                        "`{flow}` is expected to be allowed, but it does not complete ({})",
                        worst.outcome
                    ),
                };
                diag.primary.message = worst.outcome.to_string();
                for d in &worst.drops {
                    if let Some(o) = d.origin {
                        diag.secondary.push(crate::diagnostics::Label::new(
                            o,
                            format!("{}: drops ports {}", d.component, d.ports),
                        ));
                    }
                    diag.notes
                        .push(format!("{} [{}]", d.message, d.explanation));
                    if !d.fix.is_empty() {
                        diag.notes.push(format!("fix: {}", d.fix));
                    }
                }
            }
            Verdict::Denied => {
                diag.message = format!(
                    "`{flow}` is expected to be denied, but ports {} are delivered",
                    worst.delivered
                );
                diag.primary.message = "delivered".to_string();
                let path: Vec<String> = worst
                    .request
                    .iter()
                    .filter(|h| h.decision != Decision::Deny)
                    .map(|h| format!("{}: {}", h.component, h.rule))
                    .collect();
                diag.notes.push(format!("path: {}", path.join(" → ")));
                diag.notes.push(
                    "fix: remove or narrow the rule that admits it at the last hop".to_string(),
                );
            }
        }
        out.push(diag);
    }
    out
}

fn flow_text(ctx: &LintContext, e: &Expect) -> String {
    let ports = if e.protocol.has_ports() {
        format!(" {}", e.ports)
    } else {
        String::new()
    };
    let verdict = match e.verdict {
        Verdict::Allowed => "allowed",
        Verdict::Denied => "denied",
    };
    format!(
        "expect {} -> {} {}{ports} {verdict}",
        describe(ctx.net, &e.source),
        describe(ctx.net, &e.destination),
        e.protocol
    )
}
