//! Robustness: every prefix of every example, cut at each token boundary, compiles to
//! diagnostics and never panics; a prefix cut inside a block always gets a syntax error.

mod common;

use vnet::db::{self, Database};
use vnet::diagnostics::render;

/// Offsets where a token starts or ends.
fn token_boundaries(text: &str) -> Vec<usize> {
    let class = |c: char| {
        if c.is_whitespace() {
            0
        } else if c.is_alphanumeric() || "_-./:".contains(c) {
            1
        } else {
            2 + c as u32
        }
    };
    let mut out = vec![0];
    let mut prev = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        if prev != Some(k) || k >= 2 {
            out.push(i);
        }
        prev = Some(k);
    }
    out.push(text.len());
    out.dedup();
    out
}

/// Brace depth at the end of `text`, ignoring comments and strings.
fn open_braces(text: &str) -> i32 {
    let mut depth = 0;
    for line in text.lines() {
        let mut in_string = false;
        for c in line.chars() {
            match c {
                '"' => in_string = !in_string,
                '#' if !in_string => break,
                '{' if !in_string => depth += 1,
                '}' if !in_string => depth -= 1,
                _ => {}
            }
        }
    }
    depth
}

/// Compiles every token-boundary prefix of one file; returns how many it checked.
fn check_prefixes(path: &std::path::Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let cuts = token_boundaries(&text);
    for &cut in &cuts {
        let prefix = &text[..cut];
        let db = Database::default();
        let ws = db.workspace(vec![("prefix.vnet".into(), prefix.to_string())]);
        let diags = render::compile_diagnostics(&db, ws);
        let _ = db::network(&db, ws);
        if open_braces(prefix) > 0 {
            assert!(
                diags.iter().any(|d| d.code.0 == "E0001"),
                "{}: prefix of {cut} bytes ends inside a block but has no syntax error",
                path.display()
            );
        }
        for d in &diags {
            assert!(d.primary.span.end as usize <= prefix.len());
        }
    }
    cuts.len()
}

#[test]
fn every_prefix_of_every_example_gets_diagnostics_not_panics() {
    let examples = common::vnet_files(&common::root().join("examples"));
    assert!(examples.len() >= 4);
    // One file per thread at a time, on every core.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let prefixes: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut count = 0;
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = examples.get(i) else {
                            break count;
                        };
                        count += check_prefixes(path);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .sum()
    });
    assert!(prefixes > 1000, "only {prefixes} prefixes");
}
