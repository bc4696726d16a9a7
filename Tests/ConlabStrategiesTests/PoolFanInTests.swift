import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Synchronization
import Testing

@testable import StrategyPool

// A wake-up that never comes fails the test after a minute instead of hanging the run.
@Suite("The pool's fan-in", .timeLimit(.minutes(TimingAllowance.minutes(1))))
struct PoolFanInTests {
    @Test("The fan-in wakes once the last job has finished, not before")
    func wakesAfterTheLastJob() async throws {
        let completion = PhaseCompletion(jobs: 3)
        let flag = WakeFlag()
        let waiter = Task {
            await completion.wait()
            flag.woke.store(true, ordering: .releasing)
        }
        completion.jobFinished(failed: false)
        completion.jobFinished(failed: false)
        try await Task.sleep(for: .milliseconds(30))
        #expect(!flag.hasWoken)
        completion.jobFinished(failed: false)
        await waiter.value
        #expect(flag.hasWoken)
    }

    @Test("A failed job wakes the fan-in at once; an empty phase never waits")
    func failureAndEmptyPhase() async {
        let completion = PhaseCompletion(jobs: 100)
        completion.jobFinished(failed: false)
        completion.jobFinished(failed: true)
        await completion.wait()
        // Later jobs still count down harmlessly.
        completion.jobFinished(failed: false)
        await PhaseCompletion(jobs: 0).wait()
    }

    @Test("A cancelled fan-in stops waiting")
    func cancellation() async {
        let completion = PhaseCompletion(jobs: 1)
        let waiter = Task { await completion.wait() }
        waiter.cancel()
        await waiter.value
    }

    @Test("When a later unit fails first, the error raised is still the first failure in submission order")
    func firstFailureInOrder() async throws {
        // Latencies of 1-30 ms on a pool of 10: later cells often fail before earlier ones.
        let grid = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 6, columns: 10, seed: 0)
        let model = IOModel(
            latency: .uniform(min: .milliseconds(1), max: .milliseconds(30)),
            failureRate: 0.15
        )
        for seed: UInt64 in 1...4 {
            let workload = LifeWorkload(
                initial: grid,
                generations: 1,
                io: LifeIO(steps: [.gameLogic], model: model, random: CounterRandom(seed: seed))
            )
            let batch = workload.batch(phase: 0, from: workload.initialState)
            guard let expected = batch.referenceFailures.first else { continue }
            let type = try #require(BuiltInStrategies.registry.strategy(named: "pool"))
            let session = try await type.init(options: StrategyOptions([:]))
                .makeSession(context: StrategyContext(seed: seed, cores: 2, services: TestServices.waits))
            await #expect(throws: expected) { _ = try await session.run(batch) }
            await session.close()
        }
    }
}

/// Set by the waiting task once it has woken.
private final class WakeFlag: Sendable {
    let woke = Atomic<Bool>(false)
    var hasWoken: Bool { woke.load(ordering: .acquiring) }
}
