import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    @Suite("Item 62 end to end")
    struct TailCommandTests {
        @Test("Files written by threads and tailed by tasks or threads: every line merged once under every strategy")
        func mixed() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("tail.jsonl").path
            let output = try await ConlabBinary.run(["run", "scenarios/item-62-tail-mixed.yaml", "--log", log])
            #expect(output.status == 0, "\(output.standardError)")
            let results = try LogFile.events("result", at: log)
            #expect(results.count == 3)
            for result in results {
                #expect(result["correct"] as? Bool == true)
                #expect((result["workload_metrics"] as? [String: Any])?["lines_merged"] as? Double == 500)
            }
            #expect(output.standardOutput.contains("async: 500 lines merged, each exactly once"))
        }
    }
}
