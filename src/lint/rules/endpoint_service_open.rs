//! `endpoint-service-open` (security, warning, on by default).
//!
//! **What it does.** Finds endpoint services (the provider side of PrivateLink) open to every
//! AWS account without approval. Precisely: `allowed_principals ["*"]` (any account may create
//! an interface endpoint to the service) with `acceptance_required false` (its connection is
//! accepted at once).
//!
//! **Why it matters.** An endpoint service exposes its Network Load Balancer's listeners to
//! every VPC whose owner is allowed to connect. With the wildcard principal and no acceptance
//! step, that is every AWS account in the world, with nobody asked: the service can be probed,
//! scraped and flooded from VPCs you do not know of, and the traffic runs through a load
//! balancer you pay for. Either of the two settings closes it: listing the consumer accounts
//! (`arn:aws:iam::111122223333:root`) in `allowed_principals`, or requiring acceptance so that
//! each connection request waits for your approval.
//!
//! **Example.**
//! ```vnet
//! endpoint_service payments_api {
//!   load_balancer api_nlb
//!   acceptance_required false
//!   allowed_principals ["*"]          # any AWS account, accepted at once
//! }
//! ```
//!
//! **Fix.** Require acceptance: `acceptance_required true` (`vnetc lint --fix` writes it), and
//! better, list the consumer accounts in `allowed_principals`.

use crate::check::name_of;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::LintContext;

pub const RULE: Rule = Rule {
    id: "endpoint-service-open",
    group: Group::Security,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("endpoint_service_open.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let net = ctx.net;
    let mut out = Vec::new();
    for service in &net.endpoint_services {
        if service.acceptance_required || !service.allowed_principals.iter().any(|p| p == "*") {
            continue;
        }
        let lb = service
            .load_balancer
            .map(|lb| &net.load_balancers[lb.index()]);
        let behind = match lb {
            Some(lb) => {
                let ports: Vec<String> = lb
                    .listeners
                    .iter()
                    .map(|l| format!("{} {}", l.protocol, l.port))
                    .collect();
                let listeners = if ports.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", ports.join(", "))
                };
                format!("load balancer `{}`{listeners}", lb.name)
            }
            None => "its load balancer".to_string(),
        };
        let message = format!(
            "endpoint service `{}` accepts every AWS account: `allowed_principals [\"*\"]` lets any account create an interface endpoint to it, and `acceptance_required false` connects it at once, so anyone can reach {behind} from their own VPC without your approval",
            service.name
        );
        let mut diag = finding(&RULE, name_of(service.origin), service.name.clone(), message)
            .label("open to any AWS account")
            .note("list the consumer accounts in `allowed_principals` (\"arn:aws:iam::111122223333:root\"), or require acceptance so that each connection request waits for your approval");
        if let Some(origin) = service.attr_origins.allowed_principals {
            diag = diag.secondary(origin, "any principal");
        }
        if let Some(origin) = service.attr_origins.acceptance_required {
            diag = diag
                .secondary(origin, "connections accepted without approval")
                .with_fix(Fix::one(
                    format!(
                        "require acceptance in endpoint service {}: `acceptance_required true`",
                        service.name
                    ),
                    origin,
                    EditKind::Replace,
                    "acceptance_required true",
                ));
        }
        out.push(diag);
    }
    out
}
