#!/usr/bin/env python3
"""conlab strategy `python-queue`: a fixed number of worker threads, started once, taking cells from a
queue.Queue (Effective Python item 58).

The main thread puts every cell of a generation on the queue of jobs, in index order, and takes the
outcomes off a second queue; `--workers` threads (the manifest's `concurrency`) each take the next cell,
run its waits and its logic, and put back its outcome. At most that many cells wait at once, however large
the grid: no thread per cell, and none started per generation.
"""

import argparse
import queue
import threading

import conlab_protocol as protocol
import life


class Workers:
    """The worker threads and their two queues, for the whole run."""

    def __init__(self, count):
        self.jobs = queue.Queue()
        self.outcomes = queue.Queue()
        self.threads = [threading.Thread(target=self._work, name=f"worker-{n}", daemon=True) for n in range(count)]
        for thread in self.threads:
            thread.start()

    def _work(self):
        while True:
            job = self.jobs.get()
            if job is None:
                return
            state, index = job
            self.outcomes.put((index, life.update(*state, index)))

    def run_generation(self, phase, work):
        generation, rows, columns, cells, draws = life.read(work)
        state = (draws, generation, cells, rows, columns)
        for index in range(len(cells)):
            self.jobs.put((state, index))
        outcomes = [None] * len(cells)
        pending = len(cells)
        while pending:
            index, outcome = self.outcomes.get()
            outcomes[index] = outcome
            pending -= 1
            if isinstance(outcome, protocol.UnitFailed):
                # The phase stops at a failure, as a serial run does: the cells no worker has taken are taken
                # back. Those taken finish; as the queue hands out cells in index order, every cell below
                # this one was taken, so the lowest failure is known once they have (life.answer).
                pending -= self._withdraw()
        return life.answer(outcomes)

    def _withdraw(self):
        """Takes every job no worker has taken off the queue; returns how many."""
        withdrawn = 0
        while True:
            try:
                self.jobs.get_nowait()
            except queue.Empty:
                return withdrawn
            withdrawn += 1

    def close(self):
        """Ends every worker after the jobs before it, and joins them."""
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=10,
                        help="worker threads when conlab's greeting sets none (the manifest's workers option does)")
    arguments = parser.parse_args()
    if arguments.workers < 1:
        parser.error("--workers must be at least 1")
    started = []
    handlers = {}

    def configure(options):
        # The workers start once conlab has said how many (the scenario's workers, or its default).
        workers = Workers(options.get("workers", arguments.workers))
        started.append(workers)
        handlers["life.generation"] = workers.run_generation

    try:
        protocol.serve(handlers, configure)
    finally:
        for workers in started:
            workers.close()


if __name__ == "__main__":
    main()
