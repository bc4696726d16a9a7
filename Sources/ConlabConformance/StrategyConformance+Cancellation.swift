import ConlabCore
import ConlabLatency
import ConlabWorkloads
import Synchronization

/// Cancellation: what Ctrl-C does to a run in progress.
extension StrategyConformance {
    /// How long a cancelled phase may take to end.
    static let cancellationLimit = Duration.seconds(1)

    /// A phase of 45 units that each wait 100 ms (4.5 s one after another), its task cancelled 150 ms in,
    /// ends within a second of the cancellation: the strategy starts no unit after it, and the units in
    /// flight end with their waits. Ending normally is fine (a thread per unit is done after 100 ms);
    /// running on is not. The kit gives up watching after ten seconds.
    static func cancellationProblems(
        of strategy: any Strategy,
        workerExecutable: String,
        services: WaitServices
    ) async -> [String] {
        let glider = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 1)
        let io = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .fixed(.milliseconds(100))),
            random: CounterRandom(seed: 5)
        )
        let workload = LifeWorkload(initial: glider, generations: 1, io: io)
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let label = strategy.label
        let session: any StrategySession
        do {
            session = try await strategy.makeSession(
                context: StrategyContext(
                    seed: 5,
                    cores: 2,
                    plan: WorkPlan(phases: 1, largestPhase: batch.count),
                    workerExecutable: workerExecutable,
                    services: services
                )
            )
        } catch {
            return ["\(label): a session for 45 waits could not be made: \(error)"]
        }
        let ended = Atomic<Bool>(false)
        let running = Task {
            defer { ended.store(true, ordering: .releasing) }
            _ = try? await session.run(batch)
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
            return [
                "\(label): a cancelled phase of 45 waits of 100 ms was still running \(took) after the cancellation"
            ]
        }
        await session.close()
        guard took <= cancellationLimit else {
            return [
                "\(label): a cancelled phase of 45 waits of 100 ms ended \(took) after the cancellation, "
                    + "over a second: it starts units after it is cancelled"
            ]
        }
        return []
    }
}
