#!/usr/bin/env python3
"""One-off probe: two conlab builds on the same Life run, alternating, for before/after claims on a machine
whose speed drifts by the hour. Not run by bench/run.

    bench/probes/alternate_builds.py OLD NEW ROUNDS [--set KEY=VALUE ...]

Each round runs `conlab run scenarios/life-random-100.yaml --format json` once with each build, the order
swapped every round, with the given --set overrides (the strategy, grid, latency, generations); it prints
for each build the median over rounds of each run's median seconds a generation, their range, and each
run's peak RSS. BENCHMARKS.md's thread-per-cell A/B (issue 20, point 3) is

    bench/probes/alternate_builds.py OLD NEW 6 --set workload.io.latency=10ms --set workload.generations=5 \\
        --set 'strategies=[thread]'
"""
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(arguments):
    if len(arguments) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    builds, rounds, overrides = arguments[:2], int(arguments[2]), arguments[3:]
    seconds = {build: [] for build in builds}
    peaks = {build: [] for build in builds}
    for round in range(rounds):
        for build in builds if round % 2 == 0 else builds[::-1]:
            output = subprocess.run(
                [build, "run", "scenarios/life-random-100.yaml", "--format", "json", "--log", "/dev/null",
                 "--quiet", *overrides],
                cwd=ROOT, capture_output=True, text=True).stdout
            result = json.loads(output)["scenarios"][0]["results"][0]
            if not result["correct"]:
                raise SystemExit(f"{build}: {result['outcome']}: {result['error']}")
            seconds[build].append(statistics.median(result["phase_seconds"]))
            peaks[build].append(result["peak_rss_bytes"] >> 20)
    for build in builds:
        runs = sorted(seconds[build])
        print(f"{build}: median {statistics.median(runs):.3f} s/gen, range {runs[0]:.3f}–{runs[-1]:.3f}, "
              f"peak RSS {peaks[build]} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
