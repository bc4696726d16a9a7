import ConlabCore
import ConlabLatency
public import ConlabScenario

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

    /// Within `budget` cell updates, `nil`: the reference runs, and its profiles are exact. Beyond it the
    /// generations are described in closed form — every cell waits in the I/O steps each generation — with
    /// waits exact for a constant latency, expected from the latency's mean otherwise, and unknown where
    /// a failure rate or a timeout could end the run early.
    public func plannedProfiles(budget: Int) -> PlannedProfiles? {
        let cells = initialState.rows * initialState.columns
        let updates = cells * generations
        guard updates > budget else { return nil }
        let steps = LifeStep.allCases.filter { io.steps.contains($0) }.map(\.rawValue)
        guard !steps.isEmpty else {
            return PlannedProfiles([.withoutWaits(units: cells, repeats: generations)], skippedReference: updates)
        }
        let model = io.model
        let waits: PlannedPhase.Waits
        if model.failureRate > 0 || model.timeout.map({ model.latency.largestDraw > $0 }) == true {
            waits = .unknown
        } else if let constant = model.latency.constantDraw {
            waits = .each(Array(repeating: constant, count: steps.count))
        } else if let mean = model.latency.expectedDraw {
            waits = .expected(Array(repeating: mean, count: steps.count))
        } else {
            waits = .unknown
        }
        return PlannedProfiles(
            [PlannedPhase(units: cells, steps: steps, waits: waits, repeats: generations)],
            skippedReference: updates
        )
    }

    /// SHA-256 of the rendered grid.
    public func digest(of state: LifeGrid) -> String { state.sha256 }
}
