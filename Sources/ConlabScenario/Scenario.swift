public import ConlabCore
public import ConlabWorkloads

/// A validated scenario: what to run, under which strategies, and what the result must be.
public struct Scenario: Sendable {
    /// The file it was read from, as the user named it.
    public var file: String
    /// SHA-256 of the file's bytes, so a log says exactly which scenario ran.
    public var fileSHA256: String
    /// A short identifier.
    public var name: String
    /// What the scenario shows, in a sentence or two.
    public var description: String
    /// The Effective Python item it reproduces, when it reproduces one.
    public var item: Int?
    /// The random seed every latency and random pattern is drawn from.
    public var seed: UInt64
    /// The work.
    public var workload: WorkloadSpec
    /// The strategies to run, in order.
    public var strategies: [StrategySpec]
    /// What every result must satisfy.
    public var expectations: Expectations
}

/// The work a scenario describes.
public enum WorkloadSpec: Sendable {
    /// The Game of Life.
    case life(LifeSpec)

    /// The workload's kind as written in `workload.kind`.
    public var kind: String {
        switch self {
        case .life: "life"
        }
    }

    /// The shape strategies must support to run it.
    public var shape: WorkloadShape {
        switch self {
        case .life: .phased
        }
    }
}

/// A Game of Life workload as written in a scenario.
public struct LifeSpec: Sendable {
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

    /// The runnable workload for `seed`.
    public func workload(seed: UInt64) -> LifeWorkload {
        LifeWorkload(
            initial: pattern.grid(rows: rows, columns: columns, seed: seed),
            generations: generations,
            io: LifeIO(steps: ioSteps, model: io, random: CounterRandom(seed: seed))
        )
    }

    /// `5×9 grid, 4 generations, fixed 100ms in game_logic`.
    public var summary: String {
        let steps = LifeStep.allCases.filter(ioSteps.contains).map(\.rawValue).joined(separator: " and ")
        let io = ioSteps.isEmpty ? "no I/O" : "\(self.io.summary) in \(steps)"
        return "\(rows)×\(columns) grid, \(generations) generation\(generations == 1 ? "" : "s"), \(io)"
    }
}

/// One strategy entry of a scenario, with its options applied.
public struct StrategySpec: Sendable {
    /// The configured strategy.
    public var strategy: any Strategy
    /// Where the entry was written.
    public var location: SourceLocation

    /// Creates an entry.
    public init(strategy: any Strategy, location: SourceLocation) {
        self.strategy = strategy
        self.location = location
    }

    /// The strategy's registered name.
    public var name: String { type(of: strategy).name }
}

/// What every result of a scenario must satisfy, beyond agreeing with the serial reference.
public struct Expectations: Sendable {
    /// How a run is expected to end.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Every unit succeeds.
        case success
        /// A unit fails and the failure reaches the caller.
        case unitFailure = "unit_failure"
    }

    /// The expected outcome.
    public var outcome: Outcome = .success
    /// The expected digest of the final state, when given.
    public var finalGridSHA256: String?

    /// No expectations beyond success.
    public init(outcome: Outcome = .success, finalGridSHA256: String? = nil) {
        self.outcome = outcome
        self.finalGridSHA256 = finalGridSHA256
    }
}
