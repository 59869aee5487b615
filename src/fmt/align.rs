//! Column alignment: the rows of NACLs, security groups and route tables, runs of one-line
//! blocks of one kind (`route_table public    { ... }`), and trailing comments.

use super::printer::WIDTH;
use super::tokens::Token;
use super::tree::{Line, RowKind};
use crate::syntax::Rule;

/// A statement that fits on one line, before alignment with its neighbours.
#[derive(Clone, Debug)]
pub(crate) enum Flat {
    /// Written as is.
    Text(String),
    /// A rule or route: fixed columns, some of them empty (optional ports, description).
    Row(RowKind, Vec<String>),
    /// A one-line block `HEAD { a  b }`: the head is `KIND NAME`.
    Compact {
        kind: String,
        head: String,
        body: Vec<String>,
    },
}

impl Flat {
    /// The key that groups consecutive statements for alignment.
    fn group(&self) -> Option<String> {
        match self {
            Flat::Text(_) => None,
            Flat::Row(kind, _) => Some(format!("{kind:?}")),
            Flat::Compact { kind, .. } => Some(kind.clone()),
        }
    }

    /// The text on its own.
    pub fn plain(&self) -> String {
        match self {
            Flat::Text(t) => t.clone(),
            Flat::Row(kind, cells) => columns(std::slice::from_ref(cells), *kind)
                .pop()
                .unwrap_or_default(),
            Flat::Compact { head, body, .. } => compact(head, body, &[]),
        }
    }
}

/// Lays out one body's one-line statements: `flats[i]` is `None` for a statement on several
/// lines, `breaks[i]` says a blank line separates statement `i` from the one before.
pub(crate) fn align(flats: &[Option<Flat>], breaks: &[bool], indent: usize) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = flats.iter().map(|f| f.as_ref().map(Flat::plain)).collect();
    let mut i = 0;
    while i < flats.len() {
        let key = flats[i].as_ref().and_then(Flat::group);
        let mut j = i + 1;
        while key.is_some()
            && j < flats.len()
            && !breaks[j]
            && flats[j].as_ref().and_then(Flat::group) == key
        {
            j += 1;
        }
        if j - i > 1 {
            let group: Vec<&Flat> = flats[i..j].iter().flatten().collect();
            if let Some(lines) = align_group(&group, indent) {
                for (k, line) in lines.into_iter().enumerate() {
                    out[i + k] = Some(line);
                }
            }
        }
        i = j;
    }
    out
}

fn align_group(group: &[&Flat], indent: usize) -> Option<Vec<String>> {
    match group.first()? {
        Flat::Row(kind, _) => {
            let rows: Vec<Vec<String>> = group
                .iter()
                .filter_map(|f| match f {
                    Flat::Row(_, cells) => Some(cells.clone()),
                    _ => None,
                })
                .collect();
            Some(columns(&rows, *kind))
        }
        Flat::Compact { .. } => {
            let rows: Vec<(&String, &Vec<String>)> = group
                .iter()
                .filter_map(|f| match f {
                    Flat::Compact { head, body, .. } => Some((head, body)),
                    _ => None,
                })
                .collect();
            let head_width = rows.iter().map(|(h, _)| width(h)).max().unwrap_or(0);
            let cells = rows.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
            // A cell is padded only where another cell follows it on its row.
            let widths: Vec<usize> = (0..cells)
                .map(|c| {
                    rows.iter()
                        .filter(|(_, b)| b.len() > c + 1)
                        .map(|(_, b)| width(&b[c]))
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let lines: Vec<String> = rows
                .iter()
                .map(|(head, body)| compact(&pad(head, head_width), body, &widths))
                .collect();
            // Alignment never pushes a line past the width: such a group stays ragged.
            lines
                .iter()
                .all(|l| indent + width(l) <= WIDTH)
                .then_some(lines)
        }
        Flat::Text(_) => None,
    }
}

/// `HEAD { a  b }`, each body cell padded to `widths` where another cell follows.
fn compact(head: &str, body: &[String], widths: &[usize]) -> String {
    let cells: Vec<String> = body
        .iter()
        .enumerate()
        .map(|(c, cell)| match widths.get(c) {
            Some(&w) if c + 1 < body.len() => pad(cell, w),
            _ => cell.clone(),
        })
        .collect();
    if cells.is_empty() {
        format!("{head} {{}}")
    } else {
        format!("{head} {{ {} }}", cells.join("  "))
    }
}

/// Rows of cells joined by one space, each column as wide as its widest cell; empty columns
/// vanish; NACL rule numbers are right-aligned.
fn columns(rows: &[Vec<String>], kind: RowKind) -> Vec<String> {
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let mut parts = Vec::new();
            for (c, &w) in widths.iter().enumerate() {
                if w == 0 {
                    continue;
                }
                let cell = row.get(c).map(String::as_str).unwrap_or("");
                if kind == RowKind::Nacl && c == 1 {
                    parts.push(format!("{}{cell}", " ".repeat(w - width(cell))));
                } else {
                    parts.push(pad(cell, w));
                }
            }
            parts.join(" ").trim_end().to_string()
        })
        .collect()
}

/// The columns of a NACL rule, security group rule or route.
pub(crate) fn cells(tokens: &[Token], line: &Line) -> Vec<String> {
    let count = match line.kind {
        RowKind::Nacl => 7,
        RowKind::SecurityGroup => 6,
        RowKind::Route => 4,
        RowKind::Plain => 1,
    };
    let mut cells = vec![String::new(); count];
    for t in &tokens[line.first..=line.last] {
        let column = match (line.kind, t.rule) {
            (
                _,
                Some(Rule::kw_inbound | Rule::kw_outbound | Rule::kw_ingress | Rule::kw_egress),
            )
            | (_, Some(Rule::kw_route)) => 0,
            (RowKind::Nacl, Some(Rule::rule_number)) => 1,
            (RowKind::Nacl, Some(Rule::action)) => 2,
            (RowKind::Nacl, Some(Rule::protocol)) => 3,
            (RowKind::Nacl, Some(Rule::ports)) => 4,
            (RowKind::Nacl, Some(Rule::kw_from | Rule::kw_to)) => 5,
            (RowKind::Nacl, _) => 6,
            (RowKind::SecurityGroup, Some(Rule::protocol)) => 1,
            (RowKind::SecurityGroup, Some(Rule::ports)) => 2,
            (RowKind::SecurityGroup, Some(Rule::kw_from | Rule::kw_to)) => 3,
            (RowKind::SecurityGroup, Some(Rule::string)) => 5,
            (RowKind::SecurityGroup, _) => 4,
            (RowKind::Route, Some(Rule::cidr_v4 | Rule::cidr_v6)) => 1,
            (RowKind::Route, None) => 2,
            (RowKind::Route, _) => 3,
            (RowKind::Plain, _) => 0,
        };
        let cell = &mut cells[column];
        if !cell.is_empty() {
            cell.push(' ');
        }
        cell.push_str(&t.text);
    }
    cells
}

/// Columns of trailing comments: in each run of statements (`breaks[i]` ends a run before
/// statement `i`), comments stand three spaces after the longest commented line. `lines[i]`
/// is the width of statement `i` when it is one line with a trailing comment.
pub(crate) fn comment_columns(lines: &[Option<usize>], breaks: &[bool]) -> Vec<usize> {
    let mut out = vec![0; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_none() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && !breaks[j] {
            j += 1;
        }
        let column = lines[i..j].iter().flatten().max().copied().unwrap_or(0) + 3;
        out[i..j].iter_mut().for_each(|c| *c = column);
        i = j;
    }
    out
}

pub(crate) fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}
