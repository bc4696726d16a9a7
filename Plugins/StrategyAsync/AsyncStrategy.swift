public import ConlabCore
import ConlabToolkit

/// A child task per unit, fanned out and in with a task group (item 60's `asyncio.gather`).
///
/// Every wait suspends its task; no thread that runs tasks is ever blocked. The tasks run on
/// ``TaskTimers/shards`` of the run's services, one executor thread per core that also times their waits, as asyncio's loop runs
/// its coroutines and its timers on one thread: a task that is due runs on the thread that saw it due,
/// without a hand-over. Outputs are assembled from the children's results, so no state is shared between
/// tasks. The first failing unit cancels the rest of its phase and its ``UnitFailure`` reaches the caller.
///
/// A probe measures how late those threads run a 1 ms periodic task during every phase; a lag past
/// ``lagWarning`` is reported. `blocking_waits: true` makes the units block their threads instead of
/// suspending — the mistake item 63 warns about, kept to show what it costs; those units run on the
/// cooperative pool, as a naive port would.
public struct AsyncStrategy: Strategy {
    /// `async`.
    public static let name = "async"
    /// `actor`, the name the chapter's comparison tables use.
    public static let aliases = ["actor"]
    /// What it does.
    public static let summary = "A child task per unit in a task group; waits suspend, never block a thread."
    /// Phases and pipelines (stage workers as tasks, connected by queues that suspend).
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]

    /// `blocking_waits`: units block their thread in every wait, item 63's hazard.
    static let blockingWaitsOption = StrategyOption<Bool>(
        "blocking_waits",
        .bool,
        default: false,
        inLabel: .unlessDefault,
        help: "whether units block their thread in every wait instead of suspending, the hazard of item 63"
    )
    /// `blocking_waits`.
    public static let options: [any OptionDeclaration] = [blockingWaitsOption]

    /// A pool lag past this is reported as a warning.
    public static let lagWarning = Duration.milliseconds(50)

    /// Whether units block instead of suspending.
    public let blockingWaits: Bool

    /// `async`, or `async(blocking_waits: true)` when blocking.
    public let label: String

    /// Reads `blocking_waits`.
    public init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        blockingWaits = values[Self.blockingWaitsOption]
        label = values.label(Self.name)
    }

    /// No thread of its own: a task per unit of the largest phase, on threads the process keeps (the
    /// timer shards, or the cooperative pool with `blocking_waits`).
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 0, tasks: context.plan.largestPhase, schedule: .units(concurrency: nil))
    }

    /// A session; tasks need no set-up.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        AsyncSession(blockingWaits: blockingWaits, services: context.services, unitTimings: context.unitTimings)
    }
}

/// Fans a phase out to one child task per unit and gathers the outputs by index.
struct AsyncSession: StrategySession {
    let blockingWaits: Bool
    /// What the units' waits are performed with.
    let services: WaitServices
    /// Where the units report their timings.
    let unitTimings: (any UnitTimings.Sink)?
    private let probe = PoolLagProbe()
    private let blockedSteps = BlockedSteps()
    private let largestPhase = LargestPhase()

    init(blockingWaits: Bool, services: WaitServices, unitTimings: (any UnitTimings.Sink)?) {
        self.blockingWaits = blockingWaits
        self.services = services
        self.unitTimings = unitTimings
    }

    var concurrency: Int? { nil }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        defer { probe.stop() }
        var outputs = [Batch.Unit.Output?](repeating: nil, count: batch.count)
        if blockingWaits {
            // Blocking units stay on the cooperative pool, whose starvation they are there to show.
            largestPhase.record(units: batch.count, threads: UsableCores.count)
            probe.start()
            for (index, output) in try await gather(batch, stride(from: 0, to: batch.count, by: 1)) {
                outputs[index] = output
            }
            return outputs.map { $0! }
        }
        // Suspending units run on the timer shards, each resumed by the thread that times its wait. A
        // group per shard, opened on the shard, sees its children finish in the order they started (at
        // equal latencies): the runtime unlinks a finished child by walking the group's children from
        // the oldest, so one group fed by two threads that drift apart costs time quadratic in the units.
        // A run whose services have no task timers of conlab's (another WaitTimer) runs on the pool.
        guard let shards = services.service(TaskTimers.self)?.shards, !shards.isEmpty else {
            largestPhase.record(units: batch.count, threads: UsableCores.count)
            probe.start()
            for (index, output) in try await gather(batch, stride(from: 0, to: batch.count, by: 1)) {
                outputs[index] = output
            }
            return outputs.map { $0! }
        }
        largestPhase.record(units: batch.count, threads: shards.count)
        probe.start(on: shards)
        // Untraced, each shard's units live in a slab of the batch's (SlabTasks): a contiguous share each.
        if unitTimings?.tracesSlices != true {
            return try await withThrowingTaskGroup(of: (Range<Int>, [Batch.Unit.Output]).self) { group in
                for (number, shard) in shards.enumerated() {
                    let share = (batch.count * number / shards.count)..<(batch.count * (number + 1) / shards.count)
                    group.addTask(executorPreference: shard) { (share, try await gatherInSlab(batch, share)) }
                }
                var outputs = [Batch.Unit.Output]()
                outputs.reserveCapacity(batch.count)
                var parts: [(Range<Int>, [Batch.Unit.Output])] = []
                do {
                    for try await part in group { parts.append(part) }
                } catch {
                    group.cancelAll()
                    throw error
                }
                for (_, part) in parts.sorted(by: { $0.0.lowerBound < $1.0.lowerBound }) {
                    outputs.append(contentsOf: part)
                }
                return outputs
            }
        }
        try await withThrowingTaskGroup(of: [(Int, Batch.Unit.Output)].self) { group in
            for (number, shard) in shards.enumerated() {
                group.addTask(executorPreference: shard) {
                    try await gather(batch, stride(from: number, to: batch.count, by: shards.count))
                }
            }
            do {
                for try await part in group {
                    for (index, output) in part { outputs[index] = output }
                }
            } catch {
                group.cancelAll()
                throw error
            }
        }
        return outputs.map { $0! }
    }

    /// Runs the units at `indices`, a child task each, on the executor the calling task prefers.
    private func gather<Batch: UnitBatch>(
        _ batch: Batch,
        _ indices: StrideTo<Int>
    ) async throws -> [(Int, Batch.Unit.Output)] {
        guard blockingWaits else { return try await gatherSuspending(batch, indices) }
        let blockedSteps = self.blockedSteps
        let services = self.services
        let unitTimings = self.unitTimings
        return try await withThrowingTaskGroup(of: (Int, Batch.Unit.Output).self) { group in
            for index in indices {
                group.addTask {
                    (
                        index,
                        try blockInsideAsync(
                            batch.unit(at: index),
                            using: services,
                            recording: blockedSteps,
                            reportingTo: unitTimings
                        )
                    )
                }
            }
            var part: [(Int, Batch.Unit.Output)] = []
            part.reserveCapacity(indices.underestimatedCount)
            do {
                for try await result in group { part.append(result) }
            } catch {
                group.cancelAll()
                throw error
            }
            return part
        }
    }

    /// Runs the units `share` suspending, a child task each, on the executor the calling task prefers (one
    /// timer shard: a slab's tasks run on one thread at a time), the units in a slab of the batch's.
    private func gatherInSlab<Batch: UnitBatch>(
        _ batch: Batch,
        _ share: Range<Int>
    ) async throws -> [Batch.Unit.Output] {
        let tasks = SlabTasks(
            batch.slab(first: share.lowerBound, count: share.count),
            count: share.count,
            using: services,
            reportingTo: unitTimings
        )
        try await tasks.runAll()
        // Every task has ended: the group's end orders their writes before these reads.
        return tasks.finish()
    }

    /// Runs the units at `indices` suspending, a child task each, on the executor the calling task prefers.
    ///
    /// A million of these tasks wait at once, so each keeps as little as it can while suspended: its unit is made
    /// here, in a ``SteppedUnit``, and the task only runs it and returns nothing, so that no frame of the task
    /// holds a buffer for the generic unit or its output. That kept a task within its first slab of the task
    /// allocator (perf probes on `malloc` and `swift_task_alloc`: 1.8 KB a cell in all, from 3.6 KB).
    private func gatherSuspending<Batch: UnitBatch>(
        _ batch: Batch,
        _ indices: StrideTo<Int>
    ) async throws -> [(Int, Batch.Unit.Output)] {
        let services = self.services
        var units: [(Int, SteppedUnit<Batch.Unit>)] = []
        units.reserveCapacity(indices.underestimatedCount)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in indices {
                let unit = SteppedUnit(batch.unit(at: index), reportingTo: unitTimings)
                units.append((index, unit))
                group.addTask { try await unit.run(using: services) }
            }
            do {
                while try await group.next() != nil {}
            } catch {
                group.cancelAll()
                throw error
            }
        }
        // Every task has ended: the group's end orders their writes before these reads.
        return try units.map { index, unit in (index, try unit.finished()) }
    }

    func metrics() -> [String: Double] {
        let lag = probe.lag
        return ["pool_lag_max_seconds": lag.worst.inSeconds, "pool_lag_mean_seconds": lag.mean.inSeconds]
    }

    func warnings() -> [String] {
        let lag = probe.lag
        let warning = LagWarning(
            worst: lag.worst,
            mean: lag.mean,
            blockingWaits: blockingWaits,
            blockedSteps: blockedSteps.names,
            largestPhase: largestPhase.value
        )
        return warning.message.map { [$0] } ?? []
    }

    /// Stage workers as tasks connected by ``AsyncStageQueue``s, a sentinel per worker to stop them.
    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        let stages = work.stages
        let queues = stages.map { _ in AsyncStageQueue(capacity: work.buffer) }
        let failure = FirstFailure()
        let unitTimings = self.unitTimings
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (stage, spec) in stages.enumerated() {
                let remaining = Countdown(spec.workers)
                for _ in 0..<spec.workers {
                    group.addTask {
                        let clock = ContinuousClock()
                        while case .item(let index, let value, let entered) = try await Self.next(
                            from: queues[stage],
                            discipline: work.discipline
                        ) {
                            guard !failure.isSet else { continue }
                            let started = clock.now
                            do {
                                let next = try await work.unit(stage: stage, item: index, input: value)
                                    .runSuspending(using: services, reportingTo: unitTimings)
                                recorder.busy(stage: stage, clock.now - started)
                                if stage + 1 < stages.count {
                                    try await queues[stage + 1].put(.item(index: index, value: next, entered: entered))
                                } else {
                                    recorder.delivered(item: index, value: next, entered: entered)
                                }
                            } catch let unitFailure as UnitFailure {
                                failure.record(unitFailure)
                            }
                        }
                        if stage + 1 < stages.count,
                            remaining.countDown()
                        {
                            for _ in 0..<stages[stage + 1].workers { try await queues[stage + 1].put(.stop) }
                        }
                    }
                }
            }
            group.addTask {
                let clock = ContinuousClock()
                for item in 0..<work.itemCount {
                    try await queues[0].put(.item(index: item, value: work.source(item: item), entered: clock.now))
                }
                for _ in 0..<(stages.first?.workers ?? 0) { try await queues[0].put(.stop) }
            }
            try await group.waitForAll()
        }
        for (stage, queue) in queues.enumerated() {
            recorder.depth(stage: stage, await queue.maximumDepth)
            let checks = await queue.checks
            recorder.polls(checks.all, empty: checks.empty)
        }
        if let failure = failure.value { throw failure }
    }

    private static func next(
        from queue: AsyncStageQueue,
        discipline: QueueDiscipline
    ) async throws
        -> PipelineEnvelope
    {
        switch discipline {
        case .blocking:
            return try await queue.get()
        case .polling(let interval):
            while true {
                if let envelope = await queue.poll() { return envelope }
                try await Task.sleep(for: interval)
            }
        }
    }
}
