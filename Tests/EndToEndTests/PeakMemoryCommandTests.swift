import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Peak memory and threads are each strategy run's own, whatever ran before it in the same invocation.
    @Suite("Per-run peaks, end to end")
    struct PeakMemoryCommandTests {
        /// 490,000 cells parked on event loops: some 20 MB that are freed when the run ends (a parked cell holds
        /// about 44 bytes; 90,000 of them no longer stood out from the glider's own peak).
        static let heavy = """
            name: heavy
            seed: 60
            workload:
              kind: life
              rows: 700
              columns: 700
              pattern:
                random: { density: 0.3 }
              generations: 1
              io:
                step: game_logic
                latency: 100ms
            strategies: [loop]
            """

        /// Scenarios that start every shared service thread: the child reactor (subprocesses under async),
        /// the readiness reactor (the async guessing game), and the task timers (a pipeline and Life under
        /// async). Kept, those threads and their stacks counted in every later run's peaks.
        static let threadStarters = [
            "children": """
            name: children
            workload:
              kind: subprocess
              jobs:
                - run: [sleep, "0.05"]
                  count: 3
            strategies: [async]
            """,
            "sockets": """
            name: sockets
            seed: 61
            workload:
              kind: guess
              server: async
              clients: 1
              sessions: 1
            strategies: [async]
            """,
            "timers": """
            name: timers
            seed: 55
            workload:
              kind: pipeline
              items: 50
              buffer: 10
              stages:
                - { name: produce, cpu: 1us }
                - { name: consume, latency: 1ms }
            strategies: [async]
            """,
        ]

        @Test(
            "The glider's peaks after memory-heavy and thread-starting scenarios match its peaks alone, and compare sees no regression",
            .disabled(
                if: TimingAllowance.underThreadSanitizer,
                "under TSan the resident set is mostly TSan's own allocator and shadow memory, which conlab's reset cannot return"
            )
        )
        func gliderAfterOthers() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            var earlier: [String] = []
            for (name, text) in [("heavy", Self.heavy)] + Self.threadStarters.sorted(by: { $0.key < $1.key }) {
                let path = folder.url.appendingPathComponent("\(name).yaml").path
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                earlier.append(path)
            }
            let alone = folder.url.appendingPathComponent("alone.jsonl").path
            let after = folder.url.appendingPathComponent("after.jsonl").path
            let first = try await ConlabBinary.run(
                ["run", "scenarios/life-glider.yaml", "--quiet", "--log", alone]
            )
            #expect(first.status == 0, "\(first.standardError)")
            let second = try await ConlabBinary.run(
                ["run"] + earlier + ["scenarios/life-glider.yaml", "--quiet", "--log", after]
            )
            #expect(second.status == 0, "\(second.standardError)")

            let heavyPeak = try #require(try LogFile.results(at: after).first { $0.scenario == "heavy" }?.peakRSSBytes)
            let lonePeaks = try Self.peaks(of: "life-glider", at: alone)
            let laterPeaks = try Self.peaks(of: "life-glider", at: after)
            #expect(lonePeaks.keys.sorted() == ["async", "serial"])
            #expect(laterPeaks.keys.sorted() == lonePeaks.keys.sorted())
            for (strategy, lone) in lonePeaks {
                let later = try #require(laterPeaks[strategy])
                // The heavy run's peak is well above the glider's, so an inherited high-water mark shows.
                #expect(Double(heavyPeak) > 1.3 * Double(lone.rss), "heavy \(heavyPeak), glider \(lone.rss)")
                #expect(
                    abs(Double(later.rss) / Double(lone.rss) - 1) < 0.10,
                    "\(strategy): \(later.rss) vs \(lone.rss)"
                )
                // The Dispatch pool's own threads come and go by themselves: one either way is theirs.
                #expect(
                    abs(later.threads - lone.threads) <= 1,
                    "\(strategy): \(later.threads) vs \(lone.threads) threads"
                )
            }

            // Within the 10 %, memory and threads must not be called a regression.
            let comparison = try await ConlabBinary.run(["compare", alone, after, "--threshold", "10%"])
            let memoryRows = comparison.standardOutput.split(separator: "\n").filter { $0.contains("peak_rss_bytes") }
            #expect(memoryRows.count == 2, "\(comparison.standardOutput)")
            #expect(memoryRows.allSatisfy { !$0.contains("regression") }, "\(comparison.standardOutput)")
        }

        private static func peaks(of scenario: String, at log: String) throws -> [String: (rss: Int, threads: Int)] {
            var peaks: [String: (rss: Int, threads: Int)] = [:]
            for result in try LogFile.results(at: log) where result.scenario == scenario {
                peaks[result.strategy] = (result.peakRSSBytes, result.peakThreads)
            }
            return peaks
        }
    }
}
