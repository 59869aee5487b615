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

/// Runs `vnetc ARGS` once, output discarded.
pub fn vnetc(args: &[&str], cwd: &Path) -> Sample {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_vnetc"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("vnetc starts");
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for this child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, by its pid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert!(pid > 0, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Sample {
        wall,
        // ru_maxrss is in kilobytes on Linux.
        peak_rss: usage.ru_maxrss as u64 * 1024,
        code,
    }
}

/// The median sample (by wall time) of `runs` runs, after one warm-up run.
pub fn median_of(runs: usize, mut f: impl FnMut() -> Sample) -> Sample {
    let _ = f();
    let mut samples: Vec<Sample> = (0..runs.max(1)).map(|_| f()).collect();
    samples.sort_by_key(|s| s.wall);
    samples[samples.len() / 2]
}

/// The median duration of `runs` runs of an in-process closure, after one warm-up run.
pub fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
