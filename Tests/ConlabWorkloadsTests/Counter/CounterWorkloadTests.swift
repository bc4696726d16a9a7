import ConlabCore
import ConlabIO
import ConlabTestSupport
import ConlabToolkit
import ConlabWorkloads
import Testing

@Suite("Item 54's shared counter")
struct CounterWorkloadTests {
    /// Runs every worker of a batch on a thread of its own, all at once, and returns the tally.
    private func race(
        _ sync: CounterWorkload.Sync,
        workers: Int = 4,
        increments: Int = 200_000
    ) async throws
        -> CounterTally
    {
        let workload = CounterWorkload(workers: workers, increments: increments, sync: sync)
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let outputs = try await OSThread.run(name: "counter-race") { _ in
            let threads = try (0..<batch.count).map { index in
                try OSThread.spawn(name: "counter-\(index)") {
                    _ = try? batch.unit(at: index).runBlocking(using: TestServices.waits, reportingTo: nil)
                }
            }
            for thread in threads { thread.join() }
            return Array(repeating: increments, count: workers)
        }
        return workload.state(after: batch, outputs: outputs)
    }

    @Test(
        "lock, atomic and actor are exact however the workers interleave",
        arguments: [CounterWorkload.Sync.lock, .atomic, .actor]
    )
    func exact(sync: CounterWorkload.Sync) async throws {
        // Actor increments run on the cooperative pool, which they keep busy while they last: fewer of
        // them, so the tests beside this one are not starved of it.
        let increments = sync == .actor ? 20_000 : 200_000
        let tally = try await race(sync, increments: increments)
        #expect(tally.expected == 4 * increments)
        #expect(tally.found == 4 * increments)
        #expect(tally.lostUpdates == 0)
    }

    @Test("none is exact when one worker runs at a time")
    func serialNone() throws {
        let workload = CounterWorkload(workers: 3, increments: 10_000, sync: .none)
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let outputs = try (0..<batch.count).map { try batch.unit(at: $0).runInstantly().result.get() }
        #expect(workload.state(after: batch, outputs: outputs).found == 30_000)
    }

    @Test("With sync: actor, suspending workers send every increment to the actor and the count is exact")
    func actorFromTasks() async throws {
        let workload = CounterWorkload(workers: 6, increments: 10_000, sync: .actor)
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let outputs = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<batch.count {
                group.addTask {
                    try await batch.unit(at: index).runSuspending(using: TestServices.waits, reportingTo: nil)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let tally = workload.state(after: batch, outputs: outputs)
        #expect(tally == CounterTally(expected: 60_000, found: 60_000, racy: false))
    }

    @Test("The serial reference of sync: actor counts without an actor and is exact")
    func actorReference() throws {
        let workload = CounterWorkload(workers: 3, increments: 1000, sync: .actor)
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let outputs = try (0..<batch.count).map { try batch.unit(at: $0).runInstantly().result.get() }
        #expect(workload.state(after: batch, outputs: outputs).found == 3000)
    }

    @Test("A racy tally equals the reference on the work done; a protected one only with the exact count")
    func tallyEquality() {
        #expect(CounterTally(expected: 10, found: 7, racy: true) == CounterTally(expected: 10, found: 10, racy: true))
        #expect(CounterTally(expected: 10, found: 7, racy: false) != CounterTally(expected: 10, found: 10, racy: false))
        #expect(CounterTally(expected: 9, found: 9, racy: true) != CounterTally(expected: 10, found: 10, racy: true))
        let workload = CounterWorkload(workers: 1, increments: 1, sync: .none)
        #expect(workload.figures(of: CounterTally(expected: 10, found: 7, racy: true))["lost_updates"] == 3)
    }
}
