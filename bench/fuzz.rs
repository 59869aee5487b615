//! A fuzzer that runs on stable Rust: mutates the examples and the test fixtures (deleting,
//! duplicating, splicing and corrupting byte ranges, inserting tokens of the language) and
//! runs every stage of the pipeline on each input, catching panics. A panic's input is saved
//! under `tests/fixtures/fuzz/` and becomes a regression fixture (tests/fuzz_fixtures.rs).
//!
//! ```text
//! cargo run --release --example fuzz -- --inputs 1000000 [--seed 1]
//! ```
//!
//! The stages are a table (`STAGES`): `fmt` is one function added there.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use vnet::db::{self, Database};
use vnet::diagnostics::render;

type Stage = fn(&str);

const STAGES: &[(&str, Stage)] = &[("parse", parse), ("check", check), ("lint", lint)];

fn parse(text: &str) {
    let parsed = vnet::syntax::parse(text);
    assert!(parsed
        .errors
        .iter()
        .all(|e| e.span.end as usize <= text.len()));
}

fn check(text: &str) {
    let db = Database::default();
    let ws = db.workspace(vec![("fuzz.vnet".into(), text.to_string())]);
    let diags = render::compile_diagnostics(&db, ws);
    assert!(diags
        .iter()
        .all(|d| d.primary.span.end as usize <= text.len()));
    // Rendering is what a user sees: it must not panic either.
    let _ = render::human_string(&render::files(&db, ws), &diags);
}

fn lint(text: &str) {
    let db = Database::default();
    let ws = db.workspace(vec![("fuzz.vnet".into(), text.to_string())]);
    if render::compile_diagnostics(&db, ws).is_empty() {
        let _ = db::lint_findings(&db, ws);
    }
}

/// SplitMix64: a seed names a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "vpc ",
    "subnet ",
    "route_table ",
    "nacl ",
    "security_group ",
    "endpoint ",
    "instance ",
    "nat_gateway ",
    "peering ",
    "transit_gateway ",
    "expect ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "->",
    "\"",
    "#",
    "\n",
    "\r\n",
    "\0",
    "\u{feff}",
    "é",
    " 0.0.0.0/0 ",
    " ::/0 ",
    " 10.0.0.0/8 ",
    " 65535 ",
    " 1024-65535 ",
    " 99999 ",
    " tcp ",
    " icmp ",
    " all ",
    " allow ",
    " deny ",
    " from ",
    " to ",
    " main true ",
    " uses [s3, internet] ",
    " inbound 100 allow tcp 22 from 0.0.0.0/0\n",
];

/// One mutation of `text`, using `other` for splices.
fn mutate(rng: &mut Rng, text: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = text.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        let at = rng.below(len + 1);
        let span = 1 + rng.below(64);
        let end = (at + span).min(len);
        match rng.below(7) {
            0 => {
                out.drain(at..end);
            }
            1 => {
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                out.splice(at..at, t.iter().copied());
            }
            3 if at < len => out[at] = rng.next() as u8,
            4 => out.truncate(at),
            5 if !other.is_empty() => {
                let from = rng.below(other.len());
                let to = (from + rng.below(512)).min(other.len());
                out.splice(at..end, other[from..to].iter().copied());
            }
            _ => {
                // Swap two ranges' worth of structure: a brace or bracket flipped.
                if let Some(p) = out.iter().position(|&b| b == b'{' || b == b'[') {
                    out[p] = if out[p] == b'{' { b'[' } else { b'{' };
                }
            }
        }
    }
    out
}

fn corpus(root: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["examples", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if entry.path().extension().is_some_and(|e| e == "vnet") {
                files.push(entry.into_path());
            }
        }
    }
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: u64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let inputs = value("--inputs", 1_000_000);
    let mut rng = Rng(value("--seed", 1));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = corpus(root);
    if corpus.is_empty() {
        eprintln!("error: no .vnet files under examples/ or tests/fixtures/");
        std::process::exit(2);
    }
    let crashes = root.join("tests/fixtures/fuzz");
    // Panics are counted and saved, not printed one by one.
    panic::set_hook(Box::new(|_| {}));
    let start = Instant::now();
    let (mut found, mut bytes, mut invalid_utf8) = (0u64, 0u64, 0u64);
    let mut runs = vec![0u64; STAGES.len()];
    for n in 0..inputs {
        let base = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, base, other);
        bytes += input.len() as u64;
        // The CLI refuses invalid UTF-8 before parsing (exit 2): the stages see text.
        let text = match String::from_utf8(input) {
            Ok(t) => t,
            Err(e) => {
                invalid_utf8 += 1;
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        for (i, (name, stage)) in STAGES.iter().enumerate() {
            runs[i] += 1;
            if panic::catch_unwind(AssertUnwindSafe(|| stage(&text))).is_err() {
                found += 1;
                let _ = std::fs::create_dir_all(&crashes);
                let path = crashes.join(format!("{name}-{n}.vnet"));
                let _ = std::fs::write(&path, &text);
                eprintln!("panic in {name}: saved {}", path.display());
            }
        }
        if (n + 1) % 100_000 == 0 {
            eprintln!("{} inputs, {:.0} s", n + 1, start.elapsed().as_secs_f64());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{inputs} inputs ({:.1} MB, {invalid_utf8} made valid UTF-8 lossily) through {} in {secs:.0} s ({:.0} inputs/s): {found} panics",
        bytes as f64 / 1e6,
        STAGES
            .iter()
            .zip(&runs)
            .map(|((name, _), n)| format!("{name} x{n}"))
            .collect::<Vec<_>>()
            .join(", "),
        inputs as f64 / secs
    );
    if found > 0 {
        std::process::exit(1);
    }
}
