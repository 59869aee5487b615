//! Precise syntax errors for the error nodes of the lenient parse.
//!
//! The lenient grammar knows only that some text begins no statement of its position. To
//! say what is wrong, the text is re-parsed from the error node's start with the strict rule
//! of that position; pest then reports the furthest offset it reached and the rules it
//! expected there, which are turned into words here.

use pest::error::{Error, ErrorVariant, InputLocation};
use pest::Parser;

use super::grammar::{Rule, VnetParser};
use super::{BlockKind, Span, SyntaxError};

/// `enclosing` is the block the error node is in (`None` at the top level).
pub(super) fn diagnose(
    text: &str,
    skipped: Span,
    strict: Rule,
    enclosing: Option<(BlockKind, &str)>,
) -> SyntaxError {
    let start = skipped.start as usize;
    if enclosing.is_none() && text[start..].starts_with('}') {
        return SyntaxError {
            span: token_at(text, start),
            skipped,
            message: "unexpected `}`: it closes no block (is there a `}` too many?)".to_string(),
        };
    }
    if let Some(message) = misplaced_block(&text[start..], enclosing) {
        return SyntaxError {
            span: token_at(text, start),
            skipped,
            message,
        };
    }
    let rest = &text[start..];
    match VnetParser::parse(strict, rest) {
        Err(err) => {
            let mut e = from_pest_error(text, start, &err);
            e.skipped = skipped;
            e
        }
        // The strict rule accepts a prefix that the lenient parse could not place (it cannot
        // happen with the current grammar); report the skipped text as unexpected.
        Ok(_) => SyntaxError {
            span: token_at(text, start),
            skipped,
            message: format!("unexpected {}", found(text, start)),
        },
    }
}

/// Converts a pest error on `text[base..]` into a [`SyntaxError`] on `text`.
pub(super) fn from_pest_error(text: &str, base: usize, err: &Error<Rule>) -> SyntaxError {
    let pos = base
        + match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    let pos = pos.min(text.len());
    if let Some(error) = unterminated_string(text, pos) {
        return error;
    }
    let message = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let words = expected_words(positives);
            let found = found(text, pos);
            let mut message = if words.is_empty() {
                format!("unexpected {found}")
            } else {
                format!("expected {}, found {found}", join_or(&words))
            };
            if let Some(suggestion) = did_you_mean(&words, &text[token_at(text, pos).range()]) {
                message.push_str(&format!("; did you mean `{suggestion}`?"));
            }
            message
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    SyntaxError {
        span: token_at(text, pos),
        skipped: Span::new(pos, text.len()),
        message,
    }
}

/// `KIND NAME {` where the position does not accept that kind of block: most often the `}`
/// of the enclosing block is missing above it (or, at the top level, a `}` too many closed
/// the VPC early). Said in those words, rather than "expected ..., found `route_table`" when
/// `route_table` is an attribute of the enclosing block too.
fn misplaced_block(rest: &str, enclosing: Option<(BlockKind, &str)>) -> Option<String> {
    let word_end = |s: &str| {
        s.find(|c: char| !(is_word_char(c) || c == '.'))
            .unwrap_or(s.len())
    };
    let keyword = &rest[..word_end(rest)];
    let kind = *BlockKind::ALL.iter().find(|k| k.keyword() == keyword)?;
    let accepted = match enclosing.map(|(k, _)| k) {
        None => kind.is_top_level(),
        Some(BlockKind::Vpc) => {
            !kind.is_top_level() && !matches!(kind, BlockKind::Attachment | BlockKind::Connection)
        }
        Some(BlockKind::TransitGateway) => kind == BlockKind::Attachment,
        Some(BlockKind::OnPremises) => kind == BlockKind::Connection,
        Some(_) => false,
    };
    if accepted {
        // A block of the right kind whose own text is broken: pest says what is wrong.
        return None;
    }
    let after = rest[keyword.len()..].trim_start_matches([' ', '\t']);
    let name = &after[..word_end(after)];
    if name.is_empty() || !after[name.len()..].trim_start().starts_with('{') {
        return None;
    }
    Some(match enclosing {
        Some((outer, outer_name)) => format!(
            "{} `{name}` cannot stand inside {} `{outer_name}`: is the `}}` that closes `{outer_name}` missing above it?",
            bare(kind),
            bare(outer),
        ),
        None => format!(
            "{} `{name}` cannot stand at the top level: it belongs inside {}; is there a `}}` too many above it?",
            bare(kind),
            match kind {
                BlockKind::Attachment => "a `transit_gateway` block",
                BlockKind::Connection => "an `on_premises` block",
                _ => "a `vpc` block",
            }
        ),
    })
}

/// "subnet" for "a subnet".
fn bare(kind: BlockKind) -> &'static str {
    let words = kind.describe();
    words.split_once(' ').map_or(words, |(_, rest)| rest)
}

/// A string that is not closed on its line: strings cannot span lines, so the grammar's
/// expectations at its opening quote would only confuse.
fn unterminated_string(text: &str, pos: usize) -> Option<SyntaxError> {
    let rest = text.get(pos..)?.strip_prefix('"')?;
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '"' if !escaped => return None,
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    let end = pos + 1 + line.trim_end().len();
    Some(SyntaxError {
        span: Span::new(pos, end),
        skipped: Span::new(pos, end),
        message: "unterminated string: a string ends with `\"` on the line it starts".to_string(),
    })
}

/// The identifiers in skipped text: declarations a syntax error may have swallowed.
pub(super) fn names_in(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .flat_map(|w| w.split('.'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn token_at(text: &str, pos: usize) -> Span {
    let rest = &text[pos..];
    let len = match rest.chars().next() {
        None => 0,
        Some(c) if is_word_char(c) => rest
            .char_indices()
            .find(|&(_, c)| !(is_word_char(c) || c == '.' || c == '/' || c == ':'))
            .map_or(rest.len(), |(i, _)| i),
        Some('\n') | Some('\r') => 0,
        Some(c) if rest.starts_with("->") && c == '-' => 2,
        Some(c) => c.len_utf8(),
    };
    Span::new(pos, pos + len)
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn found(text: &str, pos: usize) -> String {
    let span = token_at(text, pos);
    let token = &text[span.range()];
    match text[pos..].chars().next() {
        None => "end of file".to_string(),
        Some('\n') | Some('\r') => "end of line".to_string(),
        // Control characters escaped; quotes kept as written (`"`, not `\"`).
        _ => format!(
            "`{}`",
            token
                .chars()
                .map(|c| if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                })
                .collect::<String>()
        ),
    }
}

fn join_or(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The expected things in words, keywords first and the closing brace last.
fn expected_words(rules: &[Rule]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for rule in rules {
        if let Some(w) = describe(*rule) {
            let w = w.to_string();
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out.sort_by_key(|w| w == "`}`");
    out
}

/// A keyword among the expected ones that the found token is a likely misspelling of.
fn did_you_mean<'w>(words: &'w [String], token: &str) -> Option<&'w str> {
    // Only a word can be a misspelt keyword (`{` is not a misspelt `az`).
    if !token.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    words
        .iter()
        .filter_map(|w| w.strip_prefix('`')?.strip_suffix('`'))
        .filter(|kw| kw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(|kw| (strsim::damerau_levenshtein(kw, token), kw))
        .filter(|&(d, kw)| d > 0 && d <= 2.max(kw.len() / 4))
        .min_by_key(|&(d, _)| d)
        .map(|(_, kw)| kw)
}

/// What a rule expects, in words; `None` for rules that say nothing useful to a user.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        // Values.
        name | ident => "a name",
        region_name => "a region (`us-east-1`)",
        az_name => "an availability zone (`us-east-1a`)",
        reference | path => "a name",
        cidr_v4 | cidr_v6 => "a CIDR block (`10.0.0.0/16`)",
        addr_v4 | addr_v6 => "an IP address",
        int => "a number",
        rule_number => "a rule number (1-32766)",
        ports => "a port or port range (`443`, `1024-65535`)",
        string => "a string",
        boolean => "`true` or `false`",
        list | lbracket => "a list (`[a, b]`)",
        rbracket => "`]`",
        lbrace => "`{`",
        rbrace => "`}`",
        protocol => "a protocol (`tcp`, `udp`, `icmp`, `all`)",
        app_protocol => "a protocol (`http`, `https`, `tcp`, `tls`, `udp`, `tcp_udp`)",
        action => "`allow` or `deny`",
        verdict => "`allowed` or `denied`",
        endpoint_type => "`gateway` or `interface`",
        lb_type => "`application` or `network`",
        connection_type => "`vpn` or `direct_connect`",
        connectivity => "`public` or `private`",
        auth => "`none` or `iam`",
        blackhole => "`blackhole`",
        internet => "`internet`",
        route_arrow => "`->` and a route target",
        listener_arrow => "`->` and a target group",
        expect_arrow => "`->` and a destination",
        kw_from => "`from`",
        kw_to => "`to`",
        // Statements and their keywords.
        vpc | kw_vpc => "`vpc`",
        peering | kw_peering => "`peering`",
        transit_gateway | kw_transit_gateway => "`transit_gateway`",
        on_premises | kw_on_premises => "`on_premises`",
        service_network | kw_service_network => "`service_network`",
        lattice_service | kw_lattice_service => "`lattice_service`",
        expect | kw_expect => "`expect`",
        region_attr | kw_region => "`region`",
        cidr_attr | kw_cidr => "`cidr`",
        dns_hostnames_attr | kw_dns_hostnames => "`dns_hostnames`",
        dns_support_attr | kw_dns_support => "`dns_support`",
        subnet | subnet_attr | kw_subnet => "`subnet`",
        route_table | route_table_attr | kw_route_table => "`route_table`",
        nacl | nacl_attr | kw_nacl => "`nacl`",
        security_group | kw_security_group => "`security_group`",
        nat_gateway | kw_nat_gateway => "`nat_gateway`",
        internet_gateway | kw_internet_gateway => "`internet_gateway`",
        vpn_gateway | kw_vpn_gateway => "`vpn_gateway`",
        endpoint_service | kw_endpoint_service => "`endpoint_service`",
        endpoint | kw_endpoint => "`endpoint`",
        load_balancer | load_balancer_attr | kw_load_balancer => "`load_balancer`",
        target_group | kw_target_group => "`target_group`",
        instance | kw_instance => "`instance`",
        function | kw_function => "`function`",
        database | kw_database => "`database`",
        resource_gateway | kw_resource_gateway => "`resource_gateway`",
        resource_configuration | kw_resource_configuration => "`resource_configuration`",
        asn_attr | kw_asn => "`asn`",
        az_attr | kw_az => "`az`",
        public_ip_on_launch_attr | kw_public_ip_on_launch => "`public_ip_on_launch`",
        main_attr | kw_main => "`main`",
        route | kw_route => "`route`",
        connectivity_attr | kw_connectivity => "`connectivity`",
        nacl_inbound | kw_inbound => "`inbound`",
        nacl_outbound | kw_outbound => "`outbound`",
        sg_ingress | kw_ingress => "`ingress`",
        sg_egress | kw_egress => "`egress`",
        description_attr | kw_description => "`description`",
        service_attr | kw_service => "`service`",
        endpoint_type_attr | lb_type_attr | connection_type_attr | kw_type => "`type`",
        route_tables_attr | kw_route_tables => "`route_tables`",
        subnets_attr | kw_subnets => "`subnets`",
        security_groups_attr | kw_security_groups => "`security_groups`",
        private_dns_attr | kw_private_dns => "`private_dns`",
        acceptance_required_attr | kw_acceptance_required => "`acceptance_required`",
        allowed_principals_attr | kw_allowed_principals => "`allowed_principals`",
        internal_attr | kw_internal => "`internal`",
        listener | kw_listener => "`listener`",
        protocol_attr | kw_protocol => "`protocol`",
        port_attr | kw_port => "`port`",
        targets_attr | kw_targets => "`targets`",
        uses_attr | kw_uses => "`uses`",
        public_ip_attr | kw_public_ip => "`public_ip`",
        private_ip_attr | kw_private_ip => "`private_ip`",
        engine_attr | kw_engine => "`engine`",
        gateway_attr | kw_gateway => "`gateway`",
        address_attr | kw_address => "`address`",
        share_with_attr | kw_share_with => "`share_with`",
        requester_attr | kw_requester => "`requester`",
        accepter_attr | kw_accepter => "`accepter`",
        attachment | kw_attachment => "`attachment`",
        vpc_attr => "`vpc`",
        connection | kw_connection => "`connection`",
        bandwidth_attr | kw_bandwidth => "`bandwidth`",
        customer_gateway_attr | kw_customer_gateway => "`customer_gateway`",
        auth_attr | kw_auth => "`auth`",
        vpcs_attr | kw_vpcs => "`vpcs`",
        services_attr | kw_services => "`services`",
        EOI => "end of file",
        _ => return None,
    })
}
