#!/usr/bin/env python3
"""conlab strategy `python-process`: concurrent.futures.ProcessPoolExecutor with a fixed number of worker
processes (Effective Python item 64): a task per Life cell, per CPU unit, or per (stage, item) of a pipeline
(pipeline.run_on_executor, each stage running at most its workers' tasks at once).

CPU work is what the processes are for: each has its own interpreter and GIL, so a batch's units compute in
parallel on as many cores as there are, where threads compute one at a time.

Each worker is a process of its own, with its own interpreter and GIL: `--workers` processes (the
manifest's `concurrency`) take the cells in index order. The grid is not sent with every task: the parent
writes each generation into shared memory (an anonymous mapping the workers inherit when they are forked),
and a task carries only the cell's index and the generation's draws. What is left is what item 64 warns of:
every task and its outcome are pickled and cross a pipe.
"""

import argparse
import concurrent.futures
import ctypes
import functools
import mmap
import multiprocessing
import os
import signal

import conlab_protocol as protocol
import cpu
import life
import pipeline

# The grid of the current generation, shared with the workers: written by the parent before a phase's tasks
# are submitted, only read by the workers.
_grid = None


def _orphan_guard(parent):
    """In each worker: dies with the parent. conlab kills a program by its process id, on a failure or on
    Ctrl-C; without this the workers would outlive it, blocked on their queue."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        # The parent ended before the request was in place.
        os._exit(1)


def _update(draws, generation, rows, columns, index):
    """One cell, in a worker, read from the shared grid."""
    return life.update(draws, generation, _grid, rows, columns, index)


class Pool:
    """The worker processes and the shared grid they were forked with; made again for a larger grid."""

    def __init__(self, workers):
        self.workers = workers
        self.executor = None
        self.size = 0

    def _ensure(self, size):
        global _grid
        if self.executor is not None and size <= self.size:
            return
        self.close()
        # Made before the workers are forked, so that they share it (MAP_SHARED | MAP_ANONYMOUS).
        _grid = mmap.mmap(-1, max(size, 1))
        self.size = size
        # Fork, whatever the platform's default: the workers inherit the mapping, and they start at once
        # (every worker is started at the first submission) rather than importing this program again.
        self.executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_orphan_guard,
            initargs=(os.getpid(),),
        )

    def run_generation(self, phase, work):
        generation, rows, columns, cells, draws = life.read(work)
        self._ensure(len(cells))
        _grid[: len(cells)] = cells
        outcomes = [None] * len(cells)
        results = self.executor.map(functools.partial(_update, draws, generation, rows, columns), range(len(cells)))
        try:
            for index, outcome in enumerate(results):
                outcomes[index] = outcome
                if isinstance(outcome, protocol.UnitFailed):
                    # Every cell below this one has its outcome, read in order: this is the lowest failure.
                    break
        finally:
            # Closing map's iterator cancels the cells not yet started.
            results.close()
        return life.answer(outcomes)

    def run_batch(self, phase, work):
        self._ensure(1)
        return list(self.executor.map(cpu.compute, cpu.units(work)))

    def run_pipeline(self, phase, work):
        self._ensure(1)
        return pipeline.run_on_executor(self.executor, work)

    def close(self):
        """Ends the workers, after the tasks already taken."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4,
                        help="worker processes when conlab's greeting sets none (the manifest's workers option does)")
    arguments = parser.parse_args()
    if arguments.workers < 1:
        parser.error("--workers must be at least 1")
    pools = []
    handlers = {}

    def configure(options):
        # The processes are forked once conlab has said how many (the scenario's workers, or its default).
        pool = Pool(options.get("workers", arguments.workers))
        pools.append(pool)
        handlers.update({
            "life.generation": pool.run_generation,
            "cpu.batch": pool.run_batch,
            "pipeline": pool.run_pipeline,
        })

    try:
        protocol.serve(handlers, configure)
    finally:
        for pool in pools:
            pool.close()


if __name__ == "__main__":
    main()
