#!/usr/bin/env python3
"""conlab strategy `python-thread`: threads, as Effective Python's items 53, 55 and 57 use them.

- A Life generation: a new thread for every cell (item 57). Every cell's waits overlap, so a generation takes
  about one wait; but each thread costs its start and its memory, and CPython runs only one of them at a time
  (the GIL), so the count and the decisions are serial.
- A CPU batch: a new thread for every unit (item 53). The GIL lets one thread compute at a time: on any number
  of cores the batch takes what it takes serially.
- A pipeline: item 55's shape, a thread per stage worker taking items from a queue.Queue (bounded by the
  work's `buffer`) and putting them on the next stage's, a sentinel per worker to stop them; or, under the
  polling discipline, a hand-made queue each worker checks and sleeps on while it is empty.
A thread that cannot be started (the system's limit) is answered as an error, after the started ones end.
"""

import collections
import queue
import threading
import time

import conlab_protocol as protocol
import cpu
import life
import pipeline

# A thread runs a few shallow frames (CPython 3.11 keeps Python frames off the C stack): a quarter of a MiB of
# stack is ample, and far more threads fit than with glibc's default of 8 MiB each.
threading.stack_size(256 * 1024)


def start_all(targets, what, join_on_failure=True):
    """Starts a thread for each (name, function); raises CannotRun if one cannot, after joining the started
    ones (`join_on_failure`), or leaving them behind as daemon threads the program's exit ends (a pipeline's
    workers, which would wait for their sentinels forever)."""
    threads = []
    try:
        for name, target in targets:
            thread = threading.Thread(target=target, name=name, daemon=not join_on_failure)
            thread.start()
            threads.append(thread)
    except RuntimeError as error:
        for thread in threads if join_on_failure else []:
            thread.join()
        raise protocol.CannotRun(f"could not start thread {len(threads) + 1} of {len(targets)} ({what}): {error}") \
            from error
    return threads


def run_generation(phase, work):
    generation, rows, columns, cells, draws = life.read(work)
    outcomes = [None] * len(cells)

    def update(index):
        # Each thread writes only its own slot; the main thread reads them after joining every thread.
        outcomes[index] = life.update(draws, generation, cells, rows, columns, index)

    threads = start_all([(f"cell-{i}", lambda i=i: update(i)) for i in range(len(cells))], "one per cell")
    for thread in threads:
        thread.join()
    return life.answer(outcomes)


def run_batch(phase, work):
    tasks = cpu.units(work)
    results = [None] * len(tasks)

    def compute(index):
        results[index] = cpu.compute(tasks[index])

    threads = start_all([(f"unit-{i}", lambda i=i: compute(i)) for i in range(len(tasks))], "one per unit")
    for thread in threads:
        thread.join()
    return results


class PollingQueue:
    """Item 55's hand-made queue: a deque under a lock that a worker checks, sleeping `interval` while it is
    empty (or, to put, while it is full); every check is counted, as the book counts them."""

    def __init__(self, capacity, interval_ns):
        self.items = collections.deque()
        self.lock = threading.Lock()
        self.capacity = capacity
        self.interval = interval_ns / 1e9
        self.checks = 0
        self.empty_checks = 0

    def put(self, envelope):
        while True:
            with self.lock:
                if self.capacity is None or len(self.items) < self.capacity:
                    self.items.append(envelope)
                    return len(self.items)
            time.sleep(self.interval)

    def get(self):
        while True:
            with self.lock:
                self.checks += 1
                if self.items:
                    return self.items.popleft()
                self.empty_checks += 1
            time.sleep(self.interval)


class BlockingQueue:
    """A queue.Queue whose `put` says how deep the queue then is."""

    def __init__(self, capacity):
        self.queue = queue.Queue(maxsize=capacity or 0)

    def put(self, envelope):
        self.queue.put(envelope)
        return self.queue.qsize()

    def get(self):
        return self.queue.get()


_STOP = None


def run_pipeline(phase, work):
    spec = pipeline.Pipeline(work)
    stages = spec.stages
    recorder = pipeline.Recorder(len(stages))

    def make_queue(bounded):
        capacity = spec.buffer if bounded else None
        return PollingQueue(capacity, spec.interval_ns) if spec.polling else BlockingQueue(capacity)

    # A queue in front of every stage, and an unbounded one the main thread drains.
    queues = [make_queue(True) for _ in stages] + [make_queue(False)]
    remaining = [stage.workers for stage in stages]
    lock = threading.Lock()

    def work_stage(stage):
        source, sink = queues[stage.index], queues[stage.index + 1]
        while True:
            envelope = source.get()
            if envelope is _STOP:
                break
            item, value, entered = envelope
            # After a failure the other items are taken and dropped, so that every worker reaches its sentinel.
            if recorder.failed:
                continue
            started = time.monotonic_ns()
            try:
                value = stage.process(item, value)
            except protocol.UnitFailed as failure:
                recorder.fail(failure)
                continue
            except Exception as error:  # noqa: BLE001 — kept as the answer: a CannotRun, or the program's own bug
                # A worker that died here would never pass its sentinel on, and the main thread would wait for
                # the last queue forever: the error is kept instead, and the items drain as after a failure.
                recorder.fail(error)
                continue
            recorder.busy(stage.index, time.monotonic_ns() - started)
            depth = sink.put((item, value, entered))
            if stage.index + 1 < len(stages):
                recorder.depth(stage.index + 1, depth)
        with lock:
            remaining[stage.index] -= 1
            last = remaining[stage.index] == 0
        # The stage's last worker to stop passes a sentinel to every worker of the next stage.
        if last:
            for _ in range(stages[stage.index + 1].workers if stage.index + 1 < len(stages) else 1):
                sink.put(_STOP)

    def feed():
        for item in range(spec.items):
            recorder.depth(0, queues[0].put((item, spec.source(item), time.monotonic_ns())))
        for _ in range(stages[0].workers):
            queues[0].put(_STOP)

    targets = [(f"{stage.name[:8]}-{number}", lambda stage=stage: work_stage(stage))
               for stage in stages for number in range(1, stage.workers + 1)]
    threads = start_all(targets + [("source", feed)], "one per stage worker", join_on_failure=False)
    while True:
        envelope = queues[-1].get()
        if envelope is _STOP:
            break
        recorder.deliver(*envelope)
    for thread in threads:
        thread.join()
    for stage_queue in queues[:-1]:
        if isinstance(stage_queue, PollingQueue):
            recorder.polled(stage_queue.checks, stage_queue.empty_checks)
    return recorder.results()


if __name__ == "__main__":
    protocol.serve({"life.generation": run_generation, "cpu.batch": run_batch, "pipeline": run_pipeline})
