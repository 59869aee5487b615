#!/usr/bin/env python3
"""Two vnetc builds side by side: each command alternates between them, so both see the same
load on a shared machine. Prints the median wall time and peak RSS (from wait4) of each.

    bench/side_by_side.py BEFORE_VNETC AFTER_VNETC NETWORK_DIR... [--runs 7]

Networks come from `cargo run --release -p vnet-netgen -- --size L --format vnet -o DIR`.
"""
import os
import statistics
import subprocess
import sys
import time


def run(binary, args):
    start = time.perf_counter()
    child = subprocess.Popen([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024  # seconds, MiB


def main():
    args = sys.argv[1:]
    runs = 7
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i : i + 2]
    if len(args) < 3:
        sys.exit(__doc__)
    builds = {"before": args[0], "after": args[1]}
    print("| network | command | before | after | speed-up | peak RSS before | after |")
    print("|---|---|---|---|---|---|---|")
    for network in args[2:]:
        for command in ("lint", "check"):
            samples = {name: [] for name in builds}
            for binary in builds.values():
                run(binary, [command, network])  # warm-up
            for _ in range(runs):
                for name, binary in builds.items():
                    samples[name].append(run(binary, [command, network]))
            wall = {n: statistics.median(s[0] for s in v) for n, v in samples.items()}
            rss = {n: statistics.median(s[1] for s in v) for n, v in samples.items()}
            print(
                f"| {os.path.basename(network)} | `{command}` | {wall['before'] * 1000:.0f} ms "
                f"| {wall['after'] * 1000:.0f} ms | {wall['before'] / wall['after']:.2f}x "
                f"| {rss['before']:.1f} MiB | {rss['after']:.1f} MiB |"
            )


if __name__ == "__main__":
    main()
