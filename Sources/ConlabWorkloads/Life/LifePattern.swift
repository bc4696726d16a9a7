import ConlabCore
import ConlabLatency

/// The initial pattern of a Life grid (the grid's seed, as opposed to the random `seed`).
public enum LifePattern: Sendable, Hashable {
    /// A well-known pattern placed with its top-left corner at `row`, `column`.
    case named(NamedPattern, row: Int, column: Int)
    /// Explicit live cells as (row, column).
    case cells([GridCell])
    /// A picture in the seed's notation, `*` alive and `-` empty, placed at `row`, `column`.
    case picture([String], row: Int, column: Int)
    /// Every cell alive with probability `density`, drawn from the scenario seed.
    case random(density: Double)

    /// A cell position.
    public struct GridCell: Sendable, Hashable {
        /// The row.
        public var row: Int
        /// The column.
        public var column: Int

        /// Creates a position.
        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
    }

    /// Patterns known by name.
    public enum NamedPattern: String, Sendable, Hashable, CaseIterable {
        /// The seed's glider, moving down and right.
        case glider
        /// A period-2 oscillator, horizontal.
        case blinker
        /// A still life of four cells.
        case block
        /// The methuselah that runs for 1103 generations.
        case rPentomino = "r-pentomino"

        /// Live cells relative to the top-left corner of the pattern's box.
        public var cells: [GridCell] {
            let pairs: [(Int, Int)]
            switch self {
            case .glider: pairs = [(0, 1), (1, 2), (2, 0), (2, 1), (2, 2)]
            case .blinker: pairs = [(0, 0), (0, 1), (0, 2)]
            case .block: pairs = [(0, 0), (0, 1), (1, 0), (1, 1)]
            case .rPentomino: pairs = [(0, 1), (0, 2), (1, 0), (1, 1), (2, 1)]
            }
            return pairs.map { GridCell(row: $0.0, column: $0.1) }
        }

        /// The pattern's box: rows and columns.
        public var size: (rows: Int, columns: Int) {
            (cells.map(\.row).max()! + 1, cells.map(\.column).max()! + 1)
        }
    }

    /// Why a pattern cannot be placed on a grid, in words a user can act on; `nil` when it fits.
    public func problem(rows: Int, columns: Int) -> String? {
        switch self {
        case .named(let pattern, let row, let column):
            let size = pattern.size
            if row < 0 || column < 0 || row + size.rows > rows || column + size.columns > columns {
                return "pattern '\(pattern.rawValue)' (\(size.rows)×\(size.columns)) at row \(row), column \(column) "
                    + "does not fit the \(rows)×\(columns) grid"
            }
        case .cells(let cells):
            if let outside = cells.first(where: { !(0..<rows).contains($0.row) || !(0..<columns).contains($0.column) })
            {
                return "cell [\(outside.row), \(outside.column)] is outside the \(rows)×\(columns) grid "
                    + "(rows 0...\(rows - 1), columns 0...\(columns - 1))"
            }
        case .picture(let lines, let row, let column):
            let width = lines.map(\.count).max() ?? 0
            if row < 0 || column < 0 || row + lines.count > rows || column + width > columns {
                return "picture (\(lines.count)×\(width)) at row \(row), column \(column) "
                    + "does not fit the \(rows)×\(columns) grid"
            }
        case .random(let density):
            if !(0...1).contains(density) { return "density \(density) is not in 0...1" }
        }
        return nil
    }

    /// The grid with this pattern on it. The pattern must fit (``problem(rows:columns:)`` is `nil`).
    public func grid(rows: Int, columns: Int, seed: UInt64) -> LifeGrid {
        var grid = LifeGrid(rows: rows, columns: columns)
        switch self {
        case .named(let pattern, let row, let column):
            for cell in pattern.cells { grid.set(row + cell.row, column + cell.column, alive: true) }
        case .cells(let cells):
            for cell in cells { grid.set(cell.row, cell.column, alive: true) }
        case .picture(let lines, let row, let column):
            for (dy, line) in lines.enumerated() {
                for (dx, character) in line.enumerated() where character == LifeGrid.alive {
                    grid.set(row + dy, column + dx, alive: true)
                }
            }
        case .random(let density):
            // A stream of its own (key 0x9A77E4) so the pattern never shares draws with latencies.
            let random = CounterRandom(seed: seed)
            for y in 0..<rows {
                for x in 0..<columns where random.uniform(0x9A77E4, UInt64(y), UInt64(x)) < density {
                    grid.set(y, x, alive: true)
                }
            }
        }
        return grid
    }
}
