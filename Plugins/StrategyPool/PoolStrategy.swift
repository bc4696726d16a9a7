public import ConlabCore
import ConlabToolkit

/// A thread pool of exactly `max_workers` threads with submit/future semantics (item 59).
///
/// Every unit is submitted as a job; fan-in awaits the futures in submission order, so a failing unit's
/// error propagates through its future to the caller, as `future.result()` re-raises in Python. Jobs not
/// yet started when a unit fails are cancelled.
public struct PoolStrategy: Strategy {
    /// `pool`.
    public static let name = "pool"
    /// What it does.
    public static let summary =
        "A fixed pool of max_workers OS threads; units are submitted as jobs and awaited as futures."
    /// Phases and pipelines (stages submitted to the shared pool).
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]
    /// Items wait between stages as pending jobs, not in bounded queues (``PoolPipeline``).
    public static let boundsPipelineBuffers = false
    /// `max_workers`: the threads in the pool, always in the label.
    static let maxWorkersOption = StrategyOption<Int>(
        "max_workers",
        .integer(in: 1...4096),
        default: 10,
        inLabel: .always,
        help: "threads in the pool, exactly, as in the seed"
    )
    /// `stack_size`: each thread's stack; the same minimum as the thread strategy's.
    static let stackSizeOption = StrategyOption<Int?>(
        "stack_size",
        .bytes(minimum: 64 * 1024),
        unset: "the system's",
        help: "stack size of each thread"
    )
    /// `max_workers`, `stack_size`.
    public static let options: [any OptionDeclaration] = [maxWorkersOption, stackSizeOption]

    /// The number of threads.
    public let maxWorkers: Int
    /// Each thread's stack size; `nil` for the system default.
    public let stackSize: Int?
    /// `pool(max_workers: 10)`.
    public let label: String

    /// Reads `max_workers` and `stack_size`.
    public init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        maxWorkers = values[Self.maxWorkersOption]
        stackSize = values[Self.stackSizeOption]
        label = values.label(Self.name)
    }

    /// Exactly `max_workers` threads, each running one unit at a time.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: maxWorkers, schedule: .units(concurrency: maxWorkers))
    }

    /// Starts the pool's threads.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        PoolSession(
            pool: try FixedThreadPool(size: maxWorkers, name: "conlab-pool", stackSize: stackSize),
            services: context.services,
            unitTimings: context.unitTimings
        )
    }
}

/// Submits every unit of a phase to the pool and awaits the futures in order, once the phase is done
/// (``PhaseCompletion``).
struct PoolSession: StrategySession {
    let pool: FixedThreadPool
    /// What the units' waits are performed with.
    let services: WaitServices
    /// Where the units report their timings.
    let unitTimings: (any UnitTimings.Sink)?

    var concurrency: Int? { pool.size }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        let completion = PhaseCompletion(jobs: batch.count)
        let unitTimings = self.unitTimings
        let futures = (0..<batch.count).map { index in
            pool.submit {
                let result = Result { () throws(UnitFailure) in
                    try batch.unit(at: index).runBlocking(using: services, reportingTo: unitTimings)
                }
                if case .failure = result {
                    completion.jobFinished(failed: true)
                } else {
                    completion.jobFinished(failed: false)
                }
                return try result.get()
            }
        }
        await completion.wait()
        // Cancelled: no job starts from here on; those running finish, and the walk below throws at the
        // first that never ran. Left to the walk, every job not yet awaited would still start on a free
        // thread while it waited for the one before.
        if Task.isCancelled { for future in futures { future.cancel() } }
        var outputs: [Batch.Unit.Output] = []
        outputs.reserveCapacity(batch.count)
        do {
            for future in futures {
                outputs.append(try await future.value)
            }
        } catch {
            for future in futures { future.cancel() }
            throw error
        }
        return outputs
    }

    /// Every (stage, item) a job on the shared pool; a stage runs at most its workers' jobs at once.
    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        try await PoolPipeline(
            work: work,
            pool: pool,
            recorder: recorder,
            services: services,
            unitTimings: unitTimings
        ).run()
    }

    /// The stages' flow shop, but never faster than the pool's threads can do all the waits.
    func idealPipelineDuration(of profile: PhaseProfile, stages: [PipelineStage]) -> Duration {
        IdealSchedule.pipeline(profile, stages: stages, concurrency: pool.size)
    }

    func metrics() -> [String: Double] {
        ["pool_threads": Double(pool.size), "max_queue_depth": Double(pool.maximumQueueDepth)]
    }

    func close() async {
        let pool = self.pool
        _ = try? await OSThread.run(name: "conlab-pool-stop") { _ in pool.shutdown() }
    }
}
