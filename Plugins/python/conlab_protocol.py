"""conlab's strategy protocol, version 1, for strategies written in Python (standard library only).

docs/strategy-protocol.md is the reference. conlab starts the program, writes one JSON object per line on
its standard input and reads one per line from its standard output:

    conlab  -> {"type": "hello", "protocol": "conlab-strategy", "version": 1, "strategy": NAME}
    program -> {"type": "hello", "version": 1}
    conlab  -> {"type": "phase", "phase": P, "kind": KIND, "work": {...}}
    program -> {"type": "results", "phase": P, "results": ...}
             | {"type": "failure", "phase": P, "index": I, "step": S, "reason": "io_failed" | "timed_out",
                "waited_ns": N}   (a pipeline's also "stage": S)
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


# The standard normal quantile, as conlab computes it (NormalDistribution.swift): Acklam's rational
# approximation, then one Halley step against erfc.
_SQRT2PI = 2.50662827463100050242
_INVERSE_SQRT2 = 0.70710678118654752440
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02,
      -3.066479806614716e01, 2.506628277459239e00)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01,
      -1.328068155288572e01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00,
      4.374664141464968e00, 2.938163982698783e00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def _cdf(x):
    return 0.5 * math.erfc(-x * _INVERSE_SQRT2)


def _complementary_cdf(x):
    return 0.5 * math.erfc(x * _INVERSE_SQRT2)


def _acklam(p):
    if p < 0.02425:
        q = math.sqrt(-2 * math.log(p))
        c1, c2, c3, c4, c5, c6 = _C
        d1, d2, d3, d4 = _D
        return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1)
    q = p - 0.5
    r = q * q
    a1, a2, a3, a4, a5, a6 = _A
    b1, b2, b3, b4, b5 = _B
    return (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q / (
        ((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1)


def _lower_quantile(p):
    if p == 0.5:
        return 0.0
    x = _acklam(p)
    u = (_cdf(x) - p) * _SQRT2PI * math.exp(0.5 * x * x)
    return x - u / (1 + 0.5 * x * u)


def normal_quantile(probability):
    """The standard normal quantile, clamped to a finite result."""
    p = 0.5 if probability != probability else min(max(probability, 2.2250738585072014e-308), _LARGEST_UNIFORM)
    return -_lower_quantile(1 - p) if p > 0.5 else _lower_quantile(p)


def _truncated_normal_seconds(mean_ns, sd_ns, u):
    """The quantile at u of Normal(mean, sd) conditioned on being >= 0, in seconds."""
    mu, sd = _seconds(mean_ns), _seconds(sd_ns)
    if sd <= 0:
        return mu
    a = -mu / sd
    if a > 37:
        z = a - math.log1p(-u) / a
    else:
        lower = _cdf(a) + u * _complementary_cdf(a)
        z = normal_quantile(lower) if lower < 0.5 else -normal_quantile((1 - u) * _complementary_cdf(a))
    return mu + sd * max(z, a)


class CannotRun(Exception):
    """Work this program cannot run (a thread it could not start, say): answered as an `error` message."""


class UnsupportedModel(CannotRun):
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
    elif kind == "normal":
        value = _nanoseconds(_truncated_normal_seconds(model["mean_ns"], model["sd_ns"], u))
    elif kind == "lognormal":
        value = _nanoseconds(_seconds(model["median_ns"]) * math.exp(model["sigma"] * normal_quantile(u)))
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

    def __init__(self, index, step, reason, waited_ns, stage=None):
        super().__init__(f"unit {index}: {step} {reason}")
        self.index, self.step, self.reason, self.waited_ns = index, step, reason, waited_ns
        # A pipeline's failure names its stage (by index); a phase's unit has none.
        self.stage = stage

    def __reduce__(self):
        # Rebuilt from its fields: a ProcessPoolExecutor's worker returns it to the parent pickled.
        return UnitFailed, (self.index, self.step, self.reason, self.waited_ns, self.stage)

    def message(self, phase):
        """The `failure` message that reports it."""
        message = {"type": "failure", "phase": phase, "index": self.index, "step": self.step,
                   "reason": self.reason, "waited_ns": self.waited_ns}
        if self.stage is not None:
            message["stage"] = self.stage
        return message


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


def serve(handlers, configure=None):
    """Talks the protocol on standard input and output until conlab ends the conversation.

    `handlers` maps a work kind (`life.generation`, `cpu.batch`, `pipeline`) to a function (phase, work) ->
    results (any JSON value: the form the kind defines), which raises UnitFailed for a unit whose I/O failed,
    and CannotRun for work it cannot run. `configure`, when given, is called with the greeting's `options` (an
    empty dict when it has none) before the program answers it: a program whose manifest declares options
    starts its workers there, and may fill `handlers` then.
    """
    for line in sys.stdin:
        message = json.loads(line)
        kind = message.get("type")
        if kind == "hello":
            if configure is not None:
                configure(message.get("options") or {})
            _write({"type": "hello", "version": VERSION})
            if message.get("version") != VERSION:
                # conlab names both versions and ends the run; nothing more will make sense.
                return
        elif kind == "phase":
            phase = message["phase"]
            handler = handlers.get(message["kind"])
            if handler is None:
                _write({"type": "error", "message": f"this program does not run {message['kind']} work"})
                return
            try:
                results = handler(phase, message["work"])
            except UnitFailed as failure:
                _write(failure.message(phase))
                continue
            except CannotRun as error:
                _write({"type": "error", "message": str(error)})
                return
            _write({"type": "results", "phase": phase, "results": results})
        elif kind == "end":
            return
        else:
            _write({"type": "error", "message": f"unknown message type {kind!r}"})
            return
