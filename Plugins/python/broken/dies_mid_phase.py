"""Broken on purpose: dies halfway through generation 1, after saying so on standard error."""

import os
import sys

import _broken


def die(phase, work):
    generation, rows, columns, cells, draws = _broken.life.read(work)
    for index in range(len(cells) // 2):
        _broken.life.step_cell(draws, generation, cells, rows, columns, index)
    sys.stderr.write("dying on purpose in the middle of generation 1\n")
    sys.stderr.flush()
    os._exit(3)


_broken.serve(die)
