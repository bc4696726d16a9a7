import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    @Suite("Item 61 end to end")
    struct GuessCommandTests {
        private func run(_ file: String, _ extra: [String] = []) async throws -> (ConlabBinary.Output, [RunResult]) {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("guess.jsonl").path
            let output = try await ConlabBinary.run(["run", file, "--log", log] + extra)
            return (output, try LogFile.results(at: log))
        }

        private func metric(_ result: RunResult, _ name: String) -> Double? {
            result.workloadMetrics[name]
        }

        @Test(
            "The seed's client prints the seed's moves, and both servers agree with the reference",
            arguments: ["threaded", "async"]
        )
        func seedGame(server: String) async throws {
            let (output, results) = try await run("scenarios/item-61-guess-\(server).yaml")
            #expect(output.status == 0, "\(output.standardError)")
            // The moves of the seed's two sessions, as its main() prints them; drawn from seed 61.
            #expect(
                output.standardOutput.contains(
                    """
                    Client: 2 is Unsure
                    Client: 3 is Correct
                    Client: 15 is Unsure
                    Client: 10 is Warmer
                    Client: 13 is Warmer
                    Client: 14 is Colder
                    Client: 12 is Correct
                    """
                )
            )
            #expect(results.count == 3)
            for result in results {
                #expect(result.correct)
                #expect(metric(result, "sessions") == 2)
            }
            #expect(
                results.filter { $0.strategy != "serial" }.allSatisfy {
                    metric($0, "server_connections") == 1
                }
            )
        }

        @Test(
            "Load: 100 clients and three bad peers run clean under both servers and report sessions/s",
            arguments: ["threaded", "async"]
        )
        func load(server: String) async throws {
            // 20 sessions each rather than the file's 100, to keep the cores free for the timing tests beside
            // this one; `conlab run scenarios/` runs the full load.
            let (output, results) = try await run(
                "scenarios/item-61-guess-load-\(server).yaml",
                ["--quiet", "--set", "workload.sessions=20"]
            )
            #expect(output.status == 0, "\(output.standardError)")
            #expect(results.count == 3)
            for result in results {
                #expect(result.correct, "\(result)")
                #expect(metric(result, "sessions") == 2000)
                #expect((metric(result, "sessions_per_second") ?? 0) > 0)
                #expect(metric(result, "server_connections") == 103)
                #expect(metric(result, "server_refusals") == 2)
                let p50 = metric(result, "session_p50_seconds") ?? 0
                let p99 = metric(result, "session_p99_seconds") ?? 0
                #expect(p50 > 0 && p50 <= p99)
            }
        }

        @Test("A conversation that times out fails its run with the client's coordinates and exits 1")
        func timeoutReported() async throws {
            // A 1 ns timeout: no real conversation can finish; the in-memory reference is unaffected.
            let (output, results) = try await run(
                "scenarios/item-61-guess-async.yaml",
                ["--set", "workload.timeout=1ns"]
            )
            #expect(output.status == 1)
            // Every strategy's client fails, is reported where it failed, and counts as wrong.
            #expect(results.count == 3)
            for result in results {
                #expect(result.outcome == .unitFailure)
                #expect(result.correct == false)
                // The server has the same 1 ns patience: either side may give up first.
                let error = result.error ?? ""
                #expect(error.hasPrefix("batch 0, client 0: error in session: "), "\(error)")
            }
        }
    }
}
