public import ConlabCore
public import ConlabLatency
public import ConlabScenario

/// A Game of Life workload as written in a scenario (`kind: life`).
public struct LifeSpec: ScenarioWorkload {
    /// `life`.
    public static let kind = "life"
    /// Phases of cells, portable to worker processes.
    public static let traits = WorkloadTraits.phased(LifeWorkload.self)
    /// A generation's cells.
    public static let portableBatches: [any PortableBatch.Type] = [LifeGeneration.self]
    /// Life runs in generations.
    public static let paceColumn = "per gen"
    /// The digest is the final grid's.
    public static let digestIsFinalGrid = true

    /// The least memory a cell of a run holds, in bytes: a cell parked on an event loop (16 bytes) and its
    /// timer (16). Strategies that hold more (a task or a thread a cell) are refused by their own estimate.
    public static let leastBytesPerCell = 32

    /// The largest grid accepted on a machine of `memory` bytes, in cells: what fits at ``leastBytesPerCell``
    /// each, and a cell's index fits in 32 bits. 24 GiB hold 805,306,368 cells.
    public static func maximumCells(memory: Int) -> Int {
        min(memory / leastBytesPerCell, Int(UInt32.max))
    }

    /// Grid rows.
    public var rows: Int
    /// Grid columns.
    public var columns: Int
    /// The initial pattern.
    public var pattern: LifePattern
    /// Generations to compute.
    public var generations: Int
    /// The steps that wait on I/O.
    public var ioSteps: Set<LifeStep>
    /// How that I/O behaves.
    public var io: IOModel

    /// Creates a workload as a scenario describes it.
    public init(rows: Int, columns: Int, pattern: LifePattern, generations: Int, ioSteps: Set<LifeStep>, io: IOModel) {
        self.rows = rows
        self.columns = columns
        self.pattern = pattern
        self.generations = generations
        self.ioSteps = ioSteps
        self.io = io
    }

    /// The runnable workload for `seed`.
    public func workload(seed: UInt64) -> LifeWorkload {
        LifeWorkload(
            initial: pattern.grid(rows: rows, columns: columns, seed: seed),
            generations: generations,
            io: LifeIO(steps: ioSteps, model: io, random: CounterRandom(seed: seed))
        )
    }

    /// The generations of ``workload(seed:)``.
    public func runnable(seed: UInt64) -> RunnableWorkload { .phased(workload(seed: seed)) }

    /// Cells start no process; building a grid only to ask would cost a million cells' work for the largest.
    public var childDemand: ChildDemand { .none }

    /// `5×9 grid, 4 generations, fixed 100ms in game_logic`.
    public var summary: String {
        let steps = LifeStep.allCases.filter(ioSteps.contains).map(\.rawValue).joined(separator: " and ")
        let io = ioSteps.isEmpty ? "no I/O" : "\(self.io.summary) in \(steps)"
        return "\(rows)×\(columns) grid, \(generations) generation\(generations == 1 ? "" : "s"), \(io)"
    }

    /// ``summary`` and the seed.
    public func summary(seed: UInt64) -> String { "\(summary); seed \(seed)" }

    /// Every generation, when the grids are small enough to print side by side.
    public func frames<State>(of states: [State]) -> [String]? {
        guard columns * (generations + 1) <= 400 && rows <= 60, let grids = states as? [LifeGrid] else { return nil }
        return grids.map(\.rendered)
    }

    /// Every generation as a grid; each rendered only when asked for.
    public func grids<State>(of states: [State]) -> StateGrids? {
        guard let grids = states as? [LifeGrid] else { return nil }
        return StateGrids(rows: rows, columns: columns, count: grids.count) { index in
            grids[index].rendered.split(separator: "\n").map(String.init)
        }
    }
}
