public import ConlabCore

/// One cell's update in one generation: the seed's `step_cell`, as a ``WorkUnit``.
///
/// It counts neighbours and applies the rules for real; each step named in ``LifeWorkload/ioSteps`` first
/// waits for a modelled I/O call whose latency is keyed by (seed, generation, cell, step).
public struct LifeCell: WorkUnit {
    /// The generation being computed.
    public let generation: Int
    /// The cell's row.
    public let y: Int
    /// The cell's column.
    public let x: Int
    private let grid: LifeGrid
    private let io: LifeIO
    private var stage: Stage = .start
    private var neighbors = 0

    private enum Stage {
        case start, counted, decided
    }

    init(generation: Int, y: Int, x: Int, grid: LifeGrid, io: LifeIO) {
        self.generation = generation
        self.y = y
        self.x = x
        self.grid = grid
        self.io = io
    }

    /// `generation g, cell (y, x)`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(
            phase: generation,
            index: y * grid.columns + x,
            phaseName: "generation",
            name: "cell (\(y), \(x))"
        )
    }

    /// Waits (if configured) then counts neighbours; waits (if configured) then decides the next state.
    public mutating func advance() -> UnitStep<Bool> {
        switch stage {
        case .start:
            stage = .counted
            if let wait = io.wait(.countNeighbors, generation: generation, cell: y * grid.columns + x) {
                return .wait(wait)
            }
            return advance()
        case .counted:
            neighbors = LifeRules.countNeighbors(y, x, in: grid)
            stage = .decided
            if let wait = io.wait(.gameLogic, generation: generation, cell: y * grid.columns + x) {
                return .wait(wait)
            }
            return advance()
        case .decided:
            return .finished(LifeRules.gameLogic(alive: grid.isAlive(y, x), neighbors: neighbors))
        }
    }
}
