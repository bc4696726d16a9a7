"""The CPython peer of the thread-per-cell case (item 57): each generation starts a threading.Thread per
cell that sleeps the cell's wait (a fixed latency) and computes its next state, and joins them all. Run by
bench/run.

    python3 life_threads.py ROWS COLUMNS LATENCY_NS GENERATIONS

Prints the median seconds per generation.
"""
import random
import statistics
import sys
import threading
import time


def main(rows, columns, wait, generations):
    chooser = random.Random(1)
    grid = [[chooser.random() < 0.3 for _ in range(columns)] for _ in range(rows)]
    seconds = []
    for _ in range(generations):
        started = time.perf_counter()
        following = [[False] * columns for _ in range(rows)]

        def cell(row, column):
            time.sleep(wait)
            neighbours = sum(
                grid[(row + dr) % rows][(column + dc) % columns]
                for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc)
            following[row][column] = neighbours == 3 or (neighbours == 2 and grid[row][column])

        threads = [threading.Thread(target=cell, args=(row, column)) for row in range(rows) for column in range(columns)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        grid = following
        seconds.append(time.perf_counter() - started)
    print(statistics.median(seconds))


if __name__ == "__main__":
    rows, columns, latency_ns, generations = map(int, sys.argv[1:5])
    main(rows, columns, latency_ns / 1e9, generations)
