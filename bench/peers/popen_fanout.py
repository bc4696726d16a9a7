"""The CPython peer of concurrent spawning (item 52): start COUNT children with subprocess.Popen, each with
its standard input, output and error on pipes as conlab's child jobs have them, all before waiting for
any, then wait for each and read its output. Run by bench/run.

    python3 popen_fanout.py COUNT [PROGRAM]

Prints children per second.
"""
import subprocess
import sys
import time

count = int(sys.argv[1])
program = sys.argv[2] if len(sys.argv) > 2 else "/bin/true"
started = time.perf_counter()
children = [subprocess.Popen([program], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(count)]
for child in children:
    child.communicate()
print(count / (time.perf_counter() - started))
