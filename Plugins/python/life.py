"""The Game of Life as conlab's `life.generation` work describes it: a torus of '*' (alive) and '-' (empty).

Written for conlab from the rules (Conway's, as Effective Python's items 56-60 state them), not copied.
"""

import conlab_protocol as protocol

ALIVE = ord("*")
EMPTY = ord("-")
# The counter word of each step's draws, as conlab keys them.
STEP_KEYS = {"count_neighbors": 0, "game_logic": 1}
_OFFSETS = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))


def count_neighbors(cells, rows, columns, y, x):
    """The live cells among the eight around (y, x), wrapping at the edges."""
    count = 0
    for dy, dx in _OFFSETS:
        if cells[((y + dy) % rows) * columns + (x + dx) % columns] == ALIVE:
            count += 1
    return count


def game_logic(alive, neighbors):
    """A live cell with 2 or 3 neighbours lives on; an empty one with exactly 3 comes alive."""
    if alive:
        return neighbors == 2 or neighbors == 3
    return neighbors == 3


def step_cell(draws, generation, cells, rows, columns, index):
    """One cell's update: wait (if the step waits), count; wait (if it waits), decide. True for alive."""
    y, x = divmod(index, columns)
    draws.wait(generation, index, "count_neighbors")
    neighbors = count_neighbors(cells, rows, columns, y, x)
    draws.wait(generation, index, "game_logic")
    return game_logic(cells[index] == ALIVE, neighbors)


def read(work):
    """(generation, rows, columns, cells as bytes, draws) from a phase's work."""
    cells = work["cells"].encode("ascii")
    return work["generation"], work["rows"], work["columns"], cells, protocol.Draws(work["io"], STEP_KEYS)


def update(draws, generation, cells, rows, columns, index):
    """One cell's next state as a byte ('*' or '-'), or the UnitFailed its waits ended with.

    For strategies that run many cells at once and gather their outcomes before answering.
    """
    try:
        return ALIVE if step_cell(draws, generation, cells, rows, columns, index) else EMPTY
    except protocol.UnitFailed as failure:
        return failure


def answer(outcomes):
    """The phase's results from every cell's outcome (`update`'s), in index order.

    When cells failed, raises the failure of the lowest index: the one a serial run stops at, so that a
    concurrent strategy reports the same cell whichever of its cells finished first. A strategy that stops
    taking cells after a failure leaves the cells it never started as None; it starts cells in index order,
    so every cell below the lowest failure has an outcome.
    """
    output = bytearray(len(outcomes))
    for index, outcome in enumerate(outcomes):
        if isinstance(outcome, protocol.UnitFailed):
            raise outcome
        if outcome is None:
            raise protocol.CannotRun(f"cell {index} was never run")
        output[index] = outcome
    return output.decode("ascii")
