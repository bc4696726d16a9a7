import ConlabCore
import ConlabToolkit

/// A Game of Life grid on a torus: the seed's `Grid`, with `*` for alive and `-` for empty.
public struct LifeGrid: Sendable, Hashable, Codable {
    /// The seed's `ALIVE`.
    public static let alive: Character = "*"
    /// The seed's `EMPTY`.
    public static let empty: Character = "-"

    /// Number of rows (the seed's height).
    public let rows: Int
    /// Number of columns (the seed's width).
    public let columns: Int
    /// Row-major cells, `true` for alive.
    public private(set) var cells: [Bool]

    /// An empty grid.
    public init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "a grid needs at least one row and one column")
        self.rows = rows
        self.columns = columns
        self.cells = Array(repeating: false, count: rows * columns)
    }

    /// A grid from row-major cells.
    public init(rows: Int, columns: Int, cells: [Bool]) {
        precondition(cells.count == rows * columns, "cells must fill the grid")
        self.rows = rows
        self.columns = columns
        self.cells = cells
    }

    /// The number of cells.
    public var count: Int { cells.count }

    /// The cell at (`y`, `x`), wrapping around the edges as the seed's `get` does.
    public func isAlive(_ y: Int, _ x: Int) -> Bool {
        cells[Self.wrap(y, rows) * columns + Self.wrap(x, columns)]
    }

    /// Sets the cell at (`y`, `x`), wrapping around the edges.
    public mutating func set(_ y: Int, _ x: Int, alive: Bool) {
        cells[Self.wrap(y, rows) * columns + Self.wrap(x, columns)] = alive
    }

    /// The grid as the seed prints it: rows of `*` and `-`, each ending in a newline.
    public var rendered: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows * (columns + 1))
        for y in 0..<rows {
            for x in 0..<columns { bytes.append(cells[y * columns + x] ? 0x2A : 0x2D) }
            bytes.append(0x0A)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// SHA-256 of ``rendered``, in lowercase hex: the `final_grid_sha256` of results.
    public var sha256: String { SHA256.hexDigest(of: rendered) }

    /// The number of live cells.
    public var population: Int { cells.reduce(0) { $0 + ($1 ? 1 : 0) } }

    private static func wrap(_ value: Int, _ size: Int) -> Int {
        let remainder = value % size
        return remainder < 0 ? remainder + size : remainder
    }
}
