"""Item 55's pipeline as conlab's `pipeline` work describes it: items through stages, each stage waiting on its
modelled I/O and burning its CPU for every item, with the source values and waits drawn as conlab draws them.

Written for conlab from docs/strategy-protocol.md, not copied. The strategies differ in how stages and their
workers run (threads, a pool, coroutines, processes); what one (stage, item) does is here, once.
"""

import collections
import concurrent.futures
import threading
import time

import conlab_protocol as protocol

# The counter words conlab keys the draws with: the source value of item i is bits(seed; SOURCE_KEY, i); the
# wait of item i in stage s is drawn with (STAGE_KEY + s, i, 0).
SOURCE_KEY = 0x50C7CE
STAGE_KEY = 0x51A6E
_MASK = (1 << 64) - 1


class Stage:
    """One stage: its name, workers, the draws of its wait (None when it does not wait) and CPU per item."""

    def __init__(self, index, spec, seed):
        self.index = index
        self.name = spec["name"]
        self.workers = spec["workers"]
        self.cpu_ns = spec["cpu_ns"]
        io = spec["io"]
        self.draws = None if io is None else protocol.Draws({"steps": [self.name], "seed": seed, "model": io},
                                                            {self.name: 0})

    def draw(self, item):
        """(duration_ns, outcome) of `item`'s wait in this stage, or None when the stage does not wait."""
        if self.draws is None:
            return None
        return self.draws.draw(STAGE_KEY + self.index, item, self.name)

    def failure(self, item, drawn):
        """The UnitFailed of a wait that did not complete, or None."""
        duration, outcome = drawn
        return None if outcome == "completed" else protocol.UnitFailed(item, self.name, outcome, duration,
                                                                          stage=self.index)

    def finish(self, value):
        """After the wait: burns the stage's CPU, then the item's value after this stage."""
        if self.cpu_ns > 0:
            burn(self.cpu_ns, value)
        return transform(value, self.index)

    def process(self, item, value):
        """The whole (stage, item) unit on a thread: wait for real, burn, transform; raises UnitFailed."""
        drawn = self.draw(item)
        if drawn is not None:
            protocol.sleep_ns(drawn[0])
            failure = self.failure(item, drawn)
            if failure is not None:
                raise failure
        return self.finish(value)


class Pipeline:
    """A `pipeline` work object, read."""

    def __init__(self, work):
        self.items = work["items"]
        self.seed = work["seed"]
        # None: unbounded.
        self.buffer = work["buffer"]
        discipline = work["discipline"]
        self.polling = discipline["kind"] == "polling"
        self.interval_ns = discipline.get("interval_ns", 0)
        self.stages = [Stage(index, spec, self.seed) for index, spec in enumerate(work["stages"])]

    def source(self, item):
        """The value `item` enters the first stage with."""
        return protocol.counter_bits(self.seed, SOURCE_KEY, item)


def transform(value, stage):
    """A stage's transformation of a value: conlab's bits with the value as seed and the stage as counter."""
    return protocol.counter_bits(value, stage)


def burn(duration_ns, seed):
    """Busy computation for `duration_ns` on the monotonic clock: real CPU, holding the GIL, not a sleep."""
    deadline = time.monotonic_ns() + duration_ns
    value = seed
    while time.monotonic_ns() < deadline:
        for _ in range(64):
            value = (value * 6364136223846793005 + 1442695040888963407) & _MASK
    return value


class Recorder:
    """What left the last stage and what it cost, shared by every worker; `results()` is the answer."""

    def __init__(self, stages):
        self._lock = threading.Lock()
        self.delivered = []
        self.busy_ns = [0] * stages
        self.max_depth = [0] * stages
        self.polls = 0
        self.empty_polls = 0
        self.failure = None

    def deliver(self, item, value, entered_ns):
        with self._lock:
            self.delivered.append([item, value, time.monotonic_ns() - entered_ns])

    def busy(self, stage, duration_ns):
        with self._lock:
            self.busy_ns[stage] += duration_ns

    def depth(self, stage, depth):
        with self._lock:
            self.max_depth[stage] = max(self.max_depth[stage], depth)

    def polled(self, checks, empty):
        with self._lock:
            self.polls += checks
            self.empty_polls += empty

    def fail(self, failure):
        """Keeps the first failure; the rest of the items pass through unprocessed so every worker ends."""
        with self._lock:
            if self.failure is None:
                self.failure = failure

    @property
    def failed(self):
        return self.failure is not None

    def results(self):
        """The pipeline's results, or raises the first failure."""
        if self.failure is not None:
            raise self.failure
        return {"delivered": self.delivered, "busy_ns": self.busy_ns, "max_depth": self.max_depth,
                "polls": self.polls, "empty_polls": self.empty_polls}


def run_serial(work):
    """Every item through every stage, one after another: the floor is the sum of every wait."""
    pipeline = Pipeline(work)
    recorder = Recorder(len(pipeline.stages))
    for item in range(pipeline.items):
        entered = time.monotonic_ns()
        value = pipeline.source(item)
        for stage in pipeline.stages:
            started = time.monotonic_ns()
            value = stage.process(item, value)
            recorder.busy(stage.index, time.monotonic_ns() - started)
        recorder.deliver(item, value, entered)
    return recorder.results()


def run_unit(stage, item, value):
    """One (stage, item) on a thread of an executor: (its value after the stage, the time it took in ns), or
    the UnitFailed it ended with, returned rather than raised so that it crosses a process as a plain value."""
    started = time.monotonic_ns()
    try:
        return stage.process(item, value), time.monotonic_ns() - started
    except protocol.UnitFailed as failure:
        return failure


def run_on_executor(executor, work):
    """The pipeline on a concurrent.futures executor (item 59's pool, or item 64's processes): every (stage,
    item) a task, each stage running at most its workers' tasks at once, first come first served, so with one
    worker per stage the items keep their order. Items wait between stages as pending tasks, not in bounded
    queues: an executor has no buffers to bound, and no queue to poll."""
    pipeline = Pipeline(work)
    stages = pipeline.stages
    recorder = Recorder(len(stages))
    waiting = [collections.deque() for _ in stages]
    running = [0] * len(stages)
    pending = {}
    for item in range(pipeline.items):
        waiting[0].append((item, pipeline.source(item), time.monotonic_ns()))
    recorder.depth(0, len(waiting[0]))

    def start_ready():
        # Later stages first, so that items already on their way leave before new ones start.
        for stage in reversed(stages):
            queue = waiting[stage.index]
            while running[stage.index] < stage.workers and queue and not recorder.failed:
                item, value, entered = queue.popleft()
                running[stage.index] += 1
                future = executor.submit(run_unit, stage, item, value)
                pending[future] = (stage.index, item, entered)

    start_ready()
    while pending:
        done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
        for future in done:
            index, item, entered = pending.pop(future)
            running[index] -= 1
            outcome = future.result()
            if isinstance(outcome, protocol.UnitFailed):
                recorder.fail(outcome)
                continue
            value, busy = outcome
            recorder.busy(index, busy)
            if index + 1 == len(stages):
                recorder.deliver(item, value, entered)
            else:
                waiting[index + 1].append((item, value, entered))
                recorder.depth(index + 1, len(waiting[index + 1]))
        start_ready()
    return recorder.results()
