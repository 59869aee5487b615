//! Diagnostics as plain text, in codespan-reporting's rich layout, written straight into a
//! string.
//!
//! codespan-reporting writes every character of a quoted line and of the marks under it
//! through `write!` and several layers of writers: drawing hub-spoke 100's 2,030 findings that
//! way was 145 million of a `lint` run's 904 million instructions. This module draws the same
//! text with string pushes (26 million). codespan-reporting still draws coloured output; the
//! tests below hold the two to the same bytes on random files and labels, and every snapshot
//! of human output is drawn here.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::files::{Error, Files as _};
use unicode_width::UnicodeWidthChar;

use super::files::Files;
use super::render::Drawn;
use super::Severity;

// codespan-reporting's default `Config`, the one every command draws with.
const TAB_WIDTH: usize = 4;
/// Lines of a multi-line label shown after its first line, and before its last.
const START_CONTEXT_LINES: usize = 3;
const END_CONTEXT_LINES: usize = 1;

/// Appends `diag` to `out`. Where a label's place is not in its file (an error of the
/// caller's), the diagnostic is drawn without its quoted source rather than lost.
pub fn draw(files: &Files, diag: &Drawn, out: &mut String) {
    let len = out.len();
    if draw_quoting(files, diag, out).is_err() {
        out.truncate(len);
        header(diag, out);
        notes(diag, 0, out);
        out.push('\n');
    }
}

/// A label on one line: its bytes in the line (at least one), its style and message.
struct Single<'a> {
    range: Range<usize>,
    primary: bool,
    message: &'a str,
}

/// A multi-line label's mark on one of its lines.
#[derive(Clone, Copy)]
struct Multi<'a> {
    /// The label's column in the gutter: the labels of a file spanning lines, in order.
    column: usize,
    primary: bool,
    kind: MultiKind<'a>,
}

#[derive(Clone, Copy)]
enum MultiKind<'a> {
    /// The first line; the label starts at this byte of it.
    Top(usize),
    /// A line in between.
    Left,
    /// The last line; the label ends at this byte of it, and says its message there.
    Bottom(usize, &'a str),
}

/// A line that a label marks.
struct Line<'a> {
    index: usize,
    number: usize,
    range: Range<usize>,
    singles: Vec<Single<'a>>,
    multis: Vec<Multi<'a>>,
    /// Quoted (a label starts or ends on it, or it is near either end of a long label).
    quoted: bool,
}

/// The labels of one file, drawn as one snippet under a `┌─ file:line:column` locus.
struct Snippet<'a> {
    file: usize,
    /// The locus: the earliest start of the file's primary labels, else of its secondary ones.
    locus_start: usize,
    locus_primary: bool,
    locus: (usize, usize),
    multi_columns: usize,
    /// In line order.
    lines: Vec<Line<'a>>,
}

impl<'a> Snippet<'a> {
    fn line(&mut self, index: usize, range: Range<usize>, number: usize) -> &mut Line<'a> {
        let at = match self.lines.binary_search_by_key(&index, |l| l.index) {
            Ok(at) => at,
            Err(at) => {
                let line = Line {
                    index,
                    number,
                    range,
                    singles: Vec::new(),
                    multis: Vec::new(),
                    quoted: false,
                };
                self.lines.insert(at, line);
                at
            }
        };
        &mut self.lines[at]
    }
}

fn location(files: &Files, file: usize, byte: usize) -> Result<(usize, usize), Error> {
    let at = files.location(file, byte)?;
    Ok((at.line_number, at.column_number))
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}

fn draw_quoting(files: &Files, diag: &Drawn, out: &mut String) -> Result<(), Error> {
    let mut snippets: Vec<Snippet> = Vec::new();
    // The width of the line numbers' column.
    let mut gutter = 0;
    for label in &diag.labels {
        let (file, range) = (label.file, label.range.clone());
        let start_line = files.line_index(file, range.start)?;
        let start_number = files.line_number(file, start_line)?;
        let start_range = files.line_range(file, start_line)?;
        let end_line = files.line_index(file, range.end)?;
        let end_number = files.line_number(file, end_line)?;
        let end_range = files.line_range(file, end_line)?;
        gutter = gutter.max(digits(start_number)).max(digits(end_number));

        let at = match snippets.iter().position(|s| s.file == file) {
            Some(at) => {
                let s = &mut snippets[at];
                if (label.primary && !s.locus_primary)
                    || (label.primary == s.locus_primary && s.locus_start > range.start)
                {
                    s.locus_start = range.start;
                    s.locus = location(files, file, range.start)?;
                    s.locus_primary = label.primary;
                }
                at
            }
            None => {
                snippets.push(Snippet {
                    file,
                    locus_start: range.start,
                    locus_primary: label.primary,
                    locus: location(files, file, range.start)?,
                    multi_columns: 0,
                    lines: Vec::new(),
                });
                snippets.len() - 1
            }
        };
        let snippet = &mut snippets[at];

        if start_line == end_line {
            let start = range.start - start_range.start;
            let end = (range.end - start_range.start).max(start + 1);
            let line = snippet.line(start_line, start_range, start_number);
            // In order of their bytes; of equal ones, the later label first (codespan's
            // order, found by the same search).
            let at = match line
                .singles
                .binary_search_by(|l| (l.range.start, l.range.end).cmp(&(start, end)))
            {
                Ok(at) | Err(at) => at,
            };
            let single = Single {
                range: start..end,
                primary: label.primary,
                message: label.message,
            };
            line.singles.insert(at, single);
            line.quoted = true;
        } else {
            let column = snippet.multi_columns;
            snippet.multi_columns += 1;
            let mark = |kind| Multi {
                column,
                primary: label.primary,
                kind,
            };
            let top = MultiKind::Top(range.start - start_range.start);
            let line = snippet.line(start_line, start_range, start_number);
            line.multis.push(mark(top));
            line.quoted = true;
            for index in start_line + 1..end_line {
                let line_range = files.line_range(file, index)?;
                let number = files.line_number(file, index)?;
                gutter = gutter.max(digits(number));
                let line = snippet.line(index, line_range, number);
                line.multis.push(mark(MultiKind::Left));
                line.quoted |= index - start_line <= START_CONTEXT_LINES
                    || end_line - index <= END_CONTEXT_LINES;
            }
            let bottom = MultiKind::Bottom(range.end - end_range.start, label.message);
            let line = snippet.line(end_line, end_range, end_number);
            line.multis.push(mark(bottom));
            line.quoted = true;
        }
    }

    header(diag, out);
    for (n, snippet) in snippets.iter().enumerate() {
        let source = files.source(snippet.file)?;
        let columns = snippet.multi_columns;
        if !snippet.lines.is_empty() {
            outer_gutter(gutter, out);
            let name = files.name(snippet.file)?;
            let (line, column) = snippet.locus;
            let _ = writeln!(out, "┌─ {name}:{line}:{column}");
            outer_gutter(gutter, out);
            out.push('│');
            inner_gutter(columns, &[], out);
            out.push('\n');
        }
        let quoted: Vec<&Line> = snippet.lines.iter().filter(|l| l.quoted).collect();
        for (k, line) in quoted.iter().enumerate() {
            let text = &source[line.range.clone()];
            source_line(
                gutter,
                line.number,
                text,
                &line.singles,
                columns,
                &line.multis,
                out,
            );
            let Some(next) = quoted.get(k + 1) else {
                continue;
            };
            match next.index - line.index {
                1 => {}
                // One line between: quoting it takes no more room than eliding it.
                2 => {
                    let between = line.index + 1;
                    let multis = snippet
                        .lines
                        .binary_search_by_key(&between, |l| l.index)
                        .map_or(&[][..], |at| &snippet.lines[at].multis[..]);
                    let number = files.line_number(snippet.file, between)?;
                    let text = &source[files.line_range(snippet.file, between)?];
                    source_line(gutter, number, text, &[], columns, multis, out);
                }
                _ => {
                    outer_gutter(gutter, out);
                    out.push('·');
                    inner_gutter(columns, &next.multis, out);
                    out.push('\n');
                }
            }
        }
        if n + 1 < snippets.len() || !diag.notes.is_empty() {
            outer_gutter(gutter, out);
            out.push('│');
            inner_gutter(columns, &[], out);
            out.push('\n');
        }
    }
    notes(diag, gutter, out);
    out.push('\n');
    Ok(())
}

/// `error[code]: message`
fn header(diag: &Drawn, out: &mut String) {
    out.push_str(match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    });
    if !diag.code.is_empty() {
        out.push('[');
        out.push_str(diag.code);
        out.push(']');
    }
    out.push_str(": ");
    out.push_str(diag.message);
    out.push('\n');
}

/// `= note`, its further lines indented.
fn notes(diag: &Drawn, gutter: usize, out: &mut String) {
    for note in &diag.notes {
        for (i, line) in note.lines().enumerate() {
            outer_gutter(gutter, out);
            out.push(if i == 0 { '=' } else { ' ' });
            out.push(' ');
            out.push_str(line);
            out.push('\n');
        }
    }
}

fn spaces(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// The line numbers' column, blank.
fn outer_gutter(gutter: usize, out: &mut String) {
    spaces(gutter + 1, out);
}

/// The multi-line labels' columns on a line under a quoted line: `│` for each label that goes
/// on past it.
fn inner_gutter(columns: usize, multis: &[Multi], out: &mut String) {
    let mut marks = multis.iter().peekable();
    for column in 0..columns {
        match marks.next_if(|m| m.column == column) {
            Some(Multi {
                kind: MultiKind::Left | MultiKind::Bottom(..),
                ..
            }) => out.push_str(" │"),
            Some(_) | None => out.push_str("  "),
        }
    }
}

/// `   │ ` and the multi-line labels' columns, before marks under a quoted line.
fn marks_prefix(gutter: usize, columns: usize, multis: &[Multi], out: &mut String) {
    outer_gutter(gutter, out);
    out.push('│');
    inner_gutter(columns, multis, out);
    out.push(' ');
}

/// A character of a quoted line, with the columns it takes on screen (tabs to the next stop).
#[derive(Clone, Copy)]
struct Cell {
    byte: usize,
    len: usize,
    width: usize,
}

fn cells(text: &str) -> impl Iterator<Item = Cell> + '_ {
    let mut column = 0;
    text.char_indices().map(move |(byte, ch)| {
        let width = match ch {
            '\t' => TAB_WIDTH - column % TAB_WIDTH,
            ch => ch.width().unwrap_or(0),
        };
        column += width;
        Cell {
            byte,
            len: ch.len_utf8(),
            width,
        }
    })
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start.max(b.start) < a.end.min(b.end)
}

/// A quoted line, then the marks of the labels on it.
fn source_line(
    gutter: usize,
    number: usize,
    text: &str,
    singles: &[Single],
    columns: usize,
    multis: &[Multi],
    out: &mut String,
) {
    let text = text.trim_end_matches(['\n', '\r', '\0']);
    let indent = text.len() - text.trim_start().len();

    let _ = write!(out, "{number:>gutter$} │");
    let mut marks = multis.iter().peekable();
    for column in 0..columns {
        match marks.next_if(|m| m.column == column).map(|m| m.kind) {
            Some(MultiKind::Top(start)) if start <= indent => out.push_str(" ╭"),
            Some(MultiKind::Left | MultiKind::Bottom(..)) => out.push_str(" │"),
            Some(MultiKind::Top(_)) | None => out.push_str("  "),
        }
    }
    out.push(' ');
    if text.contains('\t') {
        for (cell, ch) in cells(text).zip(text.chars()) {
            match ch {
                '\t' => spaces(cell.width, out),
                ch => out.push(ch),
            }
        }
    } else {
        out.push_str(text);
    }
    out.push('\n');

    if !singles.is_empty() {
        single_marks(gutter, text, singles, columns, multis, out);
    }
    multi_marks(gutter, text, indent, columns, multis, out);
}

/// The labels on one line that have a message below the carets (all but the trailing one).
fn hanging<'l, 'a>(
    singles: &'l [Single<'a>],
    trailing: Option<usize>,
) -> impl DoubleEndedIterator<Item = &'l Single<'a>> {
    singles
        .iter()
        .enumerate()
        .filter(move |(i, l)| !l.message.is_empty() && Some(*i) != trailing)
        .map(|(_, l)| l)
}

/// `^^^^ message` under single-line labels; the messages that do not fit after the carets
/// hang below them on `│` pointers.
fn single_marks(
    gutter: usize,
    text: &str,
    singles: &[Single],
    columns: usize,
    multis: &[Multi],
    out: &mut String,
) {
    if let [only] = singles {
        if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            one_mark(gutter, text, only, columns, multis, out);
            return;
        }
    }
    let mut messages = 0;
    let mut max_start = 0;
    let mut max_end = 0;
    // The label whose message follows the carets: the last to end, unless it overlaps another.
    let mut trailing = None;
    for (i, label) in singles.iter().enumerate() {
        if !label.message.is_empty() {
            messages += 1;
        }
        max_start = max_start.max(label.range.start);
        max_end = max_end.max(label.range.end);
        if label.range.end == max_end {
            trailing = (!label.message.is_empty()).then_some(i);
        }
    }
    if let Some(t) = trailing {
        let range = &singles[t].range;
        let overlapped = singles
            .iter()
            .enumerate()
            .any(|(i, l)| i != t && overlaps(range, &l.range));
        if overlapped {
            trailing = None;
        }
    }

    marks_prefix(gutter, columns, multis, out);
    // One cell past the line's end, for a label there.
    let end = Cell {
        byte: text.len(),
        len: 1,
        width: 1,
    };
    // Past the last label's end nothing more is drawn.
    for cell in cells(text).chain(std::iter::once(end)) {
        if cell.byte >= max_end {
            break;
        }
        let bytes = cell.byte..cell.byte + cell.len;
        let style = singles
            .iter()
            .filter(|l| overlaps(&l.range, &bytes))
            .map(|l| l.primary)
            .max();
        let mark = match style {
            Some(true) => '^',
            Some(false) => '-',
            None => ' ',
        };
        out.extend(std::iter::repeat_n(mark, cell.width));
    }
    if let Some(t) = trailing {
        out.push(' ');
        out.push_str(singles[t].message);
    }
    out.push('\n');

    if messages > usize::from(trailing.is_some()) {
        marks_prefix(gutter, columns, multis, out);
        pointers(max_start, singles, trailing, cells(text), out);
        out.push('\n');
        for label in hanging(singles, trailing).rev() {
            marks_prefix(gutter, columns, multis, out);
            let before = cells(text).take_while(|c| c.byte < label.range.start);
            pointers(max_start, singles, trailing, before, out);
            out.push_str(label.message);
            out.push('\n');
        }
    }
}

/// [`single_marks`] for the usual line: one label, on a line of printable ASCII, where each
/// byte is one column. Its message, if any, follows the carets.
fn one_mark(
    gutter: usize,
    text: &str,
    label: &Single,
    columns: usize,
    multis: &[Multi],
    out: &mut String,
) {
    marks_prefix(gutter, columns, multis, out);
    // The columns of the text and the one past its end.
    let end = label.range.end.min(text.len() + 1);
    let start = label.range.start.min(end);
    spaces(start, out);
    let mark = if label.primary { '^' } else { '-' };
    out.extend(std::iter::repeat_n(mark, end - start));
    if !label.message.is_empty() {
        out.push(' ');
        out.push_str(label.message);
    }
    out.push('\n');
}

/// `│` under the start of each hanging label, up to the last one's start.
fn pointers(
    max_start: usize,
    singles: &[Single],
    trailing: Option<usize>,
    cells: impl Iterator<Item = Cell>,
    out: &mut String,
) {
    // Past the last label's start nothing more is drawn.
    for cell in cells.take_while(|c| c.byte <= max_start) {
        let bytes = cell.byte..cell.byte + cell.len;
        let pointed = hanging(singles, trailing).any(|l| bytes.contains(&l.range.start));
        let from = if pointed {
            out.push('│');
            1
        } else {
            0
        };
        spaces(cell.width.saturating_sub(from), out);
    }
}

/// `╭────^` at the start of each multi-line label on this line that does not start at its
/// indentation, `╰────^ message` at the end of each that ends here.
fn multi_marks(
    gutter: usize,
    text: &str,
    indent: usize,
    columns: usize,
    multis: &[Multi],
    out: &mut String,
) {
    for (k, mark) in multis.iter().enumerate() {
        let (at, message) = match mark.kind {
            MultiKind::Left => continue,
            MultiKind::Top(start) if start <= indent => continue,
            MultiKind::Top(start) => (start + 1, None),
            MultiKind::Bottom(end, message) => (end, Some(message)),
        };
        outer_gutter(gutter, out);
        out.push('│');
        // The gutter: this label's corner, a horizontal line from it to the text across the
        // columns after it, `│` for the labels that go on past this line.
        let mut underline = false;
        let mut others = multis.iter().enumerate().peekable();
        for column in 0..columns {
            let other = others.next_if(|(_, m)| m.column == column);
            let left = |underline: bool| if underline { "─│" } else { " │" };
            let piece = match other.map(|(i, m)| (i, m.kind)) {
                Some((_, MultiKind::Left)) => left(underline),
                Some((i, MultiKind::Top(_))) if k > i => left(underline),
                Some((i, MultiKind::Bottom(..))) if k < i => left(underline),
                Some((i, MultiKind::Top(_))) if k == i => {
                    underline = true;
                    " ╭"
                }
                Some((i, MultiKind::Bottom(..))) if k == i => {
                    underline = true;
                    " ╰"
                }
                Some(_) | None if underline => "──",
                Some(_) | None => "  ",
            };
            out.push_str(piece);
        }
        for cell in cells(text).take_while(|c| c.byte < at) {
            out.extend(std::iter::repeat_n('─', cell.width));
        }
        out.push(if mark.primary { '^' } else { '\'' });
        if let Some(message) = message.filter(|m| !m.is_empty()) {
            out.push(' ');
            out.push_str(message);
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use codespan_reporting::term;
    use proptest::prelude::*;

    use super::super::render::{to_codespan, DrawnLabel};
    use super::*;

    fn codespan_text(files: &Files, diag: &Drawn) -> Option<String> {
        term::emit_into_string(&term::Config::default(), files, &to_codespan(diag)).ok()
    }

    fn ours(files: &Files, diag: &Drawn) -> Option<String> {
        let mut out = String::new();
        draw_quoting(files, diag, &mut out).ok().map(|()| out)
    }

    /// What texts are made of: what the layout treats specially (tabs, wide, zero-width and
    /// control characters, CRLF, blank lines, leading spaces), and words.
    const PIECES: &[&str] = &[
        "a",
        "word",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "é",
        "日本",
        "\u{301}",
        "\u{1}",
        "cidr 10.0.0.0/16",
    ];

    /// Lines of text, the last one with or without its newline.
    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
    }

    fn boundary(text: &str, at: usize) -> usize {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    #[derive(Debug, Clone)]
    struct LabelSpec {
        file: usize,
        start: usize,
        len: usize,
        primary: bool,
        message: &'static str,
    }

    fn label() -> impl Strategy<Value = LabelSpec> {
        let message = prop_oneof![
            Just(""),
            Just("here"),
            Just("a longer message"),
            Just("two\nlines"),
        ];
        (0..2usize, 0..200usize, 0..60usize, any::<bool>(), message).prop_map(
            |(file, start, len, primary, message)| LabelSpec {
                file,
                start,
                len,
                primary,
                message,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any labels on any text are drawn as codespan-reporting draws them.
        #[test]
        fn draws_as_codespan_does(
            texts in (text(), text()),
            labels in prop::collection::vec(label(), 0..5),
            notes in prop::collection::vec(
                prop_oneof![Just(""), Just("a note"), Just("first\nsecond")], 0..3),
            severity in prop_oneof![
                Just(Severity::Error), Just(Severity::Warning), Just(Severity::Info)],
            code in prop_oneof![Just(""), Just("vnet::E001")],
        ) {
            let files = Files::new([("a.vnet", texts.0.as_str()), ("b/c.vnet", texts.1.as_str())]);
            let texts = [texts.0.as_str(), texts.1.as_str()];
            let labels = labels
                .iter()
                .map(|l| {
                    let text = texts[l.file];
                    let start = boundary(text, l.start);
                    DrawnLabel {
                        primary: l.primary,
                        file: l.file,
                        range: start..boundary(text, start + l.len).max(start),
                        message: l.message,
                    }
                })
                .collect();
            let diag = Drawn {
                severity,
                code,
                message: "something is wrong",
                labels,
                notes: notes.into_iter().map(Cow::Borrowed).collect(),
            };
            prop_assert_eq!(ours(&files, &diag), codespan_text(&files, &diag));
        }
    }

    /// A label whose file is not in the workspace still leaves its diagnostic's header and
    /// notes.
    #[test]
    fn a_label_outside_the_files_keeps_the_words() {
        let files = Files::new([("a.vnet", "vpc a {}\n")]);
        let diag = Drawn {
            severity: Severity::Warning,
            code: "vnet::W1",
            message: "lost",
            labels: vec![DrawnLabel {
                primary: true,
                file: 3,
                range: 0..1,
                message: "",
            }],
            notes: vec![Cow::Borrowed("a note")],
        };
        let mut out = String::new();
        draw(&files, &diag, &mut out);
        assert_eq!(out, "warning[vnet::W1]: lost\n = a note\n\n");
    }
}
