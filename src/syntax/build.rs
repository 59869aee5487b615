//! pest pairs to [`Tree`]: allocates node ids in pre-order and records their spans.

use pest::iterators::{Pair, Pairs};
use pest::Parser;
use smallvec::SmallVec;

use super::grammar::{Rule, VnetParser};
use super::recovery;
use super::*;

/// Files larger than this are parsed a run of top-level statements at a time, the runs on
/// every core: pest keeps the token queue of everything it parsed until the parse ends
/// (about 8 bytes per source byte), so a single large file held several times its size at
/// once, and a workspace of one large file was parsed on one core. Runs of 64 KiB balance
/// the cores and hold about 1 MiB of queues at once (a 1.3 MB file: 38 → 26 ms to parse and index,
/// its lint's peak RSS 22.4 MiB against 24.5 with runs of 256 KiB).
const CHUNK: usize = 64 * 1024;

pub(super) fn parse(text: &str) -> Parsed {
    if let Some(error) = super::nesting::too_deep(text) {
        return Parsed {
            tree: Arc::new(Tree { items: Vec::new() }),
            spans: Arc::new(SpanTable::default()),
            errors: vec![error],
        };
    }
    parse_in_chunks(text, CHUNK)
}

/// Parses `text` in runs of top-level statements of at least `chunk` bytes, cut only after a
/// `}` that closes a top-level block at the end of a line, the runs on every core. Each run
/// is numbered from 0 and then joined after the runs before it, so the result is the whole
/// parse's. A run with a syntax error makes it parse the whole file instead (recovery may
/// look across the cut).
pub(super) fn parse_in_chunks(text: &str, chunk: usize) -> Parsed {
    let cuts = top_level_cuts(text, chunk);
    if cuts.len() > 1 {
        if let Some(parsed) = parse_runs(text, &cuts) {
            return parsed;
        }
    }
    parse_whole(text)
}

fn parse_runs(text: &str, cuts: &[usize]) -> Option<Parsed> {
    let runs: Vec<std::ops::Range<usize>> = std::iter::once(0)
        .chain(cuts.iter().copied())
        .zip(cuts.iter().copied())
        .map(|(start, end)| start..end)
        .collect();
    let parsed = crate::parallel::map_on_all_cores(&runs, || (), |_, run| parse_run(text, run));
    let mut items = Vec::with_capacity(parsed.iter().flatten().map(|(i, _)| i.len()).sum());
    let mut spans = SpanTable::default();
    for (run_items, run_spans) in parsed.into_iter().collect::<Option<Vec<_>>>()? {
        let first = u32::try_from(spans.len()).ok()?;
        items.extend(run_items.into_iter().map(|mut stmt| {
            stmt.shift_ids(first);
            stmt
        }));
        spans.append(run_spans);
    }
    spans.shrink_to_fit();
    Some(Parsed {
        tree: Arc::new(Tree { items }),
        spans: Arc::new(spans),
        errors: Vec::new(),
    })
}

/// One run of `text`, its node ids from 0; `None` when it has a syntax error.
fn parse_run(text: &str, run: &std::ops::Range<usize>) -> Option<(Vec<Stmt>, SpanTable)> {
    let mut builder = Builder::new(text);
    builder.text = text.get(run.clone())?;
    builder.base = run.start;
    let file = VnetParser::parse(Rule::file, builder.text).ok()?.next()?;
    let items = builder.stmts(file.into_inner(), Rule::strict_top);
    builder.errors.is_empty().then_some((items, builder.spans))
}

/// The ends of the runs: after the newline that follows a `}` closing a top-level block,
/// once a run has `chunk` bytes; the last is the text's end. Braces in comments and strings
/// do not count; an unbalanced `}` stops the cutting (the whole file is then one run).
fn top_level_cuts(text: &str, chunk: usize) -> Vec<usize> {
    // A cut needs a run of `chunk` bytes and a line end after it: most files are one run,
    // and are not scanned for one.
    if text.len() <= chunk {
        return vec![text.len()];
    }
    let bytes = text.as_bytes();
    let (mut depth, mut start, mut cuts) = (0usize, 0usize, Vec::new());
    for (i, bracket) in super::nesting::brackets(text) {
        match bracket {
            b'{' => depth += 1,
            b'}' if depth == 0 => break,
            b'}' => {
                depth -= 1;
                let line_end = match (bytes.get(i + 1), bytes.get(i + 2)) {
                    (Some(b'\n'), _) => Some(i + 2),
                    (Some(b'\r'), Some(b'\n')) => Some(i + 3),
                    _ => None,
                };
                if let Some(end) = line_end.filter(|_| depth == 0 && i + 1 - start >= chunk) {
                    start = end;
                    cuts.push(start);
                }
            }
            _ => {}
        }
    }
    if cuts.last() != Some(&text.len()) {
        cuts.push(text.len());
    }
    cuts
}

fn parse_whole(text: &str) -> Parsed {
    let mut builder = Builder::new(text);
    let items = match VnetParser::parse(Rule::file, text) {
        Ok(mut pairs) => match pairs.next() {
            Some(file) => builder.stmts(file.into_inner(), Rule::strict_top),
            None => Vec::new(),
        },
        // `file` accepts any text through its error productions; this is reached only when
        // pest gives up (nesting beyond its call limit).
        Err(err) => {
            let error = recovery::from_pest_error(text, 0, &err);
            builder.push_error(error);
            Vec::new()
        }
    };
    builder.errors.sort_by_key(|e| e.span);
    builder.spans.shrink_to_fit();
    Parsed {
        tree: Arc::new(Tree { items }),
        spans: Arc::new(builder.spans),
        errors: builder.errors,
    }
}

struct Builder<'t> {
    /// The text being parsed: the file, or a repaired copy of one unclosed top-level block.
    text: &'t str,
    /// Offset of `text` in the file.
    base: usize,
    spans: SpanTable,
    errors: Vec<SyntaxError>,
    /// Set while re-parsing a repaired block, so that repair is not attempted twice.
    nested: bool,
    /// The file's length: spans never reach past it (a repaired block's added `}` is not
    /// in the file).
    limit: usize,
    /// The blocks being built, innermost last: a syntax error names the block it is in.
    enclosing: Vec<(BlockKind, String)>,
    /// Statement buffers, one per block being built, reused from block to block.
    bodies: Vec<Vec<Stmt>>,
}

/// The values of one line or list. A rule line has at most five, held without a heap
/// allocation (a vector per line was one more allocation for every rule written).
type Values = SmallVec<[Value; 6]>;

impl<'t> Builder<'t> {
    /// A builder for the whole of `text`.
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            base: 0,
            spans: SpanTable::default(),
            errors: Vec::new(),
            nested: false,
            limit: text.len(),
            enclosing: Vec::new(),
            bodies: Vec::new(),
        }
    }

    fn span_of(&self, pair: &Pair<Rule>) -> Span {
        self.file_span(pair.as_span().start(), trimmed_end(pair))
    }

    /// The span in the file of `start..end` in `text`, never past the file's end.
    fn file_span(&self, start: usize, end: usize) -> Span {
        let clamp = |offset: usize| (self.base + offset).min(self.limit);
        Span::new(clamp(start), clamp(end))
    }

    fn node(&mut self, pair: &Pair<Rule>) -> NodeId {
        let span = self.span_of(pair);
        self.spans.push(span)
    }

    /// [`Self::node`] for a token (an atomic rule): it ends where its text does, so its span
    /// is taken as is, without looking through its children for trailing whitespace.
    fn token(&mut self, pair: &Pair<Rule>) -> NodeId {
        let s = pair.as_span();
        let span = self.file_span(s.start(), s.end());
        self.spans.push(span)
    }

    /// The statements of one position; `strict` is the rule that re-parses its error nodes.
    fn stmts(&mut self, pairs: Pairs<Rule>, strict: Rule) -> Vec<Stmt> {
        let mut out = self.bodies.pop().unwrap_or_default();
        for pair in pairs {
            if pair.as_rule() == Rule::top_error && !self.nested {
                out.extend(self.top_error(pair));
            } else if let Some(stmt) = self.stmt(pair, strict) {
                out.push(stmt);
            }
        }
        self.exact(out)
    }

    /// The statements of `buffer` in a vector of their exact size, the buffer kept for the
    /// next block. Trees are kept for the whole run (a statement list's spare capacity was a
    /// third of a large workspace's tree memory), and a list grown and shrunk in place moved
    /// each statement several times.
    fn exact(&mut self, mut buffer: Vec<Stmt>) -> Vec<Stmt> {
        let mut stmts = Vec::with_capacity(buffer.len());
        stmts.append(&mut buffer);
        self.bodies.push(buffer);
        stmts
    }

    fn stmt(&mut self, pair: Pair<Rule>, strict: Rule) -> Option<Stmt> {
        let rule = pair.as_rule();
        if let Some(kind) = block_kind(rule) {
            return Some(Stmt::Block(Box::new(self.block(pair, kind))));
        }
        if let Some(key) = attr_key(rule) {
            return Some(Stmt::Attr(self.attr(pair, key)));
        }
        Some(match rule {
            Rule::route => Stmt::Route(Box::new(self.route(pair))),
            Rule::nacl_inbound | Rule::nacl_outbound => {
                Stmt::NaclRule(Box::new(self.nacl_rule(pair)))
            }
            Rule::sg_ingress | Rule::sg_egress => Stmt::SgRule(Box::new(self.sg_rule(pair))),
            Rule::listener => Stmt::Listener(Box::new(self.listener(pair))),
            Rule::expect => Stmt::Expect(Box::new(self.expect(pair))),
            Rule::stmt_error | Rule::top_error => Stmt::Error(self.error(pair, strict)),
            _ => return None,
        })
    }

    fn block(&mut self, pair: Pair<Rule>, kind: BlockKind) -> Block {
        let id = self.node(&pair);
        let strict = strict_rule(kind);
        // The name's node comes right after the block's (see [`NodeId::block_name`]).
        let name = match pair
            .clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::name)
        {
            Some(inner) => Ident {
                id: self.node(&inner),
                text: inner.as_str().to_string(),
            },
            None => Ident {
                id: self.spans.push(self.spans.get(id)),
                text: String::new(),
            },
        };
        self.enclosing.push((kind, name.text.clone()));
        let mut body = self.bodies.pop().unwrap_or_default();
        for inner in pair.into_inner() {
            if inner.as_rule() != Rule::name {
                if let Some(stmt) = self.stmt(inner, strict) {
                    body.push(stmt);
                }
            }
        }
        self.enclosing.pop();
        let body = self.exact(body);
        Block {
            id,
            kind,
            name,
            body,
        }
    }

    fn attr(&mut self, pair: Pair<Rule>, key: AttrKey) -> Attr {
        let id = self.node(&pair);
        let value = self.values(pair.into_inner()).into_iter().next();
        let value = value.unwrap_or_else(|| Value {
            id: self.spans.push(self.spans.get(id)),
            kind: ValueKind::List(Vec::new()),
        });
        Attr { id, key, value }
    }

    /// The value-bearing pairs among `pairs`, skipping keywords and punctuation and looking
    /// through arrows.
    fn values(&mut self, pairs: Pairs<Rule>) -> Values {
        let mut out = Values::new();
        for pair in pairs {
            match pair.as_rule() {
                Rule::route_arrow | Rule::listener_arrow | Rule::expect_arrow => {
                    out.extend(self.values(pair.into_inner()))
                }
                _ => {
                    if let Some(v) = self.value(pair) {
                        out.push(v)
                    }
                }
            }
        }
        out
    }

    fn value(&mut self, pair: Pair<Rule>) -> Option<Value> {
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::reference => ValueKind::Ref(Text::from(text)),
            Rule::cidr_v4 | Rule::cidr_v6 => ValueKind::Cidr(Text::from(text)),
            Rule::addr_v4 | Rule::addr_v6 => ValueKind::Address(Text::from(text)),
            Rule::int | Rule::rule_number => ValueKind::Int(Text::from(text)),
            Rule::ports => ValueKind::Ports(Text::from(text)),
            Rule::string => ValueKind::Str(Text::from(unescape(text))),
            Rule::boolean => ValueKind::Bool(text == "true"),
            Rule::ident
            | Rule::bandwidth
            | Rule::protocol
            | Rule::app_protocol
            | Rule::endpoint_type
            | Rule::lb_type
            | Rule::connection_type
            | Rule::connectivity
            | Rule::auth
            | Rule::action
            | Rule::verdict
            | Rule::blackhole
            | Rule::internet
            | Rule::region_name
            | Rule::az_name => ValueKind::Word(Text::from(text)),
            Rule::list => {
                let id = self.node(&pair);
                let items = self.values(pair.into_inner());
                return Some(Value {
                    id,
                    kind: ValueKind::List(items.into_vec()),
                });
            }
            _ => return None,
        };
        Some(Value {
            id: self.token(&pair),
            kind,
        })
    }

    /// Splits the values of a rule-like line; missing parts (impossible after a successful
    /// parse) become empty words rather than panics.
    fn parts(&mut self, pair: Pair<Rule>) -> (NodeId, Values) {
        let id = self.node(&pair);
        let values = self.values(pair.into_inner());
        (id, values)
    }

    fn take(&mut self, values: &mut impl Iterator<Item = Value>, at: NodeId) -> Value {
        values.next().unwrap_or_else(|| Value {
            id: self.spans.push(self.spans.get(at)),
            kind: ValueKind::Word(Text::default()),
        })
    }

    fn route(&mut self, pair: Pair<Rule>) -> Route {
        let (id, values) = self.parts(pair);
        let mut values = values.into_iter();
        let dest = self.take(&mut values, id);
        let target = self.take(&mut values, id);
        Route { id, dest, target }
    }

    fn nacl_rule(&mut self, pair: Pair<Rule>) -> NaclRule {
        let direction = if pair.as_rule() == Rule::nacl_inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        };
        let (id, values) = self.parts(pair);
        let has_ports = values.len() == 5;
        let mut values = values.into_iter();
        let number = self.take(&mut values, id);
        let action = self.take(&mut values, id);
        let protocol = self.take(&mut values, id);
        let ports = has_ports.then(|| self.take(&mut values, id));
        let peer = self.take(&mut values, id);
        NaclRule {
            id,
            direction,
            number,
            action,
            protocol,
            ports,
            peer,
        }
    }

    fn sg_rule(&mut self, pair: Pair<Rule>) -> SgRule {
        let direction = if pair.as_rule() == Rule::sg_ingress {
            Direction::Inbound
        } else {
            Direction::Outbound
        };
        let (id, values) = self.parts(pair);
        let mut ports = None;
        let mut description = None;
        let mut rest = Values::new();
        for (i, v) in values.into_iter().enumerate() {
            match v.kind {
                ValueKind::Ports(_) if i == 1 => ports = Some(v),
                ValueKind::Str(_) if i > 1 => description = Some(v),
                _ => rest.push(v),
            }
        }
        let mut rest = rest.into_iter();
        let protocol = self.take(&mut rest, id);
        let peer = self.take(&mut rest, id);
        SgRule {
            id,
            direction,
            protocol,
            ports,
            peer,
            description,
        }
    }

    fn listener(&mut self, pair: Pair<Rule>) -> Listener {
        let (id, values) = self.parts(pair);
        let mut values = values.into_iter();
        let protocol = self.take(&mut values, id);
        let port = self.take(&mut values, id);
        let target = self.take(&mut values, id);
        Listener {
            id,
            protocol,
            port,
            target,
        }
    }

    fn expect(&mut self, pair: Pair<Rule>) -> Expect {
        let (id, values) = self.parts(pair);
        let has_ports = values.len() == 5;
        let mut values = values.into_iter();
        let src = self.take(&mut values, id);
        let dst = self.take(&mut values, id);
        let protocol = self.take(&mut values, id);
        let ports = has_ports.then(|| self.take(&mut values, id));
        let verdict = self.take(&mut values, id);
        Expect {
            id,
            src,
            dst,
            protocol,
            ports,
            verdict,
        }
    }

    fn error(&mut self, pair: Pair<Rule>, strict: Rule) -> ErrorNode {
        let id = self.node(&pair);
        let s = pair.as_span();
        let local = Span::new(s.start(), s.end());
        let enclosing = self.enclosing.last().map(|(k, n)| (*k, n.as_str()));
        let error = recovery::diagnose(self.text, local, strict, enclosing);
        self.push_error(error);
        ErrorNode {
            id,
            names: recovery::names_in(pair.as_str()),
        }
    }

    fn push_error(&mut self, mut error: SyntaxError) {
        let limit = (self.base + self.text.len()).min(self.limit);
        let shift = |s: Span| {
            let start = (self.base + s.start as usize).min(limit);
            let end = (self.base + s.end as usize).min(limit);
            Span::new(start, end)
        };
        error.span = shift(error.span);
        error.skipped = shift(error.skipped);
        self.errors.push(error);
    }

    /// A top-level error. When it is a block that is never closed (the strict parse runs out
    /// of text still inside it), the block is re-parsed with a `}` added at its end, so that
    /// its contents are analysed and their own errors reported.
    fn top_error(&mut self, pair: Pair<Rule>) -> Vec<Stmt> {
        let s = pair.as_span();
        let local = Span::new(s.start(), s.end());
        let error = recovery::diagnose(self.text, local, Rule::strict_top, None);
        let content_end = s.start() + pair.as_str().trim_end().len();
        let unclosed = error.span.start as usize >= content_end && error.message.contains("`}`");
        if !unclosed {
            let id = self.node(&pair);
            self.push_error(error);
            return vec![Stmt::Error(ErrorNode {
                id,
                names: recovery::names_in(pair.as_str()),
            })];
        }
        let found = match self.text[content_end..].split_whitespace().next() {
            None => "end of file".to_string(),
            Some(next) => format!("`{next}`"),
        };
        let repaired = format!("{}\n}}", pair.as_str());
        let mut inner = Builder {
            base: self.base + s.start(),
            spans: std::mem::take(&mut self.spans),
            errors: std::mem::take(&mut self.errors),
            nested: true,
            limit: self.limit,
            ..Builder::new(&repaired)
        };
        let at = Span::new(content_end - s.start(), content_end - s.start());
        // The block's header (`vpc prod`), so that the message names the unclosed block.
        let header: Vec<&str> = pair.as_str().split_whitespace().take(2).collect();
        inner.push_error(SyntaxError {
            span: at,
            skipped: at,
            message: format!(
                "expected `}}` to close `{}`, found {found}",
                header.join(" ")
            ),
        });
        let items = match VnetParser::parse(Rule::file, &repaired) {
            Ok(mut pairs) => pairs
                .next()
                .map(|file| inner.stmts(file.into_inner(), Rule::strict_top))
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        self.spans = inner.spans;
        self.errors = inner.errors;
        items
    }
}

/// The end of `pair` without the whitespace and comments that pest's implicit skip consumed
/// before a trailing optional part that turned out to be absent (`ingress tcp 443 from sg`
/// followed by no description), so that a node's span ends at its last token.
fn trimmed_end(pair: &Pair<Rule>) -> usize {
    let end = pair.as_span().end();
    // The last child, taken from the back (walking forward made a pair for every child).
    // Not `Pair::tokens`: pest checks its whole token queue there in debug builds.
    let Some(last) = pair.clone().into_inner().next_back() else {
        return end;
    };
    let last_end = last.as_span().end();
    let mut tail = &pair.get_input()[last_end.min(end)..end];
    loop {
        tail = tail.trim_start();
        match tail.strip_prefix('#') {
            Some(comment) => tail = comment.find('\n').map_or("", |i| &comment[i..]),
            None => break,
        }
    }
    if tail.is_empty() && last_end <= end {
        last_end
    } else {
        end
    }
}

fn unescape(quoted: &str) -> String {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(quoted);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn block_kind(rule: Rule) -> Option<BlockKind> {
    Some(match rule {
        Rule::vpc => BlockKind::Vpc,
        Rule::peering => BlockKind::Peering,
        Rule::transit_gateway => BlockKind::TransitGateway,
        Rule::attachment => BlockKind::Attachment,
        Rule::on_premises => BlockKind::OnPremises,
        Rule::connection => BlockKind::Connection,
        Rule::service_network => BlockKind::ServiceNetwork,
        Rule::lattice_service => BlockKind::LatticeService,
        Rule::subnet => BlockKind::Subnet,
        Rule::route_table => BlockKind::RouteTable,
        Rule::nacl => BlockKind::Nacl,
        Rule::security_group => BlockKind::SecurityGroup,
        Rule::nat_gateway => BlockKind::NatGateway,
        Rule::internet_gateway => BlockKind::InternetGateway,
        Rule::vpn_gateway => BlockKind::VpnGateway,
        Rule::endpoint => BlockKind::Endpoint,
        Rule::endpoint_service => BlockKind::EndpointService,
        Rule::load_balancer => BlockKind::LoadBalancer,
        Rule::target_group => BlockKind::TargetGroup,
        Rule::instance => BlockKind::Instance,
        Rule::function => BlockKind::Function,
        Rule::database => BlockKind::Database,
        Rule::resource_gateway => BlockKind::ResourceGateway,
        Rule::resource_configuration => BlockKind::ResourceConfiguration,
        _ => return None,
    })
}

fn attr_key(rule: Rule) -> Option<AttrKey> {
    Some(match rule {
        Rule::region_attr => AttrKey::Region,
        Rule::cidr_attr => AttrKey::Cidr,
        Rule::dns_hostnames_attr => AttrKey::DnsHostnames,
        Rule::dns_support_attr => AttrKey::DnsSupport,
        Rule::az_attr => AttrKey::Az,
        Rule::route_table_attr => AttrKey::RouteTable,
        Rule::route_tables_attr => AttrKey::RouteTables,
        Rule::nacl_attr => AttrKey::Nacl,
        Rule::public_ip_on_launch_attr => AttrKey::PublicIpOnLaunch,
        Rule::main_attr => AttrKey::Main,
        Rule::subnet_attr => AttrKey::Subnet,
        Rule::subnets_attr => AttrKey::Subnets,
        Rule::connectivity_attr => AttrKey::Connectivity,
        Rule::description_attr => AttrKey::Description,
        Rule::service_attr => AttrKey::Service,
        Rule::services_attr => AttrKey::Services,
        Rule::endpoint_type_attr | Rule::lb_type_attr | Rule::connection_type_attr => AttrKey::Type,
        Rule::security_groups_attr => AttrKey::SecurityGroups,
        Rule::private_dns_attr => AttrKey::PrivateDns,
        Rule::load_balancer_attr => AttrKey::LoadBalancer,
        Rule::acceptance_required_attr => AttrKey::AcceptanceRequired,
        Rule::allowed_principals_attr => AttrKey::AllowedPrincipals,
        Rule::internal_attr => AttrKey::Internal,
        Rule::protocol_attr => AttrKey::Protocol,
        Rule::port_attr => AttrKey::Port,
        Rule::targets_attr => AttrKey::Targets,
        Rule::uses_attr => AttrKey::Uses,
        Rule::public_ip_attr => AttrKey::PublicIp,
        Rule::private_ip_attr => AttrKey::PrivateIp,
        Rule::engine_attr => AttrKey::Engine,
        Rule::gateway_attr => AttrKey::Gateway,
        Rule::address_attr => AttrKey::Address,
        Rule::share_with_attr => AttrKey::ShareWith,
        Rule::requester_attr => AttrKey::Requester,
        Rule::accepter_attr => AttrKey::Accepter,
        Rule::vpc_attr => AttrKey::Vpc,
        Rule::vpcs_attr => AttrKey::Vpcs,
        Rule::asn_attr => AttrKey::Asn,
        Rule::bandwidth_attr => AttrKey::Bandwidth,
        Rule::customer_gateway_attr => AttrKey::CustomerGateway,
        Rule::auth_attr => AttrKey::Auth,
        _ => return None,
    })
}

/// The strict rule that re-parses an error node found in the body of a block of `kind`.
fn strict_rule(kind: BlockKind) -> Rule {
    match kind {
        BlockKind::Vpc => Rule::strict_vpc,
        BlockKind::Peering => Rule::strict_peering,
        BlockKind::TransitGateway => Rule::strict_transit_gateway,
        BlockKind::Attachment => Rule::strict_attachment,
        BlockKind::OnPremises => Rule::strict_on_premises,
        BlockKind::Connection => Rule::strict_connection,
        BlockKind::ServiceNetwork => Rule::strict_service_network,
        BlockKind::LatticeService => Rule::strict_lattice_service,
        BlockKind::Subnet => Rule::strict_subnet,
        BlockKind::RouteTable => Rule::strict_route_table,
        BlockKind::Nacl => Rule::strict_nacl,
        BlockKind::SecurityGroup => Rule::strict_security_group,
        BlockKind::NatGateway => Rule::strict_nat_gateway,
        BlockKind::InternetGateway => Rule::strict_top,
        BlockKind::VpnGateway => Rule::strict_vpn_gateway,
        BlockKind::Endpoint => Rule::strict_endpoint,
        BlockKind::EndpointService => Rule::strict_endpoint_service,
        BlockKind::LoadBalancer => Rule::strict_load_balancer,
        BlockKind::TargetGroup => Rule::strict_target_group,
        BlockKind::Instance | BlockKind::Function | BlockKind::Database => Rule::strict_workload,
        BlockKind::ResourceGateway => Rule::strict_resource_gateway,
        BlockKind::ResourceConfiguration => Rule::strict_resource_configuration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vnet_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                vnet_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "vnet") {
                out.push(path);
            }
        }
    }

    /// Parsing in runs (here: cut after every top-level block) gives the whole parse's tree,
    /// node ids, spans and errors, on every example and fixture, with LF and CRLF line ends.
    #[test]
    fn runs_parse_like_the_whole_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        vnet_files(&root.join("examples"), &mut files);
        vnet_files(&root.join("tests/fixtures"), &mut files);
        assert!(files.len() > 50, "found {} files", files.len());
        let mut cut = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for text in [text.clone(), text.replace('\n', "\r\n")] {
                let whole = parse_whole(&text);
                let runs = parse_in_chunks(&text, 1);
                let shown = |p: &Parsed| format!("{:?} {:?} {:?}", p.tree, p.spans, p.errors);
                assert_eq!(shown(&whole), shown(&runs), "{}", path.display());
                cut += usize::from(top_level_cuts(&text, 1).len() > 1);
            }
        }
        assert!(cut > 50, "only {cut} files were cut");
    }
}
