import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Standard output and standard error that cannot be written: closed (`2>&-`), a full device, a pipe
    /// whose reader has gone. conlab never traps on them: a lost message leaves the exit status a failure
    /// already had, lost output of a command that succeeded is an exit 1, and the log still ends whole.
    @Suite("Unwritable output")
    struct UnwritableOutputTests {
        /// Every way a write to a standard stream fails.
        static let failing: [ConlabBinary.Sink] = [.closed, .full, .brokenPipe]

        /// A scenario with one problem, which `validate`, `explain` and `run` report on standard error.
        private static let broken = """
            name: broken
            workload: {kind: life, rows: 0, columns: 9, generations: 1, pattern: {named: glider, at: [0, 0]}}
            strategies: [serial]
            """

        /// Commands that fail, with the status each exits with when its message can be written.
        private static let failures: [(arguments: [String], status: Int32)] = [
            (["validate", "broken.yaml"], 2),
            (["explain", "broken.yaml"], 2),
            (["run", "broken.yaml"], 2),
            (["run", "life-glider.yaml", "--strategies", "nonesuch"], 2),
            (["run", "--no-such-option"], 64),
            (["compare", "missing.jsonl", "missing.jsonl"], 1),
        ]

        @Test(
            "A command that fails keeps its exit status when its message cannot be written",
            arguments: failing,
            failures.indices
        )
        func failureMessage(sink: ConlabBinary.Sink, index: Int) async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try folder.write(Self.broken, to: "broken.yaml")
            try folder.write(String(contentsOfFile: glider, encoding: .utf8), to: "life-glider.yaml")
            let (arguments, status) = Self.failures[index]
            // The message's own status first, with standard error captured: the case below differs only in it.
            let told = try await ConlabBinary.run(arguments, in: folder.url)
            #expect(told.status == status && !told.standardError.isEmpty, "\(told.standardError)")
            let output = try await ConlabBinary.run(
                arguments,
                in: folder.url,
                standardOutput: .captured,
                standardError: sink
            )
            #expect(output.status == status, "\(arguments) with standard error \(sink)")
        }

        @Test(
            "Output of a command that succeeds, lost, is an exit 1 said on standard error",
            arguments: failing,
            [
                ["validate", "scenarios/life-glider.yaml"], ["explain", "scenarios/life-glider.yaml"],
                ["strategies"], ["--help"], ["run", "--help"],
            ]
        )
        func lostOutput(sink: ConlabBinary.Sink, arguments: [String]) async throws {
            let output = try await ConlabBinary.run(arguments, standardOutput: sink, standardError: .captured)
            #expect(output.status == 1, "\(arguments) with standard output \(sink)")
            #expect(output.standardError.contains("cannot write standard output: "), "\(output.standardError)")
        }

        @Test(
            "A run whose summary cannot reach standard error exits 1, and its log on standard output ends with run_finished",
            arguments: failing
        )
        func runSummaryOnStandardError(sink: ConlabBinary.Sink) async throws {
            // With `--log -` the log takes standard output and every line for people goes to standard error.
            let output = try await ConlabBinary.run(
                ["run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies", "serial"]
                    + ["--log", "-"],
                standardOutput: .captured,
                standardError: sink
            )
            #expect(output.status == 1, "standard error \(sink)")
            let events = try LogFile.events(in: output.standardOutput)
            #expect(events.compactMap(\.result).count == 1)
            let last = try #require(
                events.last?.runFinished,
                "the log ends with \(String(describing: events.last?.name))"
            )
            #expect(last.exitStatus == 1)
        }

        @Test(
            "A run whose summary cannot reach standard output exits 1, says why, and its log ends with run_finished",
            arguments: failing
        )
        func runSummaryOnStandardOutput(sink: ConlabBinary.Sink) async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("run.jsonl").path
            let output = try await ConlabBinary.run(
                ["run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies", "serial"]
                    + ["--log", log],
                standardOutput: sink,
                standardError: .captured
            )
            #expect(output.status == 1, "standard output \(sink)")
            #expect(output.standardError.contains("cannot write standard output: "), "\(output.standardError)")
            let events = try LogFile.events(at: log)
            let last = try #require(
                events.last?.runFinished,
                "the log ends with \(String(describing: events.last?.name))"
            )
            #expect(last.exitStatus == 1)
        }

        @Test("Ctrl-C during a run with standard error closed exits 130 and the log ends with run_finished")
        func interruptedWithoutStandardError() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("run.jsonl").path
            // Serial waits 100 ms in each of the glider's 180 cells: the signal comes well before the end.
            let process = try ConlabBinary.start(
                ["run", "scenarios/life-glider.yaml", "--strategies", "serial", "--log", log],
                standardOutput: .captured,
                standardError: .closed
            )
            let outcome = try await Interruption.interrupt(
                process,
                whenLog: log,
                contains: "phase_finished",
                after: .milliseconds(50)
            )
            #expect(outcome.status == 130)
            let events = try LogFile.events(at: log)
            let last = try #require(
                events.last?.runFinished,
                "the log ends with \(String(describing: events.last?.name))"
            )
            #expect(last.interrupted)
            #expect(last.exitStatus == 130)
        }

        private var glider: String {
            ConlabBinary.packageRoot.appendingPathComponent("scenarios/life-glider.yaml").path
        }
    }
}
