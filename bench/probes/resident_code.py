#!/usr/bin/env python3
"""One-off probe behind BENCHMARKS' fixed-memory notes (issue 20 point 5): how much of a running conlab's code
is resident, by module. Not run by bench/run.

    bench/probes/resident_code.py [CONLAB]       default: .build/release/conlab

It starts `CONLAB run scenarios/life-glider.yaml --strategies serial` (100 ms waits: it runs for seconds),
waits two seconds, reads /proc/PID/pagemap over the executable's code mapping, names each resident page by the
`nm -n` symbol it falls in (Swift symbols by their module), prints the KiB
per module and how many of the mapping's 64 KiB windows hold a resident page, then interrupts the run.
"""
import bisect
import collections
import os
import re
import signal
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def module(name):
    """A symbol's module: a Swift name's first module, the standard library for `$ss` and for its types' own
    abbreviations (`$sSa`, `$sSD`, ...), else C++ and the Swift runtime, else C."""
    match = re.match(r"\$s(\d+)([A-Za-z_]+)", name)
    if match:
        return match.group(2)[:int(match.group(1))]
    if name.startswith("$s"):
        return "Swift standard library"
    return "C++ / runtime" if name.startswith(("_Z", "swift")) else "C"


def main(arguments):
    binary = os.path.abspath(arguments[0] if arguments else os.path.join(ROOT, ".build", "release", "conlab"))
    symbols = []
    for line in subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True, text=True).stdout.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] in "tT":
            symbols.append((int(parts[0], 16), parts[2]))
    addresses = [address for address, _ in symbols]
    run = subprocess.Popen([binary, "run", "scenarios/life-glider.yaml", "--strategies", "serial", "--log",
                            os.devnull, "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2)
        with open(f"/proc/{run.pid}/maps") as maps, open(f"/proc/{run.pid}/pagemap", "rb") as pagemap:
            for fields in (line.split() for line in maps):
                if len(fields) < 6 or fields[5] != binary or fields[1] != "r-xp":
                    continue
                low, high = (int(part, 16) for part in fields[0].split("-"))
                pages = (high - low) // 4096
                pagemap.seek(low // 4096 * 8)
                entries = pagemap.read(pages * 8)
                kib, windows = collections.Counter(), set()
                for page in range(pages):
                    if struct.unpack_from("<Q", entries, page * 8)[0] >> 63:
                        found = bisect.bisect_right(addresses, low + page * 4096) - 1
                        kib[module(symbols[found][1]) if found >= 0 else "?"] += 4
                        windows.add(page // 16)
                print(f"code resident: {sum(kib.values())} KiB in {len(windows)} of {(pages + 15) // 16} "
                      "64 KiB windows")
                for name, size in kib.most_common(15):
                    print(f"{size:8} KiB  {name}")
    finally:
        run.send_signal(signal.SIGINT)
        run.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
