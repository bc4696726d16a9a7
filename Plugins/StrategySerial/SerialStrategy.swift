public import ConlabCore
import ConlabToolkit

/// One unit after another on one thread of its own: the reference every other strategy is checked against.
///
/// Each wait blocks that thread in `clock_nanosleep`, as the seed's serial `simulate` blocks in `recv`.
public struct SerialStrategy: Strategy {
    /// `serial`.
    public static let name = "serial"
    /// What it does.
    public static let summary = "One unit after another on a single thread that blocks in every wait (the reference)."
    /// Phases and pipelines (one loop over items and stages).
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]

    /// Takes no options: any key is an error.
    public init(options: StrategyOptions) throws(OptionError) {
        _ = try options.values(for: Self.self)
    }

    /// One thread, one unit at a time.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 1, schedule: .units(concurrency: 1))
    }

    /// A session that runs each phase on a fresh thread.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        SerialSession(services: context.services, unitTimings: context.unitTimings)
    }
}

/// Runs a phase's units in order on one dedicated OS thread.
struct SerialSession: StrategySession {
    /// What the units' waits are performed with.
    let services: WaitServices
    /// Where the units report their timings.
    let unitTimings: (any UnitTimings.Sink)?

    var concurrency: Int? { 1 }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        let unitTimings = self.unitTimings
        return try await OSThread.run(name: "conlab-serial") { cancellation in
            var outputs: [Batch.Unit.Output] = []
            outputs.reserveCapacity(batch.count)
            for index in 0..<batch.count {
                if cancellation.isRaised { throw CancellationError() }
                outputs.append(try batch.unit(at: index).runBlocking(using: services, reportingTo: unitTimings))
            }
            return outputs
        }
    }

    /// One loop: each item through every stage before the next item enters.
    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        let unitTimings = self.unitTimings
        try await OSThread.run(name: "conlab-serial") { cancellation in
            let clock = ContinuousClock()
            for item in 0..<work.itemCount {
                if cancellation.isRaised { throw CancellationError() }
                let entered = clock.now
                var value = work.source(item: item)
                for stage in work.stages.indices {
                    let started = clock.now
                    value = try work.unit(stage: stage, item: item, input: value).runBlocking(
                        using: services,
                        reportingTo: unitTimings
                    )
                    recorder.busy(stage: stage, clock.now - started)
                }
                recorder.delivered(item: item, value: value, entered: entered)
            }
        }
    }

    /// Every wait of every item, one after another.
    func idealPipelineDuration(of profile: PhaseProfile, stages: [PipelineStage]) -> Duration {
        profile.totals.total
    }
}
