import ConlabConformance
import ConlabCore
import ConlabLatency
import ConlabTestSupport
import ConlabToolkit
import ConlabWorkloads
import Foundation
import StrategyNIO
import Synchronization
import Testing

@Suite("The SwiftNIO strategy")
struct NIOStrategyTests {
    private func session(loops: Int? = nil, callbacks: Bool = false) async throws -> any StrategySession {
        var values: [String: StrategyOptions.Entry] = [:]
        if let loops { values["loops"] = .init(value: .integer(loops), location: .unknown) }
        if callbacks { values["timers"] = .init(value: .string("callback"), location: .unknown) }
        return try await NIOStrategy(options: StrategyOptions(values)).makeSession(
            context: StrategyContext(seed: 1, cores: 2, services: TestServices.waits)
        )
    }

    @Test("Units run on the group's event loop threads, a share on each, and none outlives the session")
    func runsOnLoopThreadsAndJoinsThem() async throws {
        let session = try await session(loops: 3)
        let names = Set(try await session.run(ThreadNameBatch(count: 30)))
        #expect(names.count == 3, "\(names)")
        #expect(names.allSatisfy { $0.hasPrefix("NIO-ELT-") }, "\(names)")
        await session.close()
        // shutdownGracefully() has joined the loop threads by the time close() returns. The names carry the
        // group's own number, so threads of other groups (tests running beside this one) do not count.
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        let alive = Set(
            tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        )
        #expect(alive.isDisjoint(with: names), "\(alive.intersection(names)) still running")
    }

    @Test("With its waits as scheduled callbacks instead of tasks, it passes the shared conformance check too")
    func callbacksConform() async throws {
        let strategy = try NIOStrategy(
            options: StrategyOptions(["timers": .init(value: .string("callback"), location: .unknown)])
        )
        #expect(strategy.label == "nio(timers: callback)")
        let problems = await StrategyConformance.problems(of: strategy)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("No modelled wait ends before its deadline, on the clock the unit itself reads", arguments: [false, true])
    func waitsNeverEndEarly(callbacks: Bool) async throws {
        let session = try await session(callbacks: callbacks)
        // Few enough units that the loops are idle when the timers are due: a wait that ended early would
        // show, not hide behind the time the loops take to start a large phase.
        let batch = MarginBatch(count: 60)
        let margins = try await session.run(batch)
        await session.close()
        #expect(margins.count == 60)
        // Every wait lasted at least what was asked: the smallest margin of each unit's three waits.
        #expect(margins.allSatisfy { $0 >= 0 }, "earliest: \(margins.min() ?? 0) ns")
    }

    @Test(
        "A failing unit stops the phase on every loop and is reported; the session runs the next phase",
        arguments: [false, true]
    )
    func failureIsReported(callbacks: Bool) async throws {
        let grid = LifeGrid(rows: 10, columns: 10)
        let failing = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .fixed(.milliseconds(5)), failureRate: 0.05),
            random: CounterRandom(seed: 1)
        )
        let session = try await session(callbacks: callbacks)
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

    @Test(
        "A cancelled phase ends with CancellationError before its waits are due, and no unit resumes after",
        arguments: [false, true]
    )
    func cancellationLeavesNothingRunning(callbacks: Bool) async throws {
        let counter = ResumeCounter()
        let session = try await session(callbacks: callbacks)
        // Waits of 10 s and a bound of 8 s: on a loaded machine the cancellation once took 1.8 s to come back
        // (a full `swift test` beside other builds), and 3.3 s in a full `swift test` alone, where every suite
        // starts at once on two cores; a phase that waited its units out would still take 10 s.
        let batch = CountingBatch(count: 200, wait: .seconds(10), counter: counter)
        let task = Task { try await session.run(batch) }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let clock = ContinuousClock()
        let cancelled = clock.now
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        // Well before the waits were due: the phase did not wait them out.
        #expect(clock.now - cancelled < TimingAllowance.scaled(.seconds(8)))
        // Past every deadline: the cancelled timers never ran a unit on.
        try await Task.sleep(until: cancelled + .milliseconds(10_500), clock: clock)
        #expect(counter.value == 0)
        await session.close()
    }
}

/// Counts units that went on after their wait.
final class ResumeCounter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .acquiring) }
    func add() { count.add(1, ordering: .releasing) }
}

/// Units that each wait once for `wait`, and count themselves when they go on.
struct CountingBatch: UnitBatch {
    let phase = 0
    let count: Int
    let wait: Duration
    let counter: ResumeCounter

    func unit(at index: Int) -> CountingUnit { CountingUnit(index: index, wait: wait, counter: counter) }
}

struct CountingUnit: WorkUnit {
    let index: Int
    let wait: Duration
    let counter: ResumeCounter
    var waited = false

    var coordinates: UnitCoordinates { UnitCoordinates(phase: 0, index: index, phaseName: "phase", name: "\(index)") }

    mutating func advance() -> UnitStep<Bool> {
        guard waited else {
            waited = true
            return .wait(.io(step: "io", draw: IODraw(latency: wait, duration: wait, outcome: .completed)))
        }
        counter.add()
        return .finished(true)
    }
}

/// Units that wait three times, from 1 ms to 3.9 ms by their index, and give the smallest margin by which
/// a wait outlasted what it asked for, in nanoseconds on the monotonic clock: negative if one ended early.
struct MarginBatch: UnitBatch {
    let phase = 0
    let count: Int

    func unit(at index: Int) -> MarginUnit { MarginUnit(index: index) }
}

struct MarginUnit: WorkUnit {
    let index: Int
    var waits = 0
    var asked = Int64(0)
    var since = Int64(0)
    var margin = Int64.max

    var coordinates: UnitCoordinates { UnitCoordinates(phase: 0, index: index, phaseName: "phase", name: "\(index)") }

    mutating func advance() -> UnitStep<Int64> {
        let now = Deadline.now.nanoseconds
        if waits > 0 { margin = min(margin, now - since - asked) }
        guard waits < 3 else { return .finished(margin) }
        waits += 1
        asked = 1_000_000 + Int64((index * 7 + waits * 13) % 30) * 100_000
        since = now
        let duration = Duration.nanoseconds(asked)
        return .wait(.io(step: "io", draw: IODraw(latency: duration, duration: duration, outcome: .completed)))
    }
}
