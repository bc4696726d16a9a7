import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabTestSupport
import ConlabToolkit
import ConlabWorkloads
import Synchronization
import Testing

/// What the tailer threads read, by file.
private final class Collected: Sendable {
    let lines = Mutex([Int: TailedLines]())
}

@Suite("Item 62's tailed files")
struct TailWorkloadTests {
    private let workload = TailWorkload(
        files: 4,
        lines: 60,
        pause: .uniform(min: .zero, max: .milliseconds(2)),
        poll: .milliseconds(1),
        timeout: .seconds(30),
        random: CounterRandom(seed: 62)
    )

    private func reference() throws -> TailState {
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let outputs = try (0..<batch.count).map { try batch.unit(at: $0).runInstantly().result.get() }
        return workload.state(after: batch, outputs: outputs)
    }

    @Test("Tasks tailing files that threads write merge every line once, in file order")
    func tasks() async throws {
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let outputs = try await withThrowingTaskGroup(of: (Int, TailedLines).self) { group in
            for index in 0..<batch.count {
                group.addTask {
                    (index, try await batch.unit(at: index).runSuspending(using: TestServices.waits, reportingTo: nil))
                }
            }
            return try await group.reduce(into: [TailedLines?](repeating: nil, count: batch.count)) { $0[$1.0] = $1.1 }
        }
        let state = workload.state(after: batch, outputs: outputs.map { $0! })
        #expect(state.mergeProblem == nil)
        #expect(state == (try reference()))
        #expect(workload.figures(of: state)["lines_merged"] == 240)
    }

    @Test("Threads tailing the files do the same")
    func threads() async throws {
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let outputs = try await OSThread.run(name: "tail-test") { _ in
            let results = Collected()
            let threads = try (0..<batch.count).map { index in
                try OSThread.spawn(name: "tailer-\(index)") {
                    if let read = try? batch.unit(at: index).runBlocking(using: TestServices.waits, reportingTo: nil) {
                        results.lines.withLock { $0[index] = read }
                    }
                }
            }
            for thread in threads { thread.join() }
            return results.lines.withLock { $0 }
        }
        let state = workload.state(after: batch, outputs: (0..<batch.count).compactMap { outputs[$0] })
        #expect(outputs.count == 4)
        #expect(state == (try reference()))
    }

    @Test("A merged output that lost, repeated or reordered a line is named, and unequal to the reference")
    func mergeProblems() throws {
        let reference = try reference()
        var lost = reference
        lost.mergeProblem = "the merged output has 239 lines for 240 written (1 missing, 0 duplicated)"
        #expect(lost != reference)
        #expect(workload.mismatch(lost, expected: reference) == lost.mergeProblem)
        var short = reference
        short.files[2] = TailedLines(["file 2 line 0 0"])
        #expect(workload.mismatch(short, expected: reference) == "file 2: read 1 lines, expected 60")
    }
}
