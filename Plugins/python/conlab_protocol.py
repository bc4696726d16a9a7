"""conlab's strategy protocol, version 1, for strategies written in Python (standard library only).

docs/strategy-protocol.md is the reference. conlab starts the program, writes one JSON object per line on
its standard input and reads one per line from its standard output:

    conlab  -> {"type": "hello", "protocol": "conlab-strategy", "version": 1, "strategy": NAME}
    program -> {"type": "hello", "version": 1}
    conlab  -> {"type": "phase", "phase": P, "kind": KIND, "work": {...}}
    program -> {"type": "results", "phase": P, "results": "..."}
             | {"type": "failure", "phase": P, "index": I, "step": S, "reason": "io_failed" | "timed_out",
                "waited_ns": N}
             | {"type": "error", "message": "..."}
    conlab  -> {"type": "end"}   (or end of input): the program exits with status 0.

The program performs every wait itself, for real: conlab keeps the clock and rejects a phase that finishes
under the floor its waits allow. The waits are drawn here exactly as conlab draws them (Draws), so a unit
waits the same in Python as in any of conlab's own strategies.
"""

import json
import math
import sys
import time

VERSION = 1
_MASK = (1 << 64) - 1
# LatencyModel.maximum: 1000 hours, in nanoseconds.
MAXIMUM_NS = 1000 * 3600 * 1_000_000_000
# The largest uniform used, so that quantile functions with a pole at 1 stay finite.
_LARGEST_UNIFORM = 1 - 2.0**-53


def _mix(value):
    """SplitMix64's finalizer (Stafford's Mix13), on 64 bits."""
    z = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def counter_bits(seed, c0, c1=0, c2=0, c3=0):
    """64 random bits for the counter words (c0, c1, c2, c3): conlab's CounterRandom.bits."""
    state = _mix(seed ^ 0x6A09E667F3BCC909)
    state = _mix((state + c0 * 0x9E3779B97F4A7C15) & _MASK)
    state = _mix((state + c1 * 0xD1B54A32D192ED03) & _MASK)
    state = _mix((state + c2 * 0xAEF17502108EF2D9) & _MASK)
    return _mix((state + c3 * 0xF1357AEA2E62A9C5) & _MASK)


def counter_uniform(seed, c0, c1=0, c2=0, c3=0):
    """Uniform in [0, 1) from the top 53 bits: conlab's CounterRandom.uniform."""
    return (counter_bits(seed, c0, c1, c2, c3) >> 11) * 2.0**-53


def _seconds(ns):
    """A duration in seconds as conlab computes it (whole seconds plus attoseconds), for identical rounding."""
    whole, rest = divmod(ns, 1_000_000_000)
    return float(whole) + float(rest * 1_000_000_000) * 1e-18


def _nanoseconds(seconds):
    """Seconds rounded to whole nanoseconds, half away from zero, within 0...MAXIMUM_NS."""
    value = seconds * 1e9
    if value != value or value <= 0:
        return 0
    if value >= MAXIMUM_NS:
        return MAXIMUM_NS
    whole = math.floor(value)
    return whole + 1 if value - whole >= 0.5 else whole


class UnsupportedModel(Exception):
    """A latency model this program cannot draw from; reported to conlab as an error."""


def sample_ns(model, u):
    """The latency at quantile u of the protocol's latency model object, in nanoseconds."""
    u = 0.0 if u != u else min(max(u, 0.0), _LARGEST_UNIFORM)
    kind = model["kind"]
    if kind == "fixed":
        value = max(model["value_ns"], 0)
    elif kind == "uniform":
        low, high = sorted((model["min_ns"], model["max_ns"]))
        low, high = _seconds(low), _seconds(high)
        value = _nanoseconds(low + (high - low) * u)
    elif kind == "exponential":
        value = _nanoseconds(-_seconds(model["mean_ns"]) * math.log1p(-u))
    elif kind == "pareto":
        shape = model["shape"]
        if shape <= 0:
            value = max(model["scale_ns"], 0)
        else:
            value = _nanoseconds(_seconds(model["scale_ns"]) * math.pow(1 - u, -1 / shape))
    elif kind == "empirical":
        samples = model["samples_ns"]
        if not samples:
            return 0
        value = max(samples[min(int(u * len(samples)), len(samples) - 1)], 0)
    else:
        raise UnsupportedModel(f"latency model '{kind}' is not supported by this program")
    return min(value, MAXIMUM_NS)


class UnitFailed(Exception):
    """A unit whose modelled I/O failed or timed out: answered as a `failure` message."""

    def __init__(self, index, step, reason, waited_ns):
        super().__init__(f"unit {index}: {step} {reason}")
        self.index, self.step, self.reason, self.waited_ns = index, step, reason, waited_ns


class Draws:
    """The waits of one phase's units, from the work's `io` object: which steps wait, the seed, the model."""

    def __init__(self, io, step_keys):
        self.steps = set(io["steps"])
        self.seed = io["seed"]
        model = io["model"]
        self.latency = model["latency"]
        self.failure_rate = model["failure_rate"]
        self.timeout_ns = model["timeout_ns"]
        self.step_keys = step_keys

    def draw(self, phase, index, step):
        """(duration_ns, outcome) of `step`'s call for unit `index` of `phase`: conlab's IOModel.draw."""
        key = self.step_keys[step]
        latency = sample_ns(self.latency, counter_uniform(self.seed, phase, index, key, 0))
        if self.timeout_ns is not None and latency > self.timeout_ns:
            return self.timeout_ns, "timed_out"
        fails = self.failure_rate > 0 and counter_uniform(self.seed, phase, index, key, 1) < self.failure_rate
        return latency, "io_failed" if fails else "completed"

    def wait(self, phase, index, step):
        """Performs `step`'s wait for real, if the step waits, then raises UnitFailed if the call failed."""
        if step not in self.steps:
            return
        duration, outcome = self.draw(phase, index, step)
        sleep_ns(duration)
        if outcome != "completed":
            raise UnitFailed(index, step, outcome, duration)


def sleep_ns(duration):
    """Sleeps until `duration` nanoseconds from now on the monotonic clock, never returning early."""
    deadline = time.monotonic_ns() + duration
    while True:
        remaining = deadline - time.monotonic_ns()
        if remaining <= 0:
            return
        time.sleep(remaining / 1e9)


def _write(message):
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def serve(handlers):
    """Talks the protocol on standard input and output until conlab ends the conversation.

    `handlers` maps a work kind (`life.generation`) to a function (phase, work) -> results string, which
    raises UnitFailed for a unit whose I/O failed.
    """
    for line in sys.stdin:
        message = json.loads(line)
        kind = message.get("type")
        if kind == "hello":
            _write({"type": "hello", "version": VERSION})
        elif kind == "phase":
            phase = message["phase"]
            handler = handlers.get(message["kind"])
            if handler is None:
                _write({"type": "error", "message": f"this program does not run {message['kind']} work"})
                return
            try:
                results = handler(phase, message["work"])
            except UnitFailed as failure:
                _write({"type": "failure", "phase": phase, "index": failure.index, "step": failure.step,
                        "reason": failure.reason, "waited_ns": failure.waited_ns})
                continue
            except UnsupportedModel as error:
                _write({"type": "error", "message": str(error)})
                return
            _write({"type": "results", "phase": phase, "results": results})
        elif kind == "end":
            return
        else:
            _write({"type": "error", "message": f"unknown message type {kind!r}"})
            return
