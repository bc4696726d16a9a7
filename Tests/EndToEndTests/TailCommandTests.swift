import ConlabLog
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
            let results = try LogFile.results(at: log)
            #expect(results.count == 3)
            for result in results {
                #expect(result.correct)
                #expect(result.workloadMetrics["lines_merged"] == 500)
            }
            #expect(output.standardOutput.contains("async: 500 lines merged, each exactly once"))
        }

        /// Writers that pause 300 ms before each line: the run is slow enough to watch, and with `timeout`
        /// short, every tailer gives up long before its writer is done.
        static func slowScenario(timeout: String) -> String {
            """
            name: tail-slow
            workload:
              kind: tail
              files: 3
              lines: 5
              pause: 300ms
              poll: 5ms
              timeout: \(timeout)
            strategies: [serial]
            """
        }

        /// How a run of the slow scenario ends.
        enum Ending: String, CaseIterable, Sendable {
            /// Its tailers time out: the run fails (exit 1).
            case timeout
            /// SIGINT while the files are being written.
            case sigint
        }

        @Test("The files go to $TMPDIR, with no name: nothing to remove, whatever ends the run")
        func temporaryFolder() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let temporary = folder.url.appendingPathComponent("tmp").path
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let file = try folder.write(Self.slowScenario(timeout: "60s"), to: "slow.yaml")
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let marker = "CONLAB_TAIL_TEST=\(UUID().uuidString)"
            let process = try ConlabBinary.start(
                ["run", file, "--strategies", "async", "--log", log, "--quiet"],
                environment: ["TMPDIR": temporary, "CONLAB_TAIL_TEST": String(marker.split(separator: "=")[1])]
            )
            // A second into the run, the writers are on their second or third line.
            let (status, footprint) = try await RunFootprint.watch(
                process,
                marker: marker,
                folders: [temporary, "/tmp"],
                keeping: [log],
                whenLog: log,
                contains: "run_started",
                after: .seconds(1),
                signals: [SIGINT]
            )
            #expect(status == 130)
            // Three files and the merged output, each open in $TMPDIR and without a name from the start.
            let inTemporary = footprint.anonymousFiles.filter { $0.hasPrefix(temporary + "/") }
            #expect(inTemporary.count >= 4, "open in $TMPDIR: \(footprint.anonymousFiles)")
            #expect(footprint.files.isEmpty, "files with a name: \(footprint.files)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        }

        @Test(
            "Nothing is left after a timeout or an interrupt, under every strategy that tails",
            arguments: ["serial", "thread", "queue", "pool", "async", "loop"],
            Ending.allCases
        )
        func nothingLeft(strategy: String, ending: Ending) async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let temporary = folder.url.appendingPathComponent("tmp").path
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let file = try folder.write(
                Self.slowScenario(timeout: ending == .timeout ? "400ms" : "60s"),
                to: "slow.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let marker = "CONLAB_TAIL_TEST=\(UUID().uuidString)"
            let process = try ConlabBinary.start(
                ["run", file, "--strategies", strategy, "--log", log, "--quiet"],
                environment: ["TMPDIR": temporary, "CONLAB_TAIL_TEST": String(marker.split(separator: "=")[1])]
            )
            // Every file a process of the run holds under $TMPDIR or /tmp is recorded while it runs: one
            // still there afterwards was left behind, wherever it was made.
            let (status, footprint) = try await RunFootprint.watch(
                process,
                marker: marker,
                folders: [temporary, "/tmp"],
                keeping: [log],
                whenLog: log,
                contains: "run_started",
                after: .milliseconds(700),
                signals: ending == .sigint ? [SIGINT] : []
            )
            #expect(status == (ending == .sigint ? 130 : 1), "\(strategy), \(ending)")
            #expect(footprint.leftovers(marker: marker).isEmpty, "\(strategy), \(ending)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty, "\(strategy), \(ending)")
            let results = try LogFile.results(at: log)
            let expected = ending == .sigint ? "interrupted" : "unit_failure"
            #expect(results.map(\.outcome.rawValue) == [expected], "\(strategy), \(ending)")
        }
    }
}
