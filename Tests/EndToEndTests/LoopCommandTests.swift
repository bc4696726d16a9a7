import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The event-loop strategy, run by the built `conlab` on bundled scenarios.
    @Suite("conlab run --strategies loop")
    struct LoopCommandTests {
        @Test("40,000 cells under loop and async: both correct, the same final grid, every unit and wait measured")
        func manyCells() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("run.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-random-100.yaml", "--set", "workload.rows=200", "--set", "workload.columns=200",
                "--set", "strategies=[loop, async]", "--frames", "never", "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.strategy) == ["loop", "async"])
            #expect(results.allSatisfy { $0.correct })
            #expect(Set(results.map(\.finalGridSHA256)).count == 1)
            let loop = try #require(results.first)
            // Two generations of 40,000 cells, each waiting once: every unit and every wait is reported,
            // though the loop hands its reports over in batches.
            let latency = try #require(loop.unitLatency)
            let waitError = try #require(loop.waitError)
            #expect(latency.count == 80_000)
            #expect(waitError.count == 80_000)
            #expect(latency.p50Seconds >= 0.009_999)
            // Two loop threads and the runtime's own, not a thread per cell.
            #expect(loop.peakThreads < 40, "\(loop.peakThreads)")
        }

        @Test("The million-cell scenario is planned as two loop threads and about 46 MiB of parked cells")
        func explainMillion() async throws {
            let output = try await ConlabBinary.run([
                "explain", "scenarios/item-60-life-million.yaml", "--set", "strategies=[loop, async]",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let rows = output.standardOutput.split(separator: "\n").map {
                $0.split(separator: " ", omittingEmptySubsequences: true)
            }
            let loop = try #require(rows.first { $0.first == "loop" })
            #expect(loop.contains("runs"))
            #expect(output.standardOutput.contains("3000000 units in 3 phases, at most 1000000 at once"))
            // 1,000,000 parked cells at 48 bytes, and a loop thread per core at 64 KiB.
            let unit = try #require(loop.firstIndex(of: "MiB"))
            let mebibytes = try #require(Double(loop[unit - 1]))
            #expect(mebibytes > 45 && mebibytes < 47, "\(loop)")
        }
    }
}
