//! The statements of a file as the formatter sees them: blocks with bodies and one-line
//! statements, each a range of token indices (see [`super::tokens`]).

use pest::iterators::Pair;

use super::tokens::Token;
use crate::syntax::Rule;

/// How a one-line statement is aligned with its neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowKind {
    /// `inbound N allow PROTO [PORTS] from PEER`: columns line up.
    Nacl,
    /// `ingress PROTO [PORTS] from PEER ["description"]`: columns line up.
    SecurityGroup,
    /// `route CIDR -> TARGET`: the arrows line up.
    Route,
    /// Attributes, listeners, `expect`: written as they are.
    Plain,
}

#[derive(Clone, Debug)]
pub(crate) enum Stmt {
    Block(Block),
    Line(Line),
}

/// `KIND NAME { ... }` or `KIND NAME`.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub kind: Rule,
    /// The keyword's token; the name's is the next one.
    pub first: usize,
    pub body: Option<Body>,
}

#[derive(Clone, Debug)]
pub(crate) struct Body {
    /// Token indices of `{` and `}`.
    pub open: usize,
    pub close: usize,
    pub stmts: Vec<Stmt>,
    /// The author wrote the block on one line.
    pub one_line_in_source: bool,
}

/// A statement without a body: tokens `first..=last`.
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub kind: RowKind,
    pub first: usize,
    pub last: usize,
}

impl Stmt {
    pub fn first(&self) -> usize {
        match self {
            Stmt::Block(b) => b.first,
            Stmt::Line(l) => l.first,
        }
    }

    pub fn last(&self) -> usize {
        match self {
            Stmt::Block(b) => b.body.as_ref().map_or(b.first + 1, |body| body.close),
            Stmt::Line(l) => l.last,
        }
    }
}

/// A statement pair that the formatter did not expect (an error node).
#[derive(Debug)]
pub(crate) struct Unexpected;

/// Builds statements from pest pairs, locating their tokens by byte offset.
pub(crate) struct TreeBuilder<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
}

impl TreeBuilder<'_> {
    /// The statements among `pairs` (the inner pairs of the file or of a block).
    pub fn stmts<'i>(
        &self,
        pairs: impl Iterator<Item = Pair<'i, Rule>>,
    ) -> Result<Vec<Stmt>, Unexpected> {
        let mut out = Vec::new();
        for pair in pairs {
            match pair.as_rule() {
                Rule::EOI | Rule::rbrace => {}
                Rule::stmt_error | Rule::top_error => return Err(Unexpected),
                _ => out.push(self.stmt(pair)?),
            }
        }
        Ok(out)
    }

    fn stmt(&self, pair: Pair<'_, Rule>) -> Result<Stmt, Unexpected> {
        let rule = pair.as_rule();
        let first = self.index(pair.as_span().start())?;
        let has_name = pair.clone().into_inner().any(|p| p.as_rule() == Rule::name);
        if !has_name {
            let last = self.index(last_leaf_start(&pair))?;
            return Ok(Stmt::Line(Line {
                kind: row_kind(rule),
                first,
                last,
            }));
        }
        let inner: Vec<_> = pair.into_inner().collect();
        let open = inner.iter().find(|p| p.as_rule() == Rule::lbrace);
        let close = inner.iter().rfind(|p| p.as_rule() == Rule::rbrace);
        let body = match (open, close) {
            (Some(open), Some(close)) => {
                let (o, c) = (open.as_span().start(), close.as_span().start());
                Some(Body {
                    open: self.index(o)?,
                    close: self.index(c)?,
                    one_line_in_source: !self.text[o..c].contains('\n'),
                    stmts: self.stmts(
                        inner
                            .into_iter()
                            .skip_while(|p| p.as_rule() != Rule::lbrace)
                            .skip(1),
                    )?,
                })
            }
            _ => None,
        };
        Ok(Stmt::Block(Block {
            kind: rule,
            first,
            body,
        }))
    }

    fn index(&self, start: usize) -> Result<usize, Unexpected> {
        self.tokens
            .binary_search_by_key(&start, |t| t.start)
            .map_err(|_| Unexpected)
    }
}

/// Where the last terminal of a pair starts.
fn last_leaf_start(pair: &Pair<'_, Rule>) -> usize {
    let mut current = pair.clone();
    while let Some(last) = current
        .clone()
        .into_inner()
        .filter(|p| p.as_span().start() < p.as_span().end())
        .last()
    {
        current = last;
    }
    current.as_span().start()
}

fn row_kind(rule: Rule) -> RowKind {
    match rule {
        Rule::nacl_inbound | Rule::nacl_outbound => RowKind::Nacl,
        Rule::sg_ingress | Rule::sg_egress => RowKind::SecurityGroup,
        Rule::route => RowKind::Route,
        _ => RowKind::Plain,
    }
}
