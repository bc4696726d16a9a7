public import ConlabCore

/// The units of one generation: one ``LifeCell`` per cell, made on demand from the previous grid.
public struct LifeGeneration: PortableBatch {
    /// `life.generation`.
    public static let batchKind = "life.generation"

    /// The generation being computed, from 0 (0 turns the initial grid into generation 1's).
    public let phase: Int
    /// The grid the generation starts from.
    public let grid: LifeGrid
    let io: LifeIO

    /// One unit per cell.
    public var count: Int { grid.count }

    /// The cell at row-major `index`.
    public func unit(at index: Int) -> LifeCell {
        LifeCell(generation: phase, y: index / grid.columns, x: index % grid.columns, grid: grid, io: io)
    }
}
