#!/usr/bin/env python3
"""conlab strategy `python-asyncio`: a coroutine for every cell, all of a generation gathered on one event
loop, each wait an asyncio.sleep (Effective Python item 60).

No thread per cell: a cell waiting is a suspended coroutine and a timer on the loop, so every cell's waits
overlap at the cost of a small object each. One thread runs them all, so the loop's own work per cell (a
task, a timer, a wake-up) adds up on large grids.
"""

import asyncio
import time

import conlab_protocol as protocol
import life


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


def main():
    # One loop for the whole run, so that no phase pays for making one.
    loop = asyncio.new_event_loop()
    try:
        protocol.serve({"life.generation": lambda phase, work: life.answer(loop.run_until_complete(simulate(work)))})
    finally:
        loop.close()


if __name__ == "__main__":
    main()
