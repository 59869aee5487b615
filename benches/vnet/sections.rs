//! The sections of the benchmark report, each printed as a Markdown table.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use pest::Parser;
use vnet::db::{self, Database};
use vnet::diagnostics::render;
use vnet_netgen::{model::Network, Format, Size, DEFAULT_SEED};

use crate::measure::{self, mb, median_of, median_time, medians_in_turn, ms, timed, Sample};

/// The same grammar, with nothing of vnet around it: the parse throughput's reference.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/vnet.pest"]
struct BareGrammar;

fn files(size: Size) -> Vec<(String, String)> {
    vnet_netgen::render(&vnet_netgen::network(size, DEFAULT_SEED), Format::Vnet)
}

fn bytes(files: &[(String, String)]) -> u64 {
    files.iter().map(|(_, t)| t.len() as u64).sum()
}

/// Writes the `.vnet` form of `size` under `root`; returns its directory.
fn write_network(root: &Path, size: Size) -> PathBuf {
    let dir = root.join(size.name());
    vnet_netgen::write(&dir, size, Format::Vnet, DEFAULT_SEED).expect("write the network");
    dir
}

/// Writes the `.vnet` form of `size` as one file (every VPC's blocks one after another, as
/// a generator or an export may write them) under `root`; returns its directory.
fn write_network_as_one_file(root: &Path, size: Size) -> PathBuf {
    let dir = root.join(format!("{}-one-file", size.name()));
    std::fs::create_dir_all(&dir).expect("create the directory");
    let text: String = files(size).into_iter().map(|(_, text)| text).collect();
    std::fs::write(dir.join("network.vnet"), text).expect("write the network");
    dir
}

/// A flow of the first VPC, from an application host to its database host.
fn app_to_data(net: &Network) -> (String, String) {
    let vpc = &net.vpcs[0];
    let host = |tier: &str| {
        vpc.instances
            .iter()
            .find(|i| i.name.starts_with(tier))
            .map(|i| format!("{}.{}", vpc.name, i.name))
            .unwrap_or_default()
    };
    (host("app"), host("data"))
}

/// Runs every section, or those `only` names (`parse`, `commands`, `incremental`).
pub fn all(sizes: &[Size], runs: usize, only: Option<&[String]>) {
    let wanted = |name: &str| only.is_none_or(|o| o.iter().any(|s| s == name));
    println!("vnet benchmarks: {runs} runs per figure (median), seed {DEFAULT_SEED}\n");
    if wanted("parse") {
        parse_throughput(sizes, runs);
    }
    if wanted("commands") {
        let commands = commands(sizes, runs);
        scaling(&commands);
    }
    if wanted("incremental") {
        incremental(runs);
    }
}

fn parse_throughput(sizes: &[Size], runs: usize) {
    println!("## Parse throughput\n");
    println!("| size | MB | vnet parse (tree + spans + recovery) | bare pest grammar | ratio |");
    println!("|---|---|---|---|---|");
    for &size in sizes {
        let files = files(size);
        let total = bytes(&files);
        let times = medians_in_turn(
            runs,
            2,
            |case| {
                timed(|| {
                    for (_, text) in &files {
                        if case == 0 {
                            std::hint::black_box(vnet::syntax::parse(text));
                        } else {
                            let pairs =
                                BareGrammar::parse(Rule::file, text).map(|p| p.flatten().count());
                            std::hint::black_box(pairs.ok());
                        }
                    }
                })
            },
            |d| *d,
        );
        let (vnet, bare) = (times[0], times[1]);
        let rate = |d: Duration| mb(total) / d.as_secs_f64();
        println!(
            "| {} | {:.1} | {:.1} MB/s | {:.1} MB/s | {:.2} |",
            size.name(),
            mb(total),
            rate(vnet),
            rate(bare),
            rate(vnet) / rate(bare)
        );
    }
    println!();
}

/// Medians of each command at each size, for the scaling table.
struct Row {
    size: Size,
    source: u64,
    results: Vec<(&'static str, Sample)>,
}

fn commands(sizes: &[Size], runs: usize) -> Vec<Row> {
    let tmp = tempfile::tempdir().expect("temp dir");
    println!("## Commands (release vnetc, wall time and peak RSS)\n");
    println!("| size | source | command | median | peak RSS | RSS / source |");
    println!("|---|---|---|---|---|---|");
    // Every command at every size, run in turn (`medians_in_turn`): the scaling from L to XL
    // and the two `reach` queries compare figures of the same rounds.
    let mut cases: Vec<(Size, u64, PathBuf, &'static str, Vec<String>)> = Vec::new();
    for &size in sizes {
        let dir = write_network(tmp.path(), size);
        let dir_s = dir.to_string_lossy().into_owned();
        let source = bytes(&files(size));
        let (src, dst) = app_to_data(&vnet_netgen::network(size, DEFAULT_SEED));
        let reach = |ports: &str| -> Vec<String> {
            ["reach", &src, &dst, &dir_s, "--port", ports]
                .map(String::from)
                .to_vec()
        };
        let one_file = write_network_as_one_file(tmp.path(), size);
        let commands: [(&'static str, Vec<String>); 6] = [
            ("check", vec!["check".into(), dir_s.clone()]),
            ("lint", vec!["lint".into(), dir_s.clone()]),
            (
                "lint (the network as one file)",
                vec!["lint".into(), one_file.to_string_lossy().into_owned()],
            ),
            ("reach (tcp 5432)", reach("5432")),
            ("reach (tcp 1024-65535)", reach("1024-65535")),
            (
                "flows (every intended flow)",
                vec!["flows".into(), dir_s.clone()],
            ),
        ];
        for (name, args) in commands {
            cases.push((size, source, dir.clone(), name, args));
        }
    }
    let samples = medians_in_turn(
        runs,
        cases.len(),
        |case| {
            let (_, _, dir, _, args) = &cases[case];
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            measure::vnetc(&args, dir)
        },
        |s| s.wall,
    );
    let mut rows: Vec<Row> = Vec::new();
    for ((size, source, _, name, _), s) in cases.iter().zip(samples) {
        println!(
            "| {} | {:.2} MB | `{name}` | {:.0} ms | {:.1} MB | {:.1}x |",
            size.name(),
            mb(*source),
            ms(s.wall),
            mb(s.peak_rss),
            s.peak_rss as f64 / *source as f64
        );
        match rows.last_mut() {
            Some(row) if row.size == *size => row.results.push((name, s)),
            _ => rows.push(Row {
                size: *size,
                source: *source,
                results: vec![(name, s)],
            }),
        }
    }
    println!();
    rows
}

fn scaling(rows: &[Row]) {
    let (Some(l), Some(xl)) = (
        rows.iter().find(|r| r.size == Size::L),
        rows.iter().find(|r| r.size == Size::Xl),
    ) else {
        return;
    };
    println!(
        "## Scaling L to XL ({:.1}x the source)\n",
        xl.source as f64 / l.source as f64
    );
    println!("| command | L | XL | XL / L |");
    println!("|---|---|---|---|");
    for ((name, a), (_, b)) in l.results.iter().zip(&xl.results) {
        println!(
            "| `{name}` | {:.0} ms | {:.0} ms | {:.2}x |",
            ms(a.wall),
            ms(b.wall),
            b.wall.as_secs_f64() / a.wall.as_secs_f64()
        );
    }
    println!();
    for row in [l, xl] {
        let get = |n: &str| {
            row.results
                .iter()
                .find(|(name, _)| name.starts_with(n))
                .map(|r| r.1)
        };
        if let (Some(one), Some(range)) = (get("reach (tcp 5432"), get("reach (tcp 1024")) {
            println!(
                "reach over 1024-65535 / over one port ({}): {:.2}x",
                row.size.name(),
                range.wall.as_secs_f64() / one.wall.as_secs_f64()
            );
        }
    }
    println!();
}

/// A one-file edit in the L workspace (100 files): re-diagnosis after it against a cold run.
fn incremental(runs: usize) {
    let files = files(Size::L);
    println!(
        "## Incremental: one-file edit in the {}-file L workspace (in process)\n",
        files.len()
    );
    let cold = |lint: bool| {
        median_time(runs, || {
            let db = Database::default();
            let ws = db.workspace(files.clone());
            std::hint::black_box(render::compile_diagnostics(&db, ws));
            if lint {
                std::hint::black_box(db::lint_findings(&db, ws));
            }
        })
    };
    // Each edit alternates between two texts, so that every run changes the file.
    type Edit = fn(&str, usize) -> String;
    let edits: [(&str, Edit); 2] = [
        ("comment edited", |t, i| format!("{t}# edit {}\n", i % 2)),
        ("a NACL rule's port changed", |t, i| {
            t.replacen(
                "tcp 9100",
                if i % 2 == 0 { "tcp 9101" } else { "tcp 9102" },
                1,
            )
        }),
    ];
    println!("| re-diagnosis | cold | after the edit | edit / cold |");
    println!("|---|---|---|---|");
    for lint in [false, true] {
        let what = if lint { "check + lint" } else { "check" };
        let cold = cold(lint);
        for (name, edit) in edits {
            let mut db = Database::default();
            let ws = db.workspace(files.clone());
            let _ = render::compile_diagnostics(&db, ws);
            if lint {
                let _ = db::lint_findings(&db, ws);
            }
            let target = ws.files(&db)[files.len() / 2];
            let original = target.text(&db).clone();
            let mut i = 0;
            let warm = median_time(runs, || {
                db.set_text(target, edit(&original, i));
                i += 1;
                std::hint::black_box(render::compile_diagnostics(&db, ws));
                if lint {
                    std::hint::black_box(db::lint_findings(&db, ws));
                }
            });
            println!(
                "| {what}, {name} | {:.1} ms | {:.2} ms | 1/{:.0} |",
                ms(cold),
                ms(warm),
                cold.as_secs_f64() / warm.as_secs_f64()
            );
        }
    }
    println!();
}

/// The recorded medians of the smoke run (`bench/smoke-baseline.txt`, `SIZE COMMAND MS`).
fn baseline() -> Vec<(String, String, f64)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/smoke-baseline.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let (size, command, ms) = (parts.next()?, parts.next()?, parts.next()?);
            Some((size.to_string(), command.to_string(), ms.parse().ok()?))
        })
        .collect()
}

/// CI: S and M, each command against 10x its recorded median.
pub fn smoke() -> ExitCode {
    const SLACK: f64 = 10.0;
    let base = baseline();
    if base.is_empty() {
        eprintln!("error: bench/smoke-baseline.txt has no figures");
        return ExitCode::FAILURE;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut failed = false;
    println!("| size | command | median | baseline | limit (10x) |");
    println!("|---|---|---|---|---|");
    for size in [Size::S, Size::M] {
        let dir = write_network(tmp.path(), size);
        let dir_s = dir.to_string_lossy().into_owned();
        for command in ["check", "lint", "flows"] {
            let s = median_of(5, || measure::vnetc(&[command, &dir_s], &dir));
            let Some((_, _, base_ms)) = base
                .iter()
                .find(|(sz, c, _)| sz == size.name() && c == command)
            else {
                eprintln!("error: no baseline for {} {command}", size.name());
                failed = true;
                continue;
            };
            // A floor of 20 ms: below it, process start-up noise dominates.
            let limit = base_ms.max(20.0) * SLACK;
            let took = ms(s.wall);
            let verdict = if took > limit { "FAIL" } else { "ok" };
            println!(
                "| {} | `{command}` | {took:.0} ms | {base_ms:.0} ms | {limit:.0} ms {verdict} |",
                size.name()
            );
            // Exit codes: check 0 (the network compiles), lint and flows 1 (findings, failures).
            if s.code == 2 || s.code < 0 {
                eprintln!("error: vnetc {command} exited with {}", s.code);
                failed = true;
            }
            failed |= took > limit;
        }
    }
    if failed {
        eprintln!("error: a smoke benchmark is more than {SLACK}x slower than its baseline");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `--compare`: builds of `vnetc` on one workspace, run in turn (each round runs every build
/// once), so that a swing of the machine falls on all of them alike. Prints each build's
/// minimum and median wall time and its median and largest peak RSS: the largest, because a
/// peak-memory target must hold in every run, not only at the median.
pub fn compare(binaries: &[PathBuf], command: &str, workspace: &Path, runs: usize) -> ExitCode {
    let mut args: Vec<&str> = command.split_whitespace().collect();
    let workspace_s = workspace.to_string_lossy();
    args.push(&workspace_s);
    let samples = measure::samples_in_turn(runs, binaries.len(), |i| {
        measure::run(&binaries[i], &args, Path::new("."))
    });
    println!("## `vnetc {}`, {runs} rounds in turn\n", args.join(" "));
    println!("| build | wall min | wall median | peak RSS median | peak RSS max |");
    println!("|---|---|---|---|---|");
    let mut failed = false;
    for (binary, mut samples) in binaries.iter().zip(samples) {
        // 0 and 1 are a command's answers (1: findings, failed flows); 2 is a usage or compile
        // error and -1 a crash, and their times mean nothing.
        if let Some(bad) = samples.iter().find(|s| s.code != 0 && s.code != 1) {
            eprintln!("error: {} exited with {}", binary.display(), bad.code);
            failed = true;
            continue;
        }
        samples.sort_by_key(|s| s.wall);
        let wall = (samples[0].wall, samples[samples.len() / 2].wall);
        samples.sort_by_key(|s| s.peak_rss);
        let rss = (
            samples[samples.len() / 2].peak_rss,
            samples[samples.len() - 1].peak_rss,
        );
        println!(
            "| `{}` | {:.1} ms | {:.1} ms | {:.2} MiB | {:.2} MiB |",
            binary.display(),
            ms(wall.0),
            ms(wall.1),
            mb(rss.0),
            mb(rss.1)
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
