//! `sg-open-to-world` (security, warning, on by default).
//!
//! **What it does.** Finds security group `ingress` rules that admit an administrative or data
//! port, or every port, from the whole internet (`0.0.0.0/0` or `::/0`). The ports are SSH 22,
//! RDP 3389, Telnet 23, MySQL 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521, Redis 6379,
//! Memcached 11211, MongoDB 27017, Elasticsearch 9200, Docker 2375 and etcd 2379; a `tcp` or
//! `udp` range that includes one counts (`tcp 1024-65535` includes 3306), and so do `all` and
//! `tcp`/`udp` without ports. ICMP rules are not reported. The message says which workloads
//! holding the group the internet reaches on it now (a public address, a route from an
//! internet gateway, a NACL that lets it in), as `vnetc reach internet WORKLOAD` would.
//!
//! **Why it matters.** SSH, RDP and Telnet open to the internet are scanned and brute-forced
//! within minutes; databases, caches and control planes (Redis, Memcached, MongoDB,
//! Elasticsearch, the Docker API, etcd) facing the internet are a leading cause of data
//! breaches and ransom attacks, since many ship without authentication. A group that admits
//! the world on such a port exposes every interface it is attached to as soon as it has a
//! public address, and admits every peered, VPN and on-premises network too.
//!
//! **Example.**
//! ```vnet
//! security_group db_sg {
//!   ingress tcp 5432 from 0.0.0.0/0     # PostgreSQL from anywhere
//! }
//! ```
//!
//! **Fix.** Narrow the rule to what the intended flows (see `vnetc flows`) need: other ports
//! stay open to the same block, sensitive ports only from the flows' sources (their security
//! group, subnet, on-premises network or address): `ingress tcp 5432 from app_sg`. A rule no
//! intended flow needs is removed. `vnetc lint --fix` applies it when it breaks no intended
//! flow and no `expect` line; when an intended flow needs a sensitive port from the whole
//! internet, it offers none (admit the administrators' range, or use Systems Manager Session
//! Manager, which needs no inbound port).

use crate::aws::exposed_ports::SENSITIVE;
use crate::diagnostics::{Diag, EditKind, Fix, Severity};
use crate::flow::packet_set::PortSet;
use crate::flow::party::kind_word;
use crate::flow::security_group::describe_rule;
use crate::flow::Query;
use crate::ir::*;
use crate::lint::registry::{finding, Group, Rule};
use crate::lint::{flow_text, LintContext};
use crate::syntax::Direction;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::nacl_allows_admin_from_world::{is_world, source_cidrs};
use super::sg_egress_unrestricted::rule_text;

pub const RULE: Rule = Rule {
    id: "sg-open-to-world",
    group: Group::Security,
    severity: Severity::Warning,
    default: true,
    run,
    source: include_str!("sg_open_to_world.rs"),
};

fn run(ctx: &LintContext) -> Vec<Diag> {
    let holders = Holders::of(ctx.net);
    let mut out = Vec::new();
    for (i, sg) in ctx.net.security_groups.iter().enumerate() {
        if sg.default {
            continue;
        }
        for rule in &sg.ingress {
            let SgPeer::Cidr(cidr) = &rule.peer else {
                continue;
            };
            let every_port = rule.protocol == Protocol::All
                || (rule.protocol.has_ports() && rule.ports.is_all());
            let listed = sensitive_ports(rule);
            if is_world(cidr) && (every_port || !listed.is_empty()) {
                out.push(report(ctx, &holders, Id::new(i), rule, cidr, every_port, &listed));
            }
        }
    }
    out
}

/// The listed ports a rule admits.
fn sensitive_ports(rule: &SgRule) -> Vec<(u16, &'static str)> {
    match rule.protocol {
        Protocol::Icmp => Vec::new(),
        Protocol::All => SENSITIVE.to_vec(),
        _ => SENSITIVE
            .iter()
            .copied()
            .filter(|(p, _)| rule.ports.contains(*p))
            .collect(),
    }
}

fn report(
    ctx: &LintContext,
    holders: &Holders,
    id: SecurityGroupId,
    rule: &SgRule,
    cidr: &ipnet::IpNet,
    every_port: bool,
    listed: &[(u16, &str)],
) -> Diag {
    let net = ctx.net;
    let sg = &net.security_groups[id.index()];
    let proto = rule.protocol;
    let single = rule.ports.from == rule.ports.to && listed.len() == 1;
    let what = match listed {
        [(port, name)] if single => format!("{name} ({proto} {port})"),
        _ if proto == Protocol::All => "all traffic".to_string(),
        _ if every_port => format!("every {proto} port"),
        _ => format!("{proto} {}", rule.ports),
    };
    let names: Vec<String> = listed
        .iter()
        .take(4)
        .map(|(p, n)| format!("{n} {p}"))
        .collect();
    let including = match listed.len() {
        _ if single => String::new(),
        _ if every_port => ", every administrative and database port included".to_string(),
        n if n > 4 => format!(", which includes {} and {} more", names.join(", "), n - 4),
        _ => format!(", which includes {}", names.join(", ")),
    };
    let text = describe_rule(net, rule, Direction::Inbound);
    let message = format!(
        "security group `{}` admits {what} from the whole internet ({cidr}) with `{text}`{including}: {}",
        sg.name,
        exposure(ctx, holders, id, rule)
    );
    let label = match listed {
        _ if every_port => format!("admits {what} from any address"),
        [(_, name)] => format!("admits {name} from any address"),
        [(_, a), (_, b)] => format!("admits {a} and {b} from any address"),
        _ => format!(
            "admits {}, {} and more from any address",
            listed[0].1, listed[1].1
        ),
    };
    let diag = finding(&RULE, rule.origin, sg.name.clone(), message)
        .label(label)
        .note("remote administration open to the internet is scanned and brute-forced within minutes, and databases and caches facing it are a leading cause of data breaches; admit these ports from the networks that need them (a security group, a subnet, a VPN or office range), or use Systems Manager Session Manager for administration (no inbound port)");
    match narrow(ctx, id, rule) {
        Ok(fix) => diag.with_fix(fix),
        Err(why) => diag.note(why),
    }
}

/// Which workloads holding the group the internet reaches through the rule now, as the flow
/// engine says (load balancers answer on their listeners only).
/// Who holds each security group, found once for the rule: asking per finding scanned every
/// workload and load balancer for each, quadratic in the size of the network.
struct Holders {
    workloads: HashMap<SecurityGroupId, Vec<WorkloadId>>,
    balanced: HashSet<SecurityGroupId>,
}

impl Holders {
    fn of(net: &Network) -> Self {
        let mut workloads: HashMap<SecurityGroupId, Vec<WorkloadId>> = HashMap::default();
        for (i, w) in net.workloads.iter().enumerate() {
            for group in &w.security_groups {
                let list = workloads.entry(*group).or_default();
                if list.last() != Some(&Id::new(i)) {
                    list.push(Id::new(i)); // once, if the workload names the group twice
                }
            }
        }
        let balanced = (net.load_balancers.iter())
            .flat_map(|lb| lb.security_groups.iter().copied())
            .collect();
        Holders {
            workloads,
            balanced,
        }
    }
}

fn exposure(ctx: &LintContext, holders: &Holders, id: SecurityGroupId, rule: &SgRule) -> String {
    let (protocol, ports) = match rule.protocol {
        Protocol::All => (Protocol::Tcp, PortRange::ALL),
        p => (p, rule.ports),
    };
    let members = holders.workloads.get(&id).map_or(&[][..], Vec::as_slice);
    let reached: Vec<String> = members
        .iter()
        .filter(|&&w| {
            let query = Query {
                source: FlowEndpoint::Internet,
                destination: FlowEndpoint::Workload(w),
                protocol,
                ports,
            };
            ctx.reach(&query).is_some_and(|r| r.delivered_any)
        })
        .map(|w| {
            let w = &ctx.net.workloads[w.index()];
            format!("{} `{}`", kind_word(w.kind), w.name)
        })
        .collect();
    let balancers = holders.balanced.contains(&id);
    match (members.len(), reached.as_slice()) {
        (0, _) if balancers => "only load balancers hold the group, and they answer on their listeners alone, but the rule admits far more than they need".to_string(),
        (0, _) => "no workload holds the group yet, but whatever it is attached to admits it".to_string(),
        (_, []) => "no workload holding it is reachable from the internet today (no public address, no route from an internet gateway, or a NACL in the way), but any that becomes so is exposed at once".to_string(),
        (_, [one]) => format!("{one} is reachable on it from any address now"),
        (_, many) => format!("{} are reachable on it from any address now", many.join(", ")),
    }
}

/// The rule narrowed to what the intended flows need (see the documentation); `Err` says why
/// no fix is offered.
fn narrow(ctx: &LintContext, id: SecurityGroupId, rule: &SgRule) -> Result<Fix, String> {
    let net = ctx.net;
    let sg = &net.security_groups[id.index()];
    let text = describe_rule(net, rule, Direction::Inbound);
    let sensitive = SENSITIVE.iter().fold(PortSet::default(), |acc, (p, _)| {
        acc.union(&PortSet::range(PortRange::single(*p)))
    });
    let mut lines: Vec<SgRule> = Vec::new();
    let mut add = |protocol: Protocol, ports: PortRange, peer: SgPeer| {
        let line = SgRule {
            protocol,
            ports,
            peer,
            description: rule.description.clone(),
            origin: rule.origin,
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    };
    for decided in ctx.decided_by(rule.origin, &text) {
        let protocol = decided.flow.protocol;
        if !protocol.has_ports() {
            add(protocol, PortRange::ALL, rule.peer.clone());
            continue;
        }
        for range in decided.request.difference(&sensitive).ranges() {
            add(protocol, range, rule.peer.clone());
        }
        let needed = decided.request.intersection(&sensitive);
        if needed.is_empty() {
            continue;
        }
        let Some(peers) = source_peers(net, decided.flow.source, rule) else {
            return Err(format!(
                "no fix is offered: the intended flow `{}` needs {protocol} {needed} from the whole internet; if administrators use it, admit only their address range",
                flow_text(net, &decided.flow)
            ));
        };
        for range in needed.ranges() {
            for peer in &peers {
                add(protocol, range, peer.clone());
            }
        }
    }
    let broken = ctx.broken_by_narrowing(rule.origin, |changed| {
        let ingress = &mut std::sync::Arc::make_mut(&mut changed.security_groups[id.index()]).ingress;
        ingress.retain(|r| r.origin != rule.origin);
        ingress.extend(lines.iter().cloned());
    });
    if !broken.is_empty() {
        return Err(format!(
            "no fix is offered: narrowing it would break {}",
            broken.join(", ")
        ));
    }
    let texts: Vec<String> = lines
        .iter()
        .map(|l| rule_text(net, sg.vpc, l, Direction::Inbound))
        .collect();
    Ok(if texts.is_empty() {
        Fix::one(
            format!(
                "remove `{text}` from security group {} (no intended flow needs it)",
                sg.name
            ),
            rule.origin,
            EditKind::DeleteLines,
            "",
        )
    } else {
        let shown: Vec<String> = lines
            .iter()
            .map(|l| describe_rule(net, l, Direction::Inbound))
            .collect();
        Fix::one(
            format!("replace `{text}` with `{}`", shown.join("` and `")),
            rule.origin,
            EditKind::Replace,
            texts.join("\n"),
        )
    })
}

/// What a rule admitting a flow's source names: its security group, else its blocks.
fn source_peers(net: &Network, source: &FlowEndpoint, rule: &SgRule) -> Option<Vec<SgPeer>> {
    let groups = match source {
        FlowEndpoint::Workload(w) => net.workloads[w.index()].security_groups.clone(),
        FlowEndpoint::LoadBalancer(lb) => net.load_balancers[lb.index()].security_groups.clone(),
        FlowEndpoint::Endpoint(e) => net.endpoints[e.index()].security_groups.clone(),
        _ => Vec::new(),
    };
    if let Some(g) = groups
        .into_iter()
        .find(|g| !net.security_groups[g.index()].default)
    {
        return Some(vec![SgPeer::SecurityGroup(g)]);
    }
    let SgPeer::Cidr(like) = &rule.peer else {
        return None;
    };
    source_cidrs(net, source, like).map(|cidrs| cidrs.into_iter().map(SgPeer::Cidr).collect())
}
