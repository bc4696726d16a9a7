import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Real strategies, honestly timed, are never below their floor.
    @Suite("The ideal floor, end to end")
    struct MeasurementFloorCommandTests {
        @Test("Every strategy runs the glider at or above its floor: valid, correct, exit 0")
        func realStrategiesValid() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("floor.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=5ms", "--strategies",
                "serial,thread,queue,pool,async,loop,process", "--quiet", "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(!output.standardOutput.contains("INVALID"))
            let results = try LogFile.results(at: log)
            #expect(
                results.map(\.strategy) == [
                    "serial", "thread", "queue", "pool", "async", "loop", "process",
                ]
            )
            for result in results {
                #expect(result.invalidMeasurement == nil, "\(result)")
                #expect(result.correct, "\(result)")
                let ratio = try #require(result.overheadRatio)
                #expect(ratio >= 0.999, "\(result.strategy): \(ratio)")
            }
        }
    }
}
