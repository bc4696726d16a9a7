#!/usr/bin/env python3
"""conlab strategy `python-serial`: CPython, one unit after another on the one thread, each wait a real
time.sleep. The baseline every other Python strategy is measured against, as `serial` is for Swift's: a Life
cell after another, a CPU task after another, each item through every stage before the next enters."""

import cpu
import life
import pipeline
import conlab_protocol as protocol


def run_generation(phase, work):
    generation, rows, columns, cells, draws = life.read(work)
    output = bytearray(len(cells))
    for index in range(len(cells)):
        alive = life.step_cell(draws, generation, cells, rows, columns, index)
        output[index] = life.ALIVE if alive else life.EMPTY
    return output.decode("ascii")


def run_batch(phase, work):
    return [cpu.compute(task) for task in cpu.units(work)]


if __name__ == "__main__":
    protocol.serve({
        "life.generation": run_generation,
        "cpu.batch": run_batch,
        "pipeline": lambda phase, work: pipeline.run_serial(work),
    })
