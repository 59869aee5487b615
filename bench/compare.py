#!/usr/bin/env python3
"""Two or more builds of vnetc, run in turn on one workspace: wall time and peak memory.

    bench/compare.py [--rounds N] [--command lint] DIR BIN [BIN...]

Each round runs every binary once, starting with a different one each round, so that a swing
of the machine (this one's speed moves by 10-50% within an hour) falls on all of them alike.
Prints, per binary, the minimum and median wall time and the median and largest peak
resident memory (the kernel's maximum RSS of the process, what GNU time's %M reports).
Output goes to /dev/null; the exit code of vnetc (1 when there are findings) is ignored.
Used for BENCHMARKS.md's "interleaved" figures; instructions are counted apart, with
`valgrind --tool=callgrind vnetc lint DIR`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(binary, command, workspace):
    """Wall seconds and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [binary, *command.split(), workspace],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--command", default="lint", help="the vnetc command (default: lint)")
    parser.add_argument("workspace")
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    for binary in args.binaries:
        if not os.access(binary, os.X_OK):
            sys.exit(f"error: {binary}: not an executable")
    walls = {b: [] for b in args.binaries}
    peaks = {b: [] for b in args.binaries}
    for binary in args.binaries:  # a warm-up run each: the files in the page cache
        run_once(binary, args.command, args.workspace)
    for r in range(args.rounds):
        order = args.binaries[r % len(args.binaries):] + args.binaries[: r % len(args.binaries)]
        for binary in order:
            wall, peak = run_once(binary, args.command, args.workspace)
            walls[binary].append(wall)
            peaks[binary].append(peak)
    print(f"{args.rounds} rounds in turn, `vnetc {args.command} {args.workspace}`")
    for binary in args.binaries:
        w, p = walls[binary], peaks[binary]
        print(
            f"{binary}: wall min {min(w) * 1000:.1f} ms, median {statistics.median(w) * 1000:.1f} ms;"
            f" peak RSS median {statistics.median(p) / 1024:.2f} MiB, max {max(p) / 1024:.2f} MiB"
        )


if __name__ == "__main__":
    main()
