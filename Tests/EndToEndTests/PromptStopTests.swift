import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    @Suite("Ctrl-C stops every strategy at once")
    struct PromptStopTests {
        /// Every unit waits 15 s: a run that lets the units in flight finish their waits takes 13 s and more
        /// to stop (serial, thread, queue), or the rest of the generation (pool), or does not stop (process).
        static let scenario = """
            name: fifteen-second-waits
            seed: 1
            workload:
              kind: life
              rows: 5
              columns: 9
              pattern:
                named: glider
                at: [0, 2]
              generations: 4
              io:
                step: game_logic
                latency: 15s
            strategies: [serial]
            """

        @Test(
            "SIGINT during 15 s waits: exit 130 within seconds, the run logged as interrupted",
            arguments: ["serial", "thread", "queue", "pool", "async", "loop", "process"]
        )
        func stopsWithinSeconds(strategy: String) async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try folder.write(Self.scenario, to: "waits.yaml")
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let process = try ConlabBinary.start(["run", file, "--strategies", strategy, "--log", log, "--quiet"])
            // A second after the run started, every strategy is well inside its first 15 s waits.
            let outcome = try await Interruption.interrupt(
                process,
                whenLog: log,
                contains: "run_started",
                after: .seconds(1)
            )
            // Stopping takes about 0.1 s; the bound leaves room for a debug build on a loaded machine.
            #expect(outcome.secondsToExit < 4, "\(strategy) took \(outcome.secondsToExit) s to stop")
            #expect(outcome.status == 130)
            let events = try LogFile.events(at: log)
            let results = events.compactMap(\.result)
            #expect(results.map(\.outcome) == [.interrupted], "\(results)")
            let finished = try #require(
                events.last?.runFinished,
                "the log ends with \(String(describing: events.last?.name))"
            )
            #expect(finished.interrupted)
            #expect(finished.exitStatus == 130)
        }
    }
}
