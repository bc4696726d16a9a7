import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabStrategies
import ConlabTestSupport
import ConlabToolkit
import ConlabWorkloads
import Foundation
import Testing

@testable import StrategyLoop

@Suite("The event-loop strategy")
struct LoopStrategyTests {
    private func session(_ options: StrategyOptions = StrategyOptions()) async throws -> any StrategySession {
        try await LoopStrategy(options: options).makeSession(
            context: StrategyContext(seed: 1, cores: 2, services: TestServices.waits)
        )
    }

    private func random(rows: Int, columns: Int, io: LifeIO) -> (LifeWorkload, LifeGrid) {
        var grid = LifeGrid(rows: rows, columns: columns)
        let random = CounterRandom(seed: 11)
        for y in 0..<rows {
            for x in 0..<columns where random.uniform(UInt64(y), UInt64(x)) < 0.3 { grid.set(y, x, alive: true) }
        }
        return (LifeWorkload(initial: grid, generations: 3, io: io), grid)
    }

    @Test("20,000 cells with random waits in both steps give the serial rules' grids, every wait overlapped")
    func manyCellsOverlap() async throws {
        let io = LifeIO(
            steps: [.countNeighbors, .gameLogic],
            model: IOModel(latency: .exponential(mean: .milliseconds(20))),
            random: CounterRandom(seed: 3)
        )
        let (workload, initial) = random(rows: 100, columns: 200, io: io)
        let session = try await session()
        var state = initial
        let clock = ContinuousClock()
        let started = clock.now
        for phase in 0..<workload.phaseCount {
            let batch = workload.batch(phase: phase, from: state)
            state = workload.state(after: batch, outputs: try await session.run(batch))
            #expect(state == LifeRules.step(batch.grid))
        }
        await session.close()
        // One after another: 3 × 20,000 × 2 waits of 20 ms on average, 40 minutes. Overlapped: well
        // under a second per generation; the bound leaves room for tests running beside this one (under
        // ThreadSanitizer, which took 70 s, it is 450 s: still a fifth of the waits one at a time).
        #expect(clock.now - started < TimingAllowance.scaled(.seconds(30)))
    }

    @Test("Units run on the loop threads, one per loop, and never on the cooperative pool")
    func runsOnLoopThreads() async throws {
        let session = try await session(
            StrategyOptions(["loops": .init(value: .integer(3), location: .unknown)])
        )
        let names = try await session.run(ThreadNameBatch(count: 30))
        await session.close()
        #expect(Set(names) == ["conlab-loop-1", "conlab-loop-2", "conlab-loop-3"])
    }

    @Test("Each loop thread is pinned to a core of its own, in the order of the cores the process may use")
    func pinnedToCores() async throws {
        let allowed = CoreAffinity.ofProcess()
        try #require(!allowed.isEmpty)
        let loops = try (0..<2).map { try EventLoop(name: "conlab-pin-\($0)", core: $0) }
        var cores: [[Int]] = []
        for loop in loops { cores.append(await loop.perform { CoreAffinity.ofCallingThread() }) }
        try await OSThread.run(name: "conlab-pin-stop") { _ in for loop in loops { loop.stop() } }
        // Core i of the allowed ones, counting round when there are fewer cores than loops.
        #expect(cores == (0..<2).map { [allowed[$0 % allowed.count]] })
    }

    @Test("A failing unit stops the phase and is reported; the session runs the next phase")
    func failureIsReported() async throws {
        let grid = LifeGrid(rows: 10, columns: 10)
        let failing = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .fixed(.milliseconds(5)), failureRate: 0.05),
            random: CounterRandom(seed: 1)
        )
        let session = try await session()
        let batch = LifeWorkload(initial: grid, generations: 1, io: failing).batch(phase: 0, from: grid)
        let failingCells = Set(batch.referenceFailures.map(\.coordinates.index))
        #expect(!failingCells.isEmpty)
        do {
            _ = try await session.run(batch)
            Issue.record("the phase did not fail")
        } catch let failure as UnitFailure {
            #expect(failingCells.contains(failure.coordinates.index))
            #expect(failure.step == "game_logic")
        }
        let quiet = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .fixed(.milliseconds(1))),
            random: failing.random
        )
        let next = LifeWorkload(initial: grid, generations: 1, io: quiet).batch(phase: 0, from: grid)
        #expect(try await session.run(next) == Array(repeating: false, count: 100))
        await session.close()
    }

    @Test("A cancelled phase ends at once with CancellationError, not after its waits")
    func cancellation() async throws {
        let grid = LifeGrid(rows: 10, columns: 10)
        let io = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .fixed(.seconds(60))),
            random: CounterRandom(seed: 1)
        )
        let batch = LifeWorkload(initial: grid, generations: 1, io: io).batch(phase: 0, from: grid)
        let session = try await session()
        let task = Task { try await session.run(batch) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let clock = ContinuousClock()
        let cancelled = clock.now
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(clock.now - cancelled < .seconds(30))
        await session.close()
    }

    @Test("Timers leave in deadline order, whether they arrive in order or not")
    func timersInOrder() {
        var timers = LoopTimers(capacity: 16)
        let random = CounterRandom(seed: 9)
        var deadlines: [Int64] = []
        for index in 0..<2000 {
            // Runs of increasing deadlines broken by earlier ones, as mixed latencies give.
            let deadline = index % 7 == 0 ? Int64(random.bits(UInt64(index)) % 5000) : Int64(index * 3)
            deadlines.append(deadline)
            timers.insert(LoopTimer(deadline: deadline, slot: Int32(index)))
        }
        #expect(timers.popDue(at: -1) == nil)
        var popped: [Int64] = []
        while let timer = timers.popDue(at: .max) { popped.append(timer.deadline) }
        #expect(popped == deadlines.sorted())
        #expect(timers.isEmpty)
    }
}
