//! Timing and memory: medians of several runs; a child's peak resident memory from `wait4`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One run of a `vnetc` command.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub wall: Duration,
    /// Peak resident set size, bytes.
    pub peak_rss: u64,
    pub code: i32,
}

/// Runs `vnetc ARGS` once, output discarded, through a helper: this binary run again with
/// `--measure-child`. A child's peak RSS counts the memory of the process it was forked from
/// until it execs, so `vnetc` must be started by a small process, not by the benchmark that
/// holds the generated networks.
pub fn vnetc(args: &[&str], cwd: &Path) -> Sample {
    run(Path::new(env!("CARGO_BIN_EXE_vnetc")), args, cwd)
}

/// [`vnetc`] with another build of it: `binary ARGS` once, through the helper.
pub fn run(binary: &Path, args: &[&str], cwd: &Path) -> Sample {
    let out = Command::new(std::env::current_exe().expect("own path"))
        .arg("--measure-child")
        .arg(binary)
        .args(args)
        .current_dir(cwd)
        .stderr(Stdio::null())
        .output()
        .expect("helper runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text
        .split_whitespace()
        .map(|p| p.parse::<i64>().unwrap_or(-1));
    let (nanos, rss, code) = (
        parts.next().unwrap_or(-1),
        parts.next().unwrap_or(-1),
        parts.next().unwrap_or(-1),
    );
    Sample {
        wall: Duration::from_nanos(nanos.max(0) as u64),
        peak_rss: rss.max(0) as u64,
        code: code as i32,
    }
}

/// The helper: `args` is `BINARY ARGS...`; runs it and prints `WALL_NANOS PEAK_RSS_BYTES
/// EXIT_CODE` (exit code -1 when it could not start or did not exit normally).
// The child is reaped by `wait4` (which also gives its resource usage), not `Child::wait`.
#[allow(clippy::zombie_processes)]
pub fn child(args: &[String]) {
    let Some((binary, args)) = args.split_first() else {
        println!("0 0 -1");
        return;
    };
    let start = Instant::now();
    let Ok(child) = Command::new(binary)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        println!("0 0 -1");
        return;
    };
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for this child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, by its pid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    let code = if pid > 0 && libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // ru_maxrss is in kilobytes on Linux.
    println!(
        "{} {} {code}",
        wall.as_nanos(),
        usage.ru_maxrss as u64 * 1024
    );
}

/// The median sample (by wall time) of `runs` runs, after one warm-up run.
pub fn median_of(runs: usize, mut f: impl FnMut() -> Sample) -> Sample {
    medians_in_turn(runs, 1, |_| f(), |s| s.wall)[0]
}

/// The median of `runs` runs of each of `cases` cases (`f(case)`), run in turn (see
/// [`samples_in_turn`]).
pub fn medians_in_turn<T: Clone>(
    runs: usize,
    cases: usize,
    f: impl FnMut(usize) -> T,
    time: impl Fn(&T) -> Duration,
) -> Vec<T> {
    samples_in_turn(runs, cases, f)
        .into_iter()
        .map(|mut s| {
            s.sort_by_key(&time);
            s[s.len() / 2].clone()
        })
        .collect()
}

/// `runs` runs of each of `cases` cases (`f(case)`), by case, run in turn: a round runs every
/// case once, after one warm-up round. Figures that are compared (a command at two sizes, two
/// queries, a parser against another, two builds) were measured one case after another
/// before, and this machine's speed swings by a third within minutes: a swing between two
/// cases moved their ratio by as much.
pub fn samples_in_turn<T>(runs: usize, cases: usize, mut f: impl FnMut(usize) -> T) -> Vec<Vec<T>> {
    for case in 0..cases {
        f(case);
    }
    let mut samples: Vec<Vec<T>> = (0..cases).map(|_| Vec::new()).collect();
    for _ in 0..runs.max(1) {
        for (case, samples) in samples.iter_mut().enumerate() {
            samples.push(f(case));
        }
    }
    samples
}

/// The median duration of `runs` runs of an in-process closure, after one warm-up run.
pub fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    medians_in_turn(runs, 1, |_| timed(&mut f), |d| *d)[0]
}

/// How long one call of `f` takes.
pub fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
