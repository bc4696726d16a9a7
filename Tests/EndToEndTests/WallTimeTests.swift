import ConlabCore
import ConlabLog
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Testing

extension EndToEnd {
    @Suite("Wall time against /usr/bin/time")
    struct WallTimeTests {
        @Test("A multi-second run's process_seconds agrees within 2 % with /usr/bin/time on the same process")
        func agreesWithTime() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("run.jsonl").path
            let elapsedFile = folder.url.appendingPathComponent("elapsed").path
            // One strategy, 4.5 s of serial waits. conlab counts the process's life from the kernel's record
            // of its start, as /usr/bin/time does; only the exit after the last log line is left out.
            let status = try await OSThread.run(name: "time-test") { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
                process.arguments = [
                    "-f", "%e", "-o", elapsedFile, ConlabBinary.executable.path, "run", "scenarios/life-glider.yaml",
                    "--strategies", "serial", "--set", "workload.io.latency=25ms", "--log", log, "--quiet",
                ]
                process.currentDirectoryURL = ConlabBinary.packageRoot
                try process.run()
                process.waitUntilExit()
                return process.terminationStatus
            }
            #expect(status == 0)
            let elapsed = try #require(
                Double(
                    String(contentsOfFile: elapsedFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                )
            )
            let finished = try #require(try LogFile.runFinished(at: log))
            let process = try #require(finished.processSeconds)
            let result = try #require(try LogFile.results(at: log).first)
            // The strategy's own wall time is a part of the process's.
            #expect(
                4.5 < result.wallSeconds
                    && result.wallSeconds < process
            )
            // /usr/bin/time reports hundredths of a second, /proc ticks of 10 ms.
            #expect(abs(elapsed - process) <= 0.02 * elapsed + 0.02, "conlab \(process) s, /usr/bin/time \(elapsed) s")
        }
    }
}
