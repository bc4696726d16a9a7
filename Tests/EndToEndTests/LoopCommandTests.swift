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
            let results = try LogFile.events("result", at: log)
            #expect(results.map { $0["strategy"] as? String } == ["loop", "async"])
            #expect(results.allSatisfy { $0["correct"] as? Bool == true })
            #expect(Set(results.map { $0["final_grid_sha256"] as? String }).count == 1)
            let loop = try #require(results.first)
            // Two generations of 40,000 cells, each waiting once: every unit and every wait is reported,
            // though the loop hands its reports over in batches.
            let latency = try #require(loop["unit_latency"] as? [String: Any])
            let waitError = try #require(loop["wait_error"] as? [String: Any])
            #expect(latency["count"] as? Int == 80_000)
            #expect(waitError["count"] as? Int == 80_000)
            #expect((latency["p50_seconds"] as? Double ?? 0) >= 0.009_999)
            // Two loop threads and the runtime's own, not a thread per cell.
            #expect((loop["peak_threads"] as? Int ?? .max) < 40, "\(loop["peak_threads"] ?? "none")")
        }

        @Test("The million-cell scenario is planned as two loop threads and about 200 MB of parked cells")
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
            // 1,000,000 parked cells at 200 bytes, and a loop thread per core at 64 KiB.
            let unit = try #require(loop.firstIndex(of: "MiB"))
            let mebibytes = try #require(Double(loop[unit - 1]))
            #expect(mebibytes > 190 && mebibytes < 192, "\(loop)")
        }
    }
}
