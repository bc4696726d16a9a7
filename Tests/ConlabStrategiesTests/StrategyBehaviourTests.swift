import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Foundation
import Testing

@Suite("How serial and async wait")
struct StrategyBehaviourTests {
    private func session(_ name: String) async throws -> any StrategySession {
        let type = try #require(BuiltInStrategies.registry.strategy(named: name))
        return try await type.init(options: StrategyOptions()).makeSession(
            context: StrategyContext(seed: 1, cores: 2, services: TestServices.waits)
        )
    }

    private func generation(cells: Int, latency: Duration) -> LifeGeneration {
        let grid = LifeGrid(rows: 1, columns: cells)
        let io = LifeIO(steps: [.gameLogic], model: IOModel(latency: .fixed(latency)), random: CounterRandom(seed: 1))
        return LifeWorkload(initial: grid, generations: 1, io: io).batch(phase: 0, from: grid)
    }

    @Test("Serial waits one unit after another")
    func serialIsSerial() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        _ = try await session("serial").run(generation(cells: 10, latency: .milliseconds(20)))
        #expect(clock.now - started >= .milliseconds(200))
    }

    @Test("Serial blocks a thread of its own, never one of the cooperative pool")
    func serialLeavesThePoolFree() async throws {
        // Each unit records the name of the thread that computes it: the pool's threads are unnamed
        // dispatch workers, serial's is conlab-serial. (A lag measurement would say the same, but tests
        // running beside this one load the pool and make it unreliable.)
        let names = try await session("serial").run(ThreadNameBatch(count: 5))
        #expect(names == Array(repeating: "conlab-serial", count: 5))
    }

    @Test("Async overlaps every wait: 2,000 units of 100 ms take far less than 2,000 × 100 ms")
    func asyncOverlaps() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let outputs = try await session("async").run(generation(cells: 2000, latency: .milliseconds(100)))
        let elapsed = clock.now - started
        #expect(outputs.count == 2000)
        // Waited one after another this would take 200 s; overlapped, about 0.1 s. Tests run in parallel
        // here, so the bound is generous; thread counts are checked from outside, in EndToEndTests.
        // Sync tests running beside this one can hold both pool threads for seconds: a clean CI run took
        // 12 s while every unit test of the suite started at once (they all reported about 16 s). 40 s is
        // still a fifth of the waits one at a time. Under ThreadSanitizer the bound is 150 s, still under 200.
        #expect(elapsed < min(TimingAllowance.scaled(.seconds(40)), .seconds(150)), "\(elapsed)")
    }

    @Test("Async cancels the rest of a phase when a unit fails, and reports that unit")
    func asyncFailure() async throws {
        let grid = LifeGrid(rows: 4, columns: 4)
        let io = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .fixed(.milliseconds(5)), failureRate: 1),
            random: CounterRandom(seed: 1)
        )
        let batch = LifeWorkload(initial: grid, generations: 1, io: io).batch(phase: 0, from: grid)
        await #expect {
            _ = try await session("async").run(batch)
        } throws: { error in
            guard let failure = error as? UnitFailure else { return false }
            return failure.coordinates.phase == 0 && failure.step == "game_logic" && failure.reason == .ioFailed
        }
    }
}
