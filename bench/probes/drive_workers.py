#!/usr/bin/env python3
"""One-off probe: how fast `conlab worker` processes compute item 53's factorize units on their own,
driven straight over their pipes with no conlab parent in between. Starts WORKERS workers, sends each the
scenario's batch (four numbers, 100 rounds: 400 units), times one unit each (their start), then one chunk
of 400 / WORKERS units each. Not run by bench/run.

    python3 bench/probes/drive_workers.py .build/release/conlab 2
"""
import json
import struct
import subprocess
import sys
import time


def send(worker, message):
    body = json.dumps(message).encode()
    worker.stdin.write(struct.pack(">I", len(body)) + body)
    worker.stdin.flush()


def receive(worker):
    (length,) = struct.unpack(">I", worker.stdout.read(4))
    reply = json.loads(worker.stdout.read(length))
    if "outputs" not in reply:
        raise RuntimeError(f"unexpected reply: {reply}")
    return reply


def main(binary, count):
    tasks = [{"factorize": {"_0": number}} for number in (2139079, 1214759, 1516637, 1852285)]
    payload = json.dumps({"phase": 0, "tasks": tasks, "rounds": 100})
    started = time.perf_counter()
    workers = [subprocess.Popen([binary, "worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
               for _ in range(count)]
    for number, worker in enumerate(workers):
        send(worker, {"batch": {"kind": "cpu.batch", "payload": payload}})
        send(worker, {"run": {"first": number, "count": 1}})
    for worker in workers:
        receive(worker)
    ready = time.perf_counter()
    share = 400 // count
    for number, worker in enumerate(workers):
        send(worker, {"run": {"first": number * share, "count": share}})
    for worker in workers:
        receive(worker)
    finished = time.perf_counter()
    for worker in workers:
        worker.stdin.close()
        worker.wait()
    print(f"{count} workers: start and one unit each {ready - started:.4f} s; "
          f"{share} units each {finished - ready:.4f} s")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2)
