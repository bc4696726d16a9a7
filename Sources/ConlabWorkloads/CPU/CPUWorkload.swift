public import ConlabCore
public import ConlabScenario
import ConlabToolkit

/// Pure CPU work (items 53 and 64): one phase of independent units, each computing one task once. Every
/// task runs `rounds` times, as `rounds` units of its own, so there is enough work to time and enough
/// units for every core to stay busy until the end.
public struct CPUWorkload: PhasedWorkload {
    /// The tasks.
    public let tasks: [CPUTask]
    /// How many units compute each task (the result is the same every time).
    public let rounds: Int

    /// Creates a workload.
    public init(tasks: [CPUTask], rounds: Int) {
        self.tasks = tasks
        self.rounds = rounds
    }

    /// One phase.
    public var phaseCount: Int { 1 }
    /// `batch`.
    public var phaseName: String { "batch" }
    /// No results yet.
    public var initialState: [[Int]] { [] }

    /// Round 0 of every task, then round 1, and so on.
    public func batch(phase: Int, from state: [[Int]]) -> CPUBatch {
        CPUBatch(phase: phase, tasks: tasks, rounds: rounds)
    }

    /// The units' results, in unit order.
    public func state(after batch: CPUBatch, outputs: [[Int]]) -> [[Int]] { outputs }

    /// One phase of units that compute and never wait: known without factorizing anything.
    public func plannedProfiles(budget: Int) -> PlannedProfiles? {
        PlannedProfiles([.withoutWaits(units: tasks.count * rounds)])
    }

    /// SHA-256 of the results, one unit per line.
    public func digest(of state: [[Int]]) -> String {
        SHA256.hexDigest(of: state.map { $0.map(String.init).joined(separator: " ") + "\n" }.joined())
    }
}

/// The units of a CPU workload.
public struct CPUBatch: PortableBatch {
    /// `cpu.batch`.
    public static let batchKind = "cpu.batch"

    /// Always 0.
    public let phase: Int
    let tasks: [CPUTask]
    let rounds: Int

    /// One unit per task and round.
    public var count: Int { tasks.count * rounds }

    /// Unit `index`: task `index % tasks`, in round `index / tasks`.
    public func unit(at index: Int) -> CPUUnit {
        CPUUnit(task: tasks[index % tasks.count], index: index, round: index / tasks.count)
    }
}

/// One CPU task, computed once: computation only, no waits.
public struct CPUUnit: WorkUnit {
    let task: CPUTask
    let index: Int
    let round: Int

    /// `batch 0, factorize(2139079) round 3`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: 0, index: index, phaseName: "batch", name: "\(task.name) round \(round)")
    }

    /// Computes the task.
    public func advance() -> UnitStep<[Int]> {
        .finished(task.compute())
    }
}
