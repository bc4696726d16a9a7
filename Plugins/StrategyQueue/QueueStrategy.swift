public import ConlabCore
import ConlabToolkit

/// Fixed worker threads fed through closable blocking queues (item 58's `ClosableQueue` and
/// `StoppableWorker`).
///
/// Fan-out puts every unit on a queue; fan-in drains a queue of results. Each step a unit waits in gets its
/// own stage of `workers` threads, created when first needed: with I/O in both `count_neighbors` and
/// `game_logic`, that is the seed's phased pipeline — two stages connected by queues. Errors travel back
/// as values and are re-raised with their coordinates.
public struct QueueStrategy: Strategy {
    /// `queue`.
    public static let name = "queue"
    /// What it does.
    public static let summary =
        "Fixed worker threads per waiting step, connected by blocking queues; fan-in drains a result queue."
    /// Phases and pipelines (a thread per stage worker, queues between the stages).
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]
    /// `workers`: threads per stage, always in the label.
    static let workersOption = StrategyOption<Int>(
        "workers",
        .integer(in: 1...4096),
        default: 5,
        inLabel: .always,
        help: "worker threads per stage, as in the seed"
    )
    /// `workers`.
    public static let options: [any OptionDeclaration] = [workersOption]

    /// Worker threads per stage.
    public let workers: Int
    /// `queue(workers: 5)`.
    public let label: String

    /// Reads `workers`.
    public init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        workers = values[Self.workersOption]
        label = values.label(Self.name)
    }

    /// `workers` threads for each step units wait in, plus the thread that fans out and in.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(
            threads: workers * max(1, context.plan.waitingSteps) + 1,
            schedule: .stages(workersPerStep: workers)
        )
    }

    /// A session; stages start with the first unit that needs them.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        QueueSession(
            stages: QueueStages(
                workersPerStage: workers,
                services: context.services,
                unitTimings: context.unitTimings
            )
        )
    }
}

/// Feeds a phase's units through the stages and drains their results.
struct QueueSession: StrategySession {
    let stages: QueueStages

    var concurrency: Int? { stages.workersPerStage }

    /// Units pass the stages first come, first served: a flow shop of `workers` per step.
    func idealDuration(of profile: PhaseProfile) -> Duration {
        IdealSchedule.flowShop(profile, workers: stages.workersPerStage)
    }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        let stages = self.stages
        return try await OSThread.run(name: "conlab-queue-fan") { cancellation in
            let results = BlockingQueue<(Int, Result<Batch.Unit.Output, UnitFailure>)>()
            // Fan out: the first computation of each unit happens here, as in the seed's simulate_pipeline.
            for index in 0..<batch.count {
                stages.forward(batch.unit(at: index), index: index, results: results, cancellation: cancellation)
            }
            // Fan in: drain exactly one result per unit.
            var outputs = [Batch.Unit.Output?](repeating: nil, count: batch.count)
            var failure: (index: Int, error: UnitFailure)?
            for _ in 0..<batch.count {
                guard let (index, result) = results.get() else { break }
                switch result {
                case .success(let output): outputs[index] = output
                case .failure(let error):
                    if failure.map({ index < $0.index }) ?? true { failure = (index, error) }
                }
            }
            // Units skipped after an interruption come back as failures; the interruption is what happened.
            if cancellation.isRaised { throw CancellationError() }
            if let failure { throw failure.error }
            return outputs.map { $0! }
        }
    }

    /// Item 55's structure: a thread per stage worker, the scenario's queues between stages.
    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        let services = stages.services
        let unitTimings = stages.unitTimings
        try await OSThread.run(name: "conlab-pipeline") { cancellation in
            try ThreadedPipeline.run(
                work,
                recorder: recorder,
                services: services,
                cancellation: cancellation,
                unitTimings: unitTimings
            )
        }
    }

    func metrics() -> [String: Double] {
        let depths = stages.maximumDepths()
        // Pipelines run through ThreadedPipeline and start no stages of this session.
        guard !depths.isEmpty else { return [:] }
        var figures = ["workers_per_stage": Double(stages.workersPerStage)]
        for (step, depth) in depths {
            figures["max_queue_depth_\(step)"] = Double(depth)
        }
        figures["stages"] = Double(figures.count - 1)
        return figures
    }

    func close() async {
        let stages = self.stages
        _ = try? await OSThread.run(name: "conlab-queue-stop") { _ in stages.stop() }
    }
}
