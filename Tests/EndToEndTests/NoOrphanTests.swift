import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    @Suite("Nothing outlives conlab")
    struct NoOrphanTests {
        /// How conlab is ended.
        enum Ending: String, CaseIterable, Sendable {
            case sigint, sigintTwice, sigterm, sigkill

            var signals: [Int32] {
                switch self {
                case .sigint: [SIGINT]
                case .sigintTwice: [SIGINT, SIGINT]
                case .sigterm: [SIGTERM]
                case .sigkill: [SIGKILL]
                }
            }
        }

        /// Sleeping children, each in a process group of its own; under `process`, started by the workers.
        static let scenario = """
            name: sleeping-children
            workload:
              kind: subprocess
              jobs:
                - run: [sleep, "41.5"]
                  count: 6
            strategies: [thread]
            """

        @Test(
            "Whatever signal ends conlab, no worker and no job of the run is left, and the log is valid",
            arguments: ["process", "thread"],
            Ending.allCases
        )
        func nothingLeft(strategy: String, ending: Ending) async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try folder.write(Self.scenario, to: "children.yaml")
            let log = folder.url.appendingPathComponent("log.jsonl").path
            // Every process of the run inherits the marker: conlab, its workers, and their children.
            let marker = "CONLAB_ORPHAN_TEST=\(UUID().uuidString)"
            let process = try ConlabBinary.start(
                ["run", file, "--strategies", strategy, "--log", log, "--quiet"],
                environment: ["CONLAB_ORPHAN_TEST": String(marker.split(separator: "=")[1])]
            )
            for _ in 0..<1500 {
                if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains("run_started") { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            // The marker finds the run's processes: conlab at least.
            #expect(ProcessTable.processes(withEnvironment: marker).contains(process.processIdentifier))
            // A random moment in the run's first second, from a seed shown when the test fails.
            let seed = UInt64(UInt32.random(in: 0...UInt32.max))
            var random = SplitMix(seed: seed)
            let delay = Duration.milliseconds(Int64(random.next() % 1000))
            let outcome = try await Interruption.signal(
                process,
                with: ending.signals,
                whenLog: log,
                contains: "run_started",
                after: delay
            )
            let context = "\(strategy), \(ending), \(delay) after the start (seed \(seed))"
            #expect(outcome.status == (ending == .sigkill ? SIGKILL : 130), "\(context)")
            // Children told to stop may take a moment to be gone; none may still be there after two seconds.
            var left = ProcessTable.processes(withEnvironment: marker)
            for _ in 0..<100 where !left.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                left = ProcessTable.processes(withEnvironment: marker)
            }
            #expect(left.isEmpty, "left running: \(left); \(context)")
            for pid in left { kill(pid, SIGKILL) }
            // Every line is valid; a run that could finish says so.
            let events = try LogFile.events(at: log)
            if ending != .sigkill && ending != .sigintTwice {
                #expect(events.last?.runFinished != nil, "\(context)")
            }
        }
    }
}
