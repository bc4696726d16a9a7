/// Conway's rules as the seed writes them: `count_neighbors` and `game_logic`.
public enum LifeRules {
    /// The live cells among the eight neighbours of (`y`, `x`), wrapping around the edges.
    public static func countNeighbors(_ y: Int, _ x: Int, in grid: LifeGrid) -> Int {
        countNeighbors(of: wrap(y, grid.rows) * grid.columns + wrap(x, grid.columns), in: grid)
    }

    /// The live cells among the eight neighbours of the cell at row-major `index`, wrapping around the
    /// edges: the rows above and below and the columns either side are wrapped once, not once per
    /// neighbour (a remainder each cost more than the rest of the count).
    public static func countNeighbors(of index: Int, in grid: LifeGrid) -> Int {
        let columns = grid.columns
        let y = index / columns
        let x = index - y * columns
        let row = y * columns
        let above = (y == 0 ? grid.rows - 1 : y - 1) * columns
        let below = (y == grid.rows - 1 ? 0 : y + 1) * columns
        let left = x == 0 ? columns - 1 : x - 1
        let right = x == columns - 1 ? 0 : x + 1
        return grid.cells.withUnsafeBufferPointer { cells in
            func alive(_ cell: Int) -> Int { cells[cell] ? 1 : 0 }
            return alive(above + left) + alive(above + x) + alive(above + right) + alive(row + left)
                + alive(row + right) + alive(below + left) + alive(below + x) + alive(below + right)
        }
    }

    private static func wrap(_ value: Int, _ size: Int) -> Int {
        let remainder = value % size
        return remainder < 0 ? remainder + size : remainder
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
