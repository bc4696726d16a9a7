public import ConlabCore

/// Pure CPU work (items 53 and 64): one phase of independent tasks, each repeated `rounds` times so a unit
/// lasts long enough to measure; the speed-up over serial shows whether threads run in parallel.
public struct CPUWorkload: PhasedWorkload {
    /// The tasks, one unit each.
    public let tasks: [CPUTask]
    /// How many times each unit computes its task (the result is the same every time).
    public let rounds: Int

    /// Creates a workload.
    public init(tasks: [CPUTask], rounds: Int) {
        self.tasks = tasks
        self.rounds = rounds
    }

    /// One phase.
    public var phaseCount: Int { 1 }
    /// `round`.
    public var phaseName: String { "batch" }
    /// No results yet.
    public var initialState: [[Int]] { [] }

    /// The tasks as units.
    public func batch(phase: Int, from state: [[Int]]) -> CPUBatch {
        CPUBatch(phase: phase, tasks: tasks, rounds: rounds)
    }

    /// The tasks' results, in task order.
    public func state(after batch: CPUBatch, outputs: [[Int]]) -> [[Int]] { outputs }

    /// SHA-256 of the results, one task per line.
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

    /// One unit per task.
    public var count: Int { tasks.count }

    /// The unit computing task `index`.
    public func unit(at index: Int) -> CPUUnit {
        CPUUnit(task: tasks[index], index: index, rounds: rounds)
    }
}

/// One CPU task: computation only, no waits.
public struct CPUUnit: WorkUnit {
    let task: CPUTask
    let index: Int
    let rounds: Int

    /// `batch 0, factorize(2139079)`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: 0, index: index, phaseName: "batch", name: task.name)
    }

    /// Computes the task `rounds` times; every round must agree.
    public func advance() throws -> UnitStep<[Int]> {
        let result = task.compute()
        for _ in 1..<max(rounds, 1) where task.compute() != result {
            throw CPUMismatch(task: task)
        }
        return .finished(result)
    }
}

/// A task whose rounds disagreed, which would mean memory was corrupted under the unit.
struct CPUMismatch: Error, CustomStringConvertible {
    let task: CPUTask
    var description: String { "\(task.name) gave different results in different rounds" }
}
