public import ConlabCore

/// One cell's update in one generation: the seed's `step_cell`, as a ``WorkUnit``.
///
/// It counts neighbours and applies the rules for real; each step named in ``LifeWorkload/ioSteps`` first
/// waits for a modelled I/O call whose latency is keyed by (seed, generation, cell, step).
///
/// A cell is 16 bytes: one reference to what the whole generation shares (``LifeGeneration/Shared``: the
/// grid, the I/O), its index, and where it is in its update. Ten million parked cells then hold 160 MB,
/// where a cell carrying its own copy of the grid's and the I/O model's fields held 150 bytes and took
/// four reference counts on shared storage each time it was made.
public struct LifeCell: WorkUnit {
    private let shared: LifeGeneration.Shared
    private let index: UInt32
    private var stage: Stage = .start
    private var neighbors: UInt8 = 0

    private enum Stage: UInt8 {
        case start, counted, decided
    }

    init(shared: LifeGeneration.Shared, index: Int) {
        self.shared = shared
        self.index = UInt32(index)
    }

    /// The generation being computed.
    public var generation: Int { shared.phase }
    /// The cell's row.
    public var y: Int { Int(index) / shared.grid.columns }
    /// The cell's column.
    public var x: Int { Int(index) % shared.grid.columns }

    /// `generation g, cell (y, x)`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: generation, index: Int(index), phaseName: "generation", name: "cell (\(y), \(x))")
    }

    /// Waits (if configured) then counts neighbours; waits (if configured) then decides the next state.
    public mutating func advance() -> UnitStep<Bool> {
        // One reference count for the whole step, not one for each use of what the generation shares.
        let shared = self.shared
        let cell = Int(index)
        if stage == .start {
            stage = .counted
            if let wait = shared.wait(.countNeighbors, shared.beforeCounting, cell: cell) { return .wait(wait) }
        }
        if stage == .counted {
            neighbors = UInt8(LifeRules.countNeighbors(of: cell, in: shared.grid))
            stage = .decided
            if let wait = shared.wait(.gameLogic, shared.beforeDeciding, cell: cell) { return .wait(wait) }
        }
        return .finished(LifeRules.gameLogic(alive: shared.grid.cells[cell], neighbors: Int(neighbors)))
    }
}
