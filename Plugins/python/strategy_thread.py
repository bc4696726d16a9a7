#!/usr/bin/env python3
"""conlab strategy `python-thread`: a new thread for every cell of every generation (Effective Python item 57).

Every cell's waits overlap, so a generation takes about one wait; but each thread costs its start and its
memory, and CPython runs only one of them at a time (the GIL), so the count and the decisions are serial.
A thread that cannot be started (the system's limit) is answered as an error, after the started ones end.
"""

import threading

import conlab_protocol as protocol
import life

# A cell's thread runs a few shallow frames (CPython 3.11 keeps Python frames off the C stack): a quarter
# of a MiB of stack is ample, and far more threads fit than with glibc's default of 8 MiB each.
threading.stack_size(256 * 1024)


def run_generation(phase, work):
    generation, rows, columns, cells, draws = life.read(work)
    outcomes = [None] * len(cells)

    def update(index):
        # Each thread writes only its own slot; the main thread reads them after joining every thread.
        outcomes[index] = life.update(draws, generation, cells, rows, columns, index)

    threads = []
    try:
        for index in range(len(cells)):
            thread = threading.Thread(target=update, args=(index,), name=f"cell-{index}")
            thread.start()
            threads.append(thread)
    except RuntimeError as error:
        for thread in threads:
            thread.join()
        raise protocol.CannotRun(
            f"could not start thread {len(threads) + 1} of {len(cells)} (one per cell): {error}"
        ) from error
    for thread in threads:
        thread.join()
    return life.answer(outcomes)


if __name__ == "__main__":
    protocol.serve({"life.generation": run_generation})
