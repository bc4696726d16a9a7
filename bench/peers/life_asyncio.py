"""The CPython peer of the async Life cases: item 60 as Effective Python's reader writes it, a coroutine per
cell that awaits asyncio.sleep for the cell's wait (a fixed latency, as the bench's scenarios set it) and
then computes the cell's next state, all of a generation gathered at once. Run by bench/run.

    python3 life_asyncio.py ROWS COLUMNS LATENCY_NS GENERATIONS

Prints the median seconds per generation.
"""
import asyncio
import random
import statistics
import sys
import time


async def cell(grid, rows, columns, row, column, wait):
    await asyncio.sleep(wait)
    neighbours = sum(
        grid[(row + dr) % rows][(column + dc) % columns]
        for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc)
    return neighbours == 3 or (neighbours == 2 and grid[row][column])


async def main(rows, columns, wait, generations):
    chooser = random.Random(1)
    grid = [[chooser.random() < 0.3 for _ in range(columns)] for _ in range(rows)]
    seconds = []
    for _ in range(generations):
        started = time.perf_counter()
        states = await asyncio.gather(*(
            cell(grid, rows, columns, row, column, wait) for row in range(rows) for column in range(columns)))
        grid = [states[row * columns:(row + 1) * columns] for row in range(rows)]
        seconds.append(time.perf_counter() - started)
    print(statistics.median(seconds))


if __name__ == "__main__":
    rows, columns, latency_ns, generations = map(int, sys.argv[1:5])
    asyncio.run(main(rows, columns, latency_ns / 1e9, generations))
