import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The SwiftNIO strategy, run by the built `conlab` beside loop, async and thread on bundled scenarios.
    @Suite("conlab run --strategies nio")
    struct NIOCommandTests {
        /// Runs `arguments` with a log, and returns the output and the log's results.
        private func run(_ arguments: [String]) async throws -> (ConlabBinary.Output, [RunResult]) {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("run.jsonl").path
            let output = try await ConlabBinary.run(arguments + ["--frames", "never", "--log", log])
            return (output, try LogFile.results(at: log))
        }

        @Test("The glider under loop, async, thread and nio: one table, every result correct, no wait cut short")
        func glider() async throws {
            let (output, results) = try await run([
                "run", "scenarios/life-glider.yaml", "--set", "strategies=[loop, async, thread, nio]",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            #expect(results.map(\.strategy) == ["loop", "async", "thread", "nio"])
            #expect(results.allSatisfy { $0.correct })
            #expect(Set(results.map(\.finalGridSHA256)).count == 1)
            let table = output.standardOutput.split(separator: "\n")
            #expect(table.contains { $0.hasPrefix("nio ") && $0.hasSuffix("yes") }, "\(output.standardOutput)")
            let nio = try #require(results.last)
            // 4 generations of 45 cells, each waiting 100 ms once: every unit and every wait reported, and a
            // generation no shorter than its wait (the floor check would have failed the run).
            #expect(nio.unitLatency?.count == 180)
            #expect(nio.waitError?.count == 180)
            #expect(nio.phaseSeconds.allSatisfy { $0 >= 0.1 }, "\(nio.phaseSeconds)")
        }

        @Test("A pipeline under async, thread and nio: every item delivered with the same values")
        func pipeline() async throws {
            let (output, results) = try await run([
                "run", "scenarios/item-55-pipeline-buffer.yaml", "--set", "workload.items=200",
                "--set", "strategies=[async, thread, nio]",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            #expect(results.map(\.strategy) == ["async", "thread", "nio"])
            #expect(results.allSatisfy { $0.correct })
            #expect(Set(results.map(\.resultSHA256)).count == 1)
            let nio = try #require(results.last?.pipeline)
            #expect(nio.items == 200, "\(nio)")
            #expect(nio.maxQueueDepth.values.allSatisfy { $0 <= 1 }, "a buffer of one held more: \(nio)")
        }

        @Test("item 60's scenario, made small, under loop, async, thread and nio: the same final grid")
        func lifeMillionSmall() async throws {
            let (output, results) = try await run([
                "run", "scenarios/item-60-life-million.yaml", "--set", "workload.rows=30", "--set",
                "workload.columns=30", "--set", "workload.io.latency=20ms", "--set", "expect={}",
                "--set", "strategies=[loop, async, thread, nio]",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            #expect(results.map(\.strategy) == ["loop", "async", "thread", "nio"])
            #expect(results.allSatisfy { $0.correct })
            #expect(Set(results.map(\.finalGridSHA256)).count == 1)
            // 3 generations of 900 cells: the group's loop threads (one a core), not a thread per cell as under
            // `thread`, which in the same run peaked at hundreds.
            let nio = try #require(results.last)
            let thread = try #require(results.dropLast().last)
            #expect(nio.unitLatency?.count == 2700)
            let cores = ProcessInfo.processInfo.activeProcessorCount
            #expect(nio.peakThreads < 3 * cores + 30, "\(nio.peakThreads)")
            #expect(nio.peakThreads * 4 < thread.peakThreads, "nio \(nio.peakThreads), thread \(thread.peakThreads)")
        }
    }
}
