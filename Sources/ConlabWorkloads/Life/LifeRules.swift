/// Conway's rules as the seed writes them: `count_neighbors` and `game_logic`.
public enum LifeRules {
    /// The live cells among the eight neighbours of (`y`, `x`), wrapping around the edges.
    public static func countNeighbors(_ y: Int, _ x: Int, in grid: LifeGrid) -> Int {
        var count = 0
        for (dy, dx) in [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]
        where grid.isAlive(y + dy, x + dx) {
            count += 1
        }
        return count
    }

    /// The next state of a cell: a live cell with fewer than 2 or more than 3 neighbours dies,
    /// an empty cell with exactly 3 comes alive, every other cell keeps its state.
    public static func gameLogic(alive: Bool, neighbors: Int) -> Bool {
        if alive {
            return neighbors == 2 || neighbors == 3
        }
        return neighbors == 3
    }

    /// One generation computed directly, without units or waits.
    public static func step(_ grid: LifeGrid) -> LifeGrid {
        var next = LifeGrid(rows: grid.rows, columns: grid.columns)
        for y in 0..<grid.rows {
            for x in 0..<grid.columns {
                let alive = gameLogic(alive: grid.isAlive(y, x), neighbors: countNeighbors(y, x, in: grid))
                next.set(y, x, alive: alive)
            }
        }
        return next
    }
}
