public import ConlabCore
public import ConlabLatency
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
    /// A producer/consumer pipeline.
    case pipeline(PipelineSpec)
    /// Pure CPU work.
    case cpu(CPUWorkload)
    /// A shared counter incremented by concurrent workers.
    case counter(CounterWorkload)
    /// Real blocking system calls.
    case syscall(SyscallWorkload)
    /// Real child processes.
    case subprocess(SubprocessWorkload)
    /// Item 61's guessing game over loopback TCP.
    case guess(GuessWorkload)
    /// Item 62's files written by threads and tailed by tasks or threads.
    case tail(TailWorkload)

    /// Every kind with its traits (read from its types), in the order the docs list them.
    public static let kinds: [(kind: String, traits: WorkloadTraits)] = [
        ("life", .phased(LifeWorkload.self)), ("pipeline", .pipeline(PipelineWorkload.self)),
        ("cpu", .phased(CPUWorkload.self)), ("counter", .phased(CounterWorkload.self)),
        ("syscall", .phased(SyscallWorkload.self)), ("subprocess", .phased(SubprocessWorkload.self)),
        ("guess", .phased(GuessWorkload.self)), ("tail", .phased(TailWorkload.self)),
    ]

    /// The workload's kind as written in `workload.kind`.
    public var kind: String {
        switch self {
        case .life: "life"
        case .pipeline: "pipeline"
        case .cpu: "cpu"
        case .counter: "counter"
        case .syscall: "syscall"
        case .subprocess: "subprocess"
        case .guess: "guess"
        case .tail: "tail"
        }
    }

    /// The shape strategies must support to run it.
    public var shape: WorkloadShape { traits.shape }

    /// What a strategy must support to run it.
    public var traits: WorkloadTraits {
        switch self {
        case .life: .phased(LifeWorkload.self)
        case .pipeline: .pipeline(PipelineWorkload.self)
        case .cpu: .phased(CPUWorkload.self)
        case .counter: .phased(CounterWorkload.self)
        case .syscall: .phased(SyscallWorkload.self)
        case .subprocess: .phased(SubprocessWorkload.self)
        case .guess: .phased(GuessWorkload.self)
        case .tail: .phased(TailWorkload.self)
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

/// A pipeline workload as written in a scenario.
public struct PipelineSpec: Sendable {
    /// Items entering the pipeline.
    public var items: Int
    /// The stages' work.
    public var stages: [PipelineWorkload.StageWork]
    /// Each stage's input queue capacity; `nil` for unbounded.
    public var buffer: Int?
    /// How workers wait for input.
    public var discipline: QueueDiscipline

    /// The runnable workload for `seed`.
    public func workload(seed: UInt64) -> PipelineWorkload {
        PipelineWorkload(
            itemCount: items,
            work: stages,
            buffer: buffer,
            discipline: discipline,
            random: CounterRandom(seed: seed)
        )
    }

    /// `1000 items through download → resize → upload, 1 worker each, unbounded blocking queues`.
    public var summary: String {
        let names = stages.map(\.stage.name).joined(separator: " → ")
        let workers =
            Set(stages.map(\.stage.workers)).count == 1
            ? "\(stages[0].stage.workers) worker\(stages[0].stage.workers == 1 ? "" : "s") each"
            : "workers " + stages.map { String($0.stage.workers) }.joined(separator: "/")
        let queue: String
        switch discipline {
        case .blocking: queue = "blocking"
        case .polling(let interval): queue = "polling every \(DurationFormat.short(interval))"
        }
        return
            "\(items) items through \(names), \(workers), \(buffer.map { "buffers of \($0)" } ?? "unbounded") \(queue) queues"
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
