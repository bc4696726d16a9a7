#!/usr/bin/env python3
"""One-off probe: a bundled Python strategy's time inside conlab against the same program's time outside it,
on the same work (issue 19: within 20 %), for every work kind the programs run (`life.generation`,
`cpu.batch`, `pipeline`). Not run by bench/run.

Outside conlab, two figures. Phases: the program runs in this process with its argv from
strategies/NAME.json, exactly as conlab starts it, but with conlab_protocol.serve replaced: the recorded
phases are handed to the program's own handler and each call is timed, so no pipe, no JSON and no other
process is in the time. Whole run: the program started as conlab starts it (the manifest's argv, in its
folder), reading the recorded conversation from a file, timed from start to exit. Inside conlab, the
result's phase_seconds (conlab's clock around each whole exchange) and wall_seconds (from the program's
start to its exit after `end`).

    # 1. Record the phases conlab sends for a scenario (the recorder computes without waiting, so conlab
    #    flags its time as invalid; only the recording is wanted):
    mkdir -p /tmp/rec && python3 bench/probes/python_outside.py manifest /tmp/rec/recorder.json /tmp/rec/phases.jsonl
    CONLAB_STRATEGY_PATH=/tmp/rec conlab run scenarios/life-glider.yaml --strategies recorder
    # 2. Inside: run the scenario under the strategies with a log; outside: replay the recording.
    conlab run scenarios/life-glider.yaml --repeat 3 --log /tmp/rec/inside.jsonl
    CALLER_PATH="$PATH" python3 bench/probes/python_outside.py compare /tmp/rec/phases.jsonl /tmp/rec/inside.jsonl python-thread ...
    # 2'. Or both sides in turn, a round of each at a time, for a machine whose load moves (the command is the
    #     scenario's conlab run, with the same --set as the recording's; the probe adds --strategies and --log):
    CALLER_PATH="$PATH" python3 bench/probes/python_outside.py alternate /tmp/rec/phases.jsonl \
        'conlab run scenarios/life-glider.yaml' python-thread ...

Each figure is the median of three: run conlab with --repeat 3, and the probe runs each program three times
(alternate: the median of its rounds on each side, three, or N with `--rounds N` before the names).
"""

import io
import json
import os
import runpy
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PLUGINS = os.path.join(ROOT, "Plugins", "python")
sys.path.insert(0, PLUGINS)

import conlab_protocol as protocol  # noqa: E402


def _serial_handlers():
    """python-serial's handlers, keyed by work kind: the recorder's (without waits)."""
    import pipeline
    import strategy_serial

    return {
        "life.generation": strategy_serial.run_generation,
        "cpu.batch": strategy_serial.run_batch,
        "pipeline": lambda phase, work: pipeline.run_serial(work),
    }


def _check_life(work, results):
    return isinstance(results, str) and len(results) == work["rows"] * work["columns"]


def _check_batch(work, results):
    return isinstance(results, list) and len(results) == len(work["tasks"]) * work["rounds"]


def _check_pipeline(work, results):
    return isinstance(results, dict) and sorted(entry[0] for entry in results["delivered"]) == list(
        range(work["items"]))


# What an answer of each kind looks like (docs/strategy-protocol.md, "The work kinds"): a Life generation is a
# string of cells, a batch an array of one result per unit, a pipeline an object whose `delivered` holds every
# item. The replay checks the form, so that a program that answered something else is not timed as if it had
# done the work.
REFERENCE = {"life.generation": _check_life, "cpu.batch": _check_batch, "pipeline": _check_pipeline}


def write_manifest(path, recording):
    """A manifest registering the recorder: python-serial without waits, writing conlab's messages down."""
    manifest = {
        "name": "recorder",
        "description": "records the phases conlab sends (no waits: its times are invalid)",
        "argv": [sys.executable, "-u", os.path.abspath(__file__), "record", os.path.abspath(recording)],
        "workloads": sorted(REFERENCE),
        "concurrency": 1,
    }
    with open(path, "w") as file:
        json.dump(manifest, file)


def record(recording):
    """Serves as python-serial without waiting, copying every message conlab writes to `recording`."""
    handlers = _serial_handlers()
    protocol.sleep_ns = lambda duration: None
    with open(recording, "w") as copy:
        class Tee(io.TextIOBase):
            def __iter__(self):
                for line in sys.__stdin__:
                    copy.write(line)
                    copy.flush()
                    yield line

        sys.stdin = Tee()
        protocol.serve(handlers)


def outside(recording, name):
    """Runs strategy NAME's program in this process on the recorded phases; returns each phase's seconds."""
    with open(os.path.join(ROOT, "strategies", f"{name}.json")) as file:
        manifest = json.load(file)
    argv = manifest["argv"]
    script = next(argument for argument in argv if argument.endswith(".py"))
    script = os.path.normpath(os.path.join(ROOT, "strategies", script))
    messages = [json.loads(line) for line in open(recording)]
    phases = [message for message in messages if message.get("type") == "phase"]
    hello = next((message for message in messages if message.get("type") == "hello"), {})
    seconds = []

    def timed_serve(handlers, configure=None):
        # As serve does on the greeting, untimed (conlab's phase time starts after it too): a program that
        # takes options starts its workers and fills its handlers here. The recorder's greeting carries no
        # options, so the program runs with its defaults, as under a scenario that sets none.
        if configure is not None:
            configure(hello.get("options") or {})
        for message in phases:
            handler = handlers.get(message["kind"])
            if handler is None:
                raise SystemExit(f"{name} does not run {message['kind']} work (its manifest's workloads)")
            started = time.perf_counter()
            results = handler(message["phase"], message["work"])
            seconds.append(time.perf_counter() - started)
            if not REFERENCE[message["kind"]](message["work"], results):
                raise SystemExit(f"{name} answered phase {message['phase']} ({message['kind']}) in another form")

    protocol.serve = timed_serve
    saved = sys.argv
    sys.argv = [script] + argv[[a.endswith(".py") for a in argv].index(True) + 1:]
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        sys.argv = saved
    return seconds


def inside(log, name):
    """The medians of (phases' seconds, wall seconds) over strategy NAME's results in a conlab log (one per
    round with --repeat)."""
    results = [json.loads(line) for line in open(log)]
    results = [event for event in results if event.get("event") == "result" and event.get("label") == name]
    if not results:
        raise SystemExit(f"no result of {name} in {log}")
    return (
        statistics.median(sum(result["phase_seconds"]) for result in results),
        statistics.median(result["wall_seconds"] for result in results),
    )


def standalone(recording, name):
    """Seconds from start to exit of strategy NAME's program, as conlab starts it, reading `recording`."""
    folder = os.path.join(ROOT, "strategies")
    with open(os.path.join(folder, f"{name}.json")) as file:
        argv = json.load(file)["argv"]
    # The PATH conlab was given: a version manager's `python3` (pyenv's shim) puts its interpreter's folder
    # first for this probe's own run, which would find a faster-starting python3 than conlab found.
    environment = dict(os.environ, PATH=os.environ.get("CALLER_PATH", os.environ["PATH"]))
    with open(recording) as given, open(os.devnull, "w") as ignored:
        started = time.perf_counter()
        subprocess.run(argv, cwd=folder, stdin=given, stdout=ignored, check=True, env=environment)
        return time.perf_counter() - started


def outside_once(recording, name):
    """One round outside conlab: (the phases' seconds, the whole run's seconds) of strategy NAME's program."""
    # A fresh interpreter per program, as conlab gives each: nothing one leaves behind slows the next.
    reply = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "outside", recording, name],
        capture_output=True, text=True,
    )
    if reply.returncode != 0:
        last = (reply.stderr.strip().splitlines() or [f"exit status {reply.returncode}"])[-1]
        raise SystemExit(f"{name} outside conlab: {last}")
    return sum(json.loads(reply.stdout.splitlines()[-1])), standalone(recording, name)


def inside_once(command, name):
    """One round inside conlab: `command` (a conlab run of the recorded scenario) with `--strategies NAME`, on
    the PATH conlab was given; (the result's phase seconds, its wall seconds)."""
    with tempfile.TemporaryDirectory() as folder:
        log = os.path.join(folder, "inside.jsonl")
        environment = dict(os.environ, PATH=os.environ.get("CALLER_PATH", os.environ["PATH"]))
        with open(os.devnull, "w") as ignored:
            subprocess.run(shlex.split(command) + ["--strategies", name, "--log", log], stdout=ignored,
                           env=environment)
        return inside(log, name)


def _row(name, phases, away, wall, whole):
    print(
        f"| {name} | {phases:.3f} s | {away:.3f} s | {phases / away:.3f} "
        f"| {wall:.3f} s | {whole:.3f} s | {wall / whole:.3f} |",
        flush=True,
    )


_HEADER = ("| strategy | inside: phases | outside: phases | ratio | inside: whole run | outside: whole run | ratio |\n"
           "|---|---|---|---|---|---|---|")


def compare(recording, log, names, rounds=3):
    """Inside from a log of `conlab run --repeat 3`, then each program three times outside."""
    print(_HEADER)
    for name in names:
        phases, wall = inside(log, name)
        away, whole = zip(*(outside_once(recording, name) for _ in range(rounds)))
        _row(name, phases, statistics.median(away), wall, statistics.median(whole))


def alternate(recording, command, names, rounds=3):
    """Like compare, but each round runs conlab once and the program once outside, one right after the other
    (conlab first in even rounds, last in odd ones): on a machine whose load moves from minute to minute, the
    two sides of a ratio then meet the same load."""
    print(_HEADER)
    for name in names:
        inner, outer = [], []
        for index in range(rounds):
            if index % 2 == 0:
                inner.append(inside_once(command, name))
                outer.append(outside_once(recording, name))
            else:
                outer.append(outside_once(recording, name))
                inner.append(inside_once(command, name))
        # Every round's figures on standard error: the spread says how far the machine's load moved them.
        print(f"{name}: inside {inner}, outside {outer}", file=sys.stderr, flush=True)
        phases, wall = (statistics.median(figures) for figures in zip(*inner))
        away, whole = (statistics.median(figures) for figures in zip(*outer))
        _row(name, phases, away, wall, whole)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "manifest":
        write_manifest(*arguments)
    elif command == "record":
        record(*arguments)
    elif command == "outside":
        print(json.dumps(outside(*arguments)))
    elif command == "compare":
        compare(arguments[0], arguments[1], arguments[2:])
    elif command == "alternate":
        # `--rounds N` before the names: more rounds for a machine whose load moves a lot.
        names, rounds = arguments[2:], 3
        if names[:1] == ["--rounds"]:
            names, rounds = names[2:], int(names[1])
        alternate(arguments[0], arguments[1], names, rounds)
    else:
        raise SystemExit(__doc__)
