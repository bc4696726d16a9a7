public import ConlabCore

/// The units of one generation: one ``LifeCell`` per cell, made on demand from the previous grid.
public struct LifeGeneration: PortableBatch {
    /// `life.generation`.
    public static let batchKind = "life.generation"

    /// What every cell of the generation refers to, kept once: a cell holds one reference to it instead
    /// of copies of the grid's and the I/O model's fields.
    final class Shared: Sendable {
        let phase: Int
        let grid: LifeGrid
        let io: LifeIO
        /// What cells wait before counting and before deciding: found once per generation, not per cell.
        let beforeCounting: LifeIO.StepWait
        let beforeDeciding: LifeIO.StepWait

        init(phase: Int, grid: LifeGrid, io: LifeIO) {
            self.phase = phase
            self.grid = grid
            self.io = io
            beforeCounting = io.stepWait(.countNeighbors)
            beforeDeciding = io.stepWait(.gameLogic)
        }

        /// The wait of cell `index` in `step`, if it waits there.
        @inline(__always)
        func wait(_ step: LifeStep, _ kind: LifeIO.StepWait, cell index: Int) -> Wait? {
            switch kind {
            case .none: nil
            case .same(let wait): wait
            case .drawn: io.wait(step, generation: phase, cell: index)
            }
        }
    }

    let shared: Shared

    /// The generation being computed, from 0 (0 turns the initial grid into generation 1's).
    public var phase: Int { shared.phase }
    /// The grid the generation starts from.
    public var grid: LifeGrid { shared.grid }
    var io: LifeIO { shared.io }

    /// The cells of generation `phase`, computed from `grid`.
    init(phase: Int, grid: LifeGrid, io: LifeIO) {
        precondition(grid.count <= Int(UInt32.max), "a cell's index is kept in 32 bits")
        shared = Shared(phase: phase, grid: grid, io: io)
    }

    /// One unit per cell.
    public var count: Int { grid.count }

    /// The cell at row-major `index`.
    public func unit(at index: Int) -> LifeCell {
        LifeCell(shared: shared, index: index)
    }

    /// A ``LifeSlab``: the cells stepped by code compiled for them.
    public func slab(first: Int, count: Int) -> any UnitSlab<Bool> {
        LifeSlab(batch: self, first: first, count: count)
    }

    private enum CodingKeys: String, CodingKey {
        case phase, grid, io
    }

    /// Reads a generation as ``encode(to:)`` writes it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            phase: try container.decode(Int.self, forKey: .phase),
            grid: try container.decode(LifeGrid.self, forKey: .grid),
            io: try container.decode(LifeIO.self, forKey: .io)
        )
    }

    /// `{"phase", "grid", "io"}`, for worker processes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(phase, forKey: .phase)
        try container.encode(grid, forKey: .grid)
        try container.encode(io, forKey: .io)
    }
}
