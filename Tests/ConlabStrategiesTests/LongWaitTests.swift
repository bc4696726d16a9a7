import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Testing

@testable import StrategyLoop

/// The event loop given the longest waits a scenario can ask for: it waits, and stops when cancelled.
@Suite("Waits at the latency limit under the event loop")
struct LongWaitTests {
    @Test(
        "A loop parks units on the longest latencies, heavy tails included, without trapping, and is cancelled",
        arguments: [
            LatencyModel.fixed(.nanoseconds(Int64.max)),
            .fixed(LatencyModel.maximum),
            .pareto(scale: .milliseconds(1), shape: 0.1),
        ]
    )
    func longestWaits(model: LatencyModel) async throws {
        let io = LifeIO(steps: [.gameLogic], model: IOModel(latency: model), random: CounterRandom(seed: 1))
        var grid = LifeGrid(rows: 5, columns: 9)
        grid.set(1, 1, alive: true)
        let workload = LifeWorkload(initial: grid, generations: 1, io: io)
        let batch = workload.batch(phase: 0, from: grid)
        let session = try await LoopStrategy(options: StrategyOptions())
            .makeSession(context: StrategyContext(seed: 1, cores: 2, services: TestServices.waits))
        // Before deadlines saturated, a wait of 2⁶³−1 ns wrapped into the past, was resumed at once and
        // trapped on `now - deadline`; now every unit waits (at most the cap) until the phase is cancelled.
        let phase = Task { try await session.run(batch) }
        try await Task.sleep(for: .milliseconds(300))
        phase.cancel()
        await #expect(throws: CancellationError.self) { _ = try await phase.value }
        await session.close()
    }
}
