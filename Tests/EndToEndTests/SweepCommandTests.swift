import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    @Suite("--sweep")
    struct SweepCommandTests {
        @Test("A sweep of a pool's workers runs every setting, logs each under its own name, and names the best")
        func poolWorkers() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("sweep.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/item-59-life-pool.yaml", "--set", "workload.io.latency=10ms", "--sweep",
                "strategies.0.pool.max_workers=3,9,45", "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let names = try LogFile.results(at: log).map(\.scenario)
            #expect(
                names == [3, 9, 45].map { "item-59-life-pool [strategies.0.pool.max_workers=\($0)]" },
                "\(names)"
            )
            #expect(output.standardOutput.contains("sweep of item-59-life-pool, pool:"))
            // 45 cells a generation: 45 workers wait once, 9 workers 5 times, 3 workers 15 times; the gaps are
            // wide enough that the tests running beside this one cannot reorder them.
            #expect(output.standardOutput.contains("best: strategies.0.pool.max_workers=45"))
            let rows = output.standardOutput.split(separator: "\n").filter {
                $0.hasPrefix("strategies.0.pool.max_workers=")
            }
            #expect(rows.count == 3)
        }

        @Test("A malformed sweep is a usage error")
        func malformed() async throws {
            let output = try await ConlabBinary.run(["run", "scenarios/life-glider.yaml", "--sweep", "workload.rows=5"])
            #expect(output.status == 64)
            #expect(output.standardError.contains("--sweep expects key.path=v1,v2,... with at least two values"))
        }
    }
}
