#!/usr/bin/env python3
"""conlab strategy `python-pool`: concurrent.futures.ThreadPoolExecutor with a fixed number of threads
(Effective Python item 59).

- A Life generation: a task per cell. The pool's `--workers` threads (the manifest's `concurrency`) take the
  cells in submission order, which is index order; the outcomes are read back in the same order. On a
  failure, the cells no thread has started are cancelled and the phase answers the failure, as a serial run
  would.
- A CPU batch: a task per unit, on the same threads; the GIL lets one compute at a time.
- A pipeline: a task per (stage, item), each stage running at most its workers' tasks at once
  (pipeline.run_on_executor); items wait between stages as pending tasks, not in bounded queues.
"""

import argparse
import concurrent.futures
import functools

import conlab_protocol as protocol
import cpu
import life
import pipeline


def generation_runner(executor):
    """The `life.generation` handler that runs every cell of a phase on `executor`."""

    def run_generation(phase, work):
        generation, rows, columns, cells, draws = life.read(work)
        update = functools.partial(life.update, draws, generation, cells, rows, columns)
        outcomes = [None] * len(cells)
        results = executor.map(update, range(len(cells)))
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

    return run_generation


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=10,
                        help="pool threads when conlab's greeting sets none (the manifest's workers option does)")
    arguments = parser.parse_args()
    if arguments.workers < 1:
        parser.error("--workers must be at least 1")
    executors = []
    handlers = {}

    def configure(options):
        # The pool is made once conlab has said how many threads (the scenario's workers, or its default).
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=options.get("workers", arguments.workers))
        executors.append(executor)
        handlers.update({
            "life.generation": generation_runner(executor),
            "cpu.batch": lambda phase, work: list(executor.map(cpu.compute, cpu.units(work))),
            "pipeline": lambda phase, work: pipeline.run_on_executor(executor, work),
        })

    try:
        protocol.serve(handlers, configure)
    finally:
        for executor in executors:
            executor.shutdown(wait=True)


if __name__ == "__main__":
    main()
