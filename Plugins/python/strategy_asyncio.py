#!/usr/bin/env python3
"""conlab strategy `python-asyncio`: coroutines on one event loop, each wait an asyncio.sleep (Effective
Python item 60).

- A Life generation: a coroutine for every cell, all of a generation gathered. No thread per cell: a cell
  waiting is a suspended coroutine and a timer on the loop, so every cell's waits overlap at the cost of a
  small object each. One thread runs them all, so the loop's own work per cell (a task, a timer, a wake-up)
  adds up on large grids.
- A pipeline: item 55 with coroutines, a coroutine per stage worker taking items from an asyncio.Queue
  (bounded by the work's `buffer`), or, under the polling discipline, checking it and sleeping while it is
  empty. A stage's CPU burn runs on the loop's one thread and holds up every other coroutine: the lesson of
  item 62.
"""

import asyncio
import time

import conlab_protocol as protocol
import life
import pipeline


async def sleep_ns(duration):
    """Suspends until `duration` nanoseconds from now on the monotonic clock, never resuming early.

    The loop fires a timer up to its clock's resolution early and reads its deadline in float seconds, so
    the remaining time is slept again, as conlab_protocol.sleep_ns does for threads.
    """
    deadline = time.monotonic_ns() + duration
    while True:
        remaining = deadline - time.monotonic_ns()
        if remaining <= 0:
            return
        await asyncio.sleep(remaining / 1e9)


async def wait(draws, generation, index, step):
    """Performs `step`'s wait, if the step waits, suspended; then raises UnitFailed if the call failed."""
    if step not in draws.steps:
        return
    duration, outcome = draws.draw(generation, index, step)
    await sleep_ns(duration)
    if outcome != "completed":
        raise protocol.UnitFailed(index, step, outcome, duration)


async def update(draws, generation, cells, rows, columns, index):
    """One cell's update, as life.update: wait, count; wait, decide; the byte or the failure."""
    y, x = divmod(index, columns)
    try:
        await wait(draws, generation, index, "count_neighbors")
        neighbors = life.count_neighbors(cells, rows, columns, y, x)
        await wait(draws, generation, index, "game_logic")
    except protocol.UnitFailed as failure:
        return failure
    return life.ALIVE if life.game_logic(cells[index] == life.ALIVE, neighbors) else life.EMPTY


async def simulate(work):
    generation, rows, columns, cells, draws = life.read(work)
    # Every cell starts at once; a failed cell does not cancel the others, which are waiting already, so the
    # lowest failure is known when all have ended (life.answer).
    return await asyncio.gather(*(update(draws, generation, cells, rows, columns, i) for i in range(len(cells))))


class StageQueue:
    """An asyncio.Queue in front of a stage, taken from as the work's discipline says, with its checks counted."""

    def __init__(self, capacity, polling, interval_ns):
        self.queue = asyncio.Queue(maxsize=capacity or 0)
        self.polling = polling
        self.interval = interval_ns / 1e9
        self.checks = 0
        self.empty_checks = 0

    async def put(self, envelope):
        if not self.polling:
            await self.queue.put(envelope)
            return self.queue.qsize()
        while True:
            try:
                self.queue.put_nowait(envelope)
                return self.queue.qsize()
            except asyncio.QueueFull:
                await asyncio.sleep(self.interval)

    async def get(self):
        if not self.polling:
            return await self.queue.get()
        while True:
            self.checks += 1
            try:
                return self.queue.get_nowait()
            except asyncio.QueueEmpty:
                self.empty_checks += 1
                await asyncio.sleep(self.interval)


_STOP = None


async def run_pipeline(work):
    spec = pipeline.Pipeline(work)
    stages = spec.stages
    recorder = pipeline.Recorder(len(stages))
    queues = [StageQueue(spec.buffer, spec.polling, spec.interval_ns) for _ in stages]
    queues.append(StageQueue(None, False, 0))
    remaining = [stage.workers for stage in stages]

    async def work_stage(stage):
        source, sink = queues[stage.index], queues[stage.index + 1]
        while (envelope := await source.get()) is not _STOP:
            item, value, entered = envelope
            # After a failure the other items are taken and dropped, so that every worker reaches its sentinel.
            if recorder.failed:
                continue
            started = time.monotonic_ns()
            drawn = stage.draw(item)
            if drawn is not None:
                await sleep_ns(drawn[0])
                failure = stage.failure(item, drawn)
                if failure is not None:
                    recorder.fail(failure)
                    continue
            value = stage.finish(value)
            recorder.busy(stage.index, time.monotonic_ns() - started)
            depth = await sink.put((item, value, entered))
            if stage.index + 1 < len(stages):
                recorder.depth(stage.index + 1, depth)
        remaining[stage.index] -= 1
        # The stage's last worker to stop passes a sentinel to every worker of the next stage.
        if remaining[stage.index] == 0:
            for _ in range(stages[stage.index + 1].workers if stage.index + 1 < len(stages) else 1):
                await sink.put(_STOP)

    async def feed():
        for item in range(spec.items):
            recorder.depth(0, await queues[0].put((item, spec.source(item), time.monotonic_ns())))
        for _ in range(stages[0].workers):
            await queues[0].put(_STOP)

    async def drain():
        while (envelope := await queues[-1].get()) is not _STOP:
            recorder.deliver(*envelope)

    workers = [work_stage(stage) for stage in stages for _ in range(stage.workers)]
    await asyncio.gather(feed(), drain(), *workers)
    for stage_queue in queues[:-1]:
        if stage_queue.polling:
            recorder.polled(stage_queue.checks, stage_queue.empty_checks)
    return recorder.results()


def main():
    # One loop for the whole run, so that no phase pays for making one.
    loop = asyncio.new_event_loop()
    try:
        protocol.serve({
            "life.generation": lambda phase, work: life.answer(loop.run_until_complete(simulate(work))),
            "pipeline": lambda phase, work: loop.run_until_complete(run_pipeline(work)),
        })
    finally:
        loop.close()


if __name__ == "__main__":
    main()
