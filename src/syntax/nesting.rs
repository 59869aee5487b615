//! A bound on bracket nesting, checked before pest sees a text. pest's parser recurses once
//! per nesting level; it is built without its per-rule stack probe (a third of its parsing
//! time), so a text nested deeper than any network needs is refused here, with a syntax
//! error at the bracket that goes too deep, instead of exhausting a thread's stack.

use super::{Span, SyntaxError};

/// The deepest nesting of `{` and `[` accepted. A network nests a few levels (a block in a
/// VPC, a list in it); parsing at this depth fits in a quarter of a 2 MiB thread stack (see
/// the test below).
pub const MAX_NESTING: usize = 64;

/// The syntax error for the first bracket nested deeper than [`MAX_NESTING`], if any. Brackets
/// in comments and strings do not count.
pub fn too_deep(text: &str) -> Option<SyntaxError> {
    // Most files open no more brackets in all than the limit, and then cannot nest deeper:
    // counted by `memchr` (many bytes at a time), that is settled without the byte-by-byte
    // scan of comments and strings, which was 1.2% of a lint run's instructions on
    // hub-spoke 100.
    memchr::memchr2_iter(b'{', b'[', text.as_bytes()).nth(MAX_NESTING)?;
    let mut depth = 0usize;
    for (i, bracket) in brackets(text) {
        match bracket {
            b'{' | b'[' => depth += 1,
            _ => depth = depth.saturating_sub(1),
        }
        if depth > MAX_NESTING {
            return Some(SyntaxError {
                span: Span::new(i, i + 1),
                skipped: Span::new(i, text.len()),
                message: format!(
                    "brackets nested deeper than {MAX_NESTING} levels: vnet's blocks and lists nest a few levels at most, so the file is not parsed"
                ),
            });
        }
    }
    None
}

/// The bytes [`brackets`] stops at: brackets, and the starts of comments and strings.
static SCANNED: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let bytes = b"#\"{}[]";
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// The brackets (`{`, `}`, `[`, `]`) of a text outside comments and strings, with their byte
/// offsets: what nesting is made of, found without parsing.
pub(super) fn brackets(text: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            // Every file is scanned before it is parsed: the bytes that matter are found by a
            // table lookup, not by a `match` per byte.
            while bytes.get(i).is_some_and(|&b| !SCANNED[usize::from(b)]) {
                i += 1;
            }
            let Some(&byte) = bytes.get(i) else { break };
            let at = i;
            i += 1;
            match byte {
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'"' => {
                    while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b @ (b'{' | b'}' | b'[' | b']') => return Some((at, b)),
                _ => {}
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts nested exactly to the limit, in every shape that makes the grammar recurse,
    /// parse in a thread with a quarter of the default 2 MiB stack (the CLI's and the
    /// language server's worker threads have 2 MiB): no overflow.
    #[test]
    fn parsing_at_the_limit_fits_in_a_small_stack() {
        let n = MAX_NESTING;
        let texts = [
            format!(
                "vpc a {{\n  cidr {}{}\n}}\n",
                "[".repeat(n - 1),
                "]".repeat(n - 1)
            ),
            format!("vpc a {}{}\n", "{ ".repeat(n), "} ".repeat(n)),
            format!(
                "vpc a {{ x {}{} }}\n",
                "{[".repeat(n / 2 - 1),
                "]}".repeat(n / 2 - 1)
            ),
            format!("{}{}", "vpc a { ".repeat(n), "}".repeat(n)),
            format!("{}{}", "{ ".repeat(n), "} ".repeat(n)),
        ];
        for text in texts {
            assert!(too_deep(&text).is_none());
            let parsed = std::thread::Builder::new()
                .stack_size(512 * 1024)
                .spawn(move || super::super::parse(&text).errors.len())
                .map(|t| t.join());
            assert!(matches!(parsed, Ok(Ok(_))));
        }
    }

    #[test]
    fn one_level_more_is_refused_at_its_bracket() {
        let text = format!("vpc a {{\n  cidr {}\n}}\n", "[".repeat(MAX_NESTING));
        let error = too_deep(&text).map(|e| e.span.start as usize);
        assert_eq!(error, Some(text.find('[').unwrap_or(0) + MAX_NESTING - 1));
        assert!(too_deep("vpc a { # {{{{{{{{\n  description \"[[[[[[\"\n}\n").is_none());
    }

    /// More brackets in all than the limit, none deeper: the scan, not the count, decides.
    #[test]
    fn many_brackets_at_the_limit_pass() {
        let n = MAX_NESTING;
        let deep = format!("{}{}", "{".repeat(n), "}".repeat(n));
        assert!(too_deep(&format!("{deep}\n{deep}\n")).is_none());
        let commented = format!("vpc a {{ # {}\n}}\n", "{".repeat(2 * n));
        assert!(too_deep(&commented).is_none());
        let error = too_deep(&format!("{deep}\n{{{deep}}}\n")).map(|e| e.span.start as usize);
        assert_eq!(error, Some(2 * n + 1 + n));
    }
}
