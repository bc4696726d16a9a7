import ConlabCore
import ConlabLatency
import ConlabWorkloads
import Synchronization

/// Cancellation: what Ctrl-C does to a run in progress.
extension StrategyConformance {
    /// How long a cancelled phase or pipeline may take to end.
    static let cancellationLimit = Duration.seconds(1)

    /// A phase of units that each wait 100 ms, at least 30 rounds of them at the concurrency the strategy's
    /// estimate states (45 units when it runs all at once), and for strategies that run pipelines 40 items
    /// through two stages of 100 ms waits with a worker each (4.1 s), each cancelled 150 ms in, end within
    /// a second of the cancellation: the strategy starts no unit after it, and the units in flight end with
    /// their waits. Ending normally is fine (a thread per unit is done after 100 ms); running on is not.
    /// The kit gives up watching after ten seconds.
    static func cancellationProblems(
        of strategy: any Strategy,
        workerExecutable: String,
        services: WaitServices
    ) async -> [String] {
        let wait = IOModel(latency: .fixed(.milliseconds(100)))
        // Long enough at the strategy's own concurrency that running on shows: 30 rounds of waits.
        let stated = strategy.estimate(
            context: StrategyContext(seed: 5, cores: 2, plan: WorkPlan(phases: 1, largestPhase: 45), services: services)
        )
        let width: Int =
            switch stated.schedule {
            case .units(let concurrency): concurrency ?? 1
            case .stages(let workers): workers
            }
        let columns = min(max(9, (30 * width + 4) / 5), 600)
        let life = LifeWorkload(
            initial: LifePattern.random(density: 0.3).grid(rows: 5, columns: columns, seed: 1),
            generations: 1,
            io: LifeIO(steps: [.gameLogic], model: wait, random: CounterRandom(seed: 5))
        )
        let batch = life.batch(phase: 0, from: life.initialState)
        var problems: [String] = []
        if let problem = await cancellationProblem(
            of: strategy,
            running: "a phase of \(batch.count) waits of 100 ms",
            largestPhase: batch.count,
            workerExecutable: workerExecutable,
            services: services,
            { session in _ = try await session.run(batch) }
        ) {
            problems.append(problem)
        }
        guard type(of: strategy).supportedShapes.contains(.pipeline) else { return problems }
        let pipeline = PipelineWorkload(
            itemCount: 40,
            work: [
                .init(stage: PipelineStage(name: "fetch", workers: 1), io: wait),
                .init(stage: PipelineStage(name: "store", workers: 1), io: wait),
            ],
            buffer: 1,
            discipline: .blocking,
            random: CounterRandom(seed: 6)
        )
        if let problem = await cancellationProblem(
            of: strategy,
            running: "a pipeline of 40 items through two stages of 100 ms waits",
            largestPhase: 2,
            workerExecutable: workerExecutable,
            services: services,
            { session in try await session.runPipeline(pipeline, recorder: PipelineRecorder(items: 40, stages: 2)) }
        ) {
            problems.append(problem)
        }
        return problems
    }

    /// Runs `body` on a new session in a task of its own, cancels that task 150 ms in, and watches for its
    /// end: the problem, or `nil` when it ended within ``cancellationLimit``.
    private static func cancellationProblem(
        of strategy: any Strategy,
        running what: String,
        largestPhase: Int,
        workerExecutable: String,
        services: WaitServices,
        _ body: @escaping @Sendable (any StrategySession) async throws -> Void
    ) async -> String? {
        let label = strategy.label
        let session: any StrategySession
        do {
            session = try await strategy.makeSession(
                context: StrategyContext(
                    seed: 5,
                    cores: 2,
                    plan: WorkPlan(phases: 1, largestPhase: largestPhase),
                    workerExecutable: workerExecutable,
                    services: services
                )
            )
        } catch {
            return "\(label): a session for \(what) could not be made: \(error)"
        }
        // Polled, not awaited: a strategy that ignores its cancellation must fail the check, not hold it.
        let ended = Atomic<Bool>(false)
        let running = Task {
            defer { ended.store(true, ordering: .releasing) }
            try? await body(session)
        }
        try? await Task.sleep(for: .milliseconds(150))
        let clock = ContinuousClock()
        let cancelled = clock.now
        running.cancel()
        while !ended.load(ordering: .acquiring) && clock.now - cancelled < .seconds(10) {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let took = clock.now - cancelled
        guard ended.load(ordering: .acquiring) else {
            // Still running: closing the session under it would be a second fault.
            return "\(label): \(what), cancelled, was still running \(took) after the cancellation"
        }
        await session.close()
        guard took <= cancellationLimit else {
            return "\(label): \(what), cancelled, ended \(took) after the cancellation, over a second: it starts "
                + "units after it is cancelled"
        }
        return nil
    }
}
