import ConlabCore
import ConlabLog
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension EndToEnd {
    /// The two reproductions of issue 17's time overflow, on the built binary.
    @Suite("Latencies at the limit, end to end")
    struct TimeOverflowCommandTests {
        @Test("A latency above 1000h is refused before the run, with the limit named, instead of trapping")
        func hugeLatencyRefused() async throws {
            let errors = Pipe()
            let process = try ConlabBinary.start(
                [
                    "run", "scenarios/life-glider.yaml", "--strategies", "loop", "--set",
                    "workload.io.latency=2562047h", "--quiet", "--log", "/dev/null",
                ],
                errors: errors
            )
            // Before the limit the run either trapped or waited for 292 years: stop it rather than hang.
            let exited = try await OSThread.run(name: "overflow-watch") { _ in
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(20)
                while process.isRunning && clock.now < deadline { BlockingSleep.sleep(for: .milliseconds(10)) }
                guard process.isRunning else { return true }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return false
            }
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(exited, "still running after 20 s")
            #expect(process.terminationStatus == 2, "\(message)")
            #expect(message.contains("workload.io.latency: expected a duration of at most 1000h"), "\(message)")
        }

        @Test("A pareto latency with shape 0.1 runs under loop, its draws capped, until interrupted: exit 130")
        func heavyTailRuns() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("pareto.jsonl").path
            let process = try ConlabBinary.start([
                "run", "scenarios/life-glider.yaml", "--strategies", "loop", "--set",
                "workload.io.latency={pareto: {scale: 1ms, shape: 0.1}}", "--quiet", "--log", log,
            ])
            // Half the draws are above a second and some reach the cap: the run is still waiting a second in.
            let outcome = try await Interruption.interrupt(
                process,
                whenLog: log,
                contains: "run_started",
                after: .seconds(1)
            )
            #expect(outcome.status == 130)
            let events = try LogFile.events(at: log)
            let result = try #require(events.lazy.compactMap(\.result).first)
            #expect(result.outcome == .interrupted)
            let finished = try #require(
                events.last?.runFinished,
                "the log ends with \(String(describing: events.last?.name))"
            )
            #expect(finished.exitStatus == 130)
        }
    }
}
