public import ConlabCore

/// The Game of Life of items 56–60: a grid, a number of generations, and I/O in some steps.
public struct LifeWorkload: PhasedWorkload {
    /// The grid before the first generation.
    public let initialState: LifeGrid
    /// How many generations are computed (the seed prints 0...4 after computing 4).
    public let generations: Int
    /// The I/O in each cell's steps.
    public let io: LifeIO

    /// Creates a workload.
    public init(initial: LifeGrid, generations: Int, io: LifeIO) {
        self.initialState = initial
        self.generations = generations
        self.io = io
    }

    /// One phase per generation.
    public var phaseCount: Int { generations }
    /// `generation`.
    public var phaseName: String { "generation" }

    /// The cells of generation `phase`.
    public func batch(phase: Int, from state: LifeGrid) -> LifeGeneration {
        LifeGeneration(phase: phase, grid: state, io: io)
    }

    /// The grid the outputs describe.
    public func state(after batch: LifeGeneration, outputs: [Bool]) -> LifeGrid {
        LifeGrid(rows: batch.grid.rows, columns: batch.grid.columns, cells: outputs)
    }

    /// SHA-256 of the rendered grid.
    public func digest(of state: LifeGrid) -> String { state.sha256 }
}
