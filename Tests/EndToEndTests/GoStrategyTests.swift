import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `go-goroutines` (`Plugins/go`, registered by `strategies/go-goroutines.json`): Go's goroutines on the
    /// same work as conlab's own strategies, checked against the same serial reference, in the same table.
    /// The program is built by its own script (`Plugins/go/build`), as a user builds it.
    @Suite("Go strategy", .enabled(if: GoPrograms.goIsInstalled, "go is not installed"))
    struct GoStrategyTests {
        @Test("conlab-goroutines conforms to the strategy protocol at unbounded concurrency, Life and pipelines")
        func conforms() async throws {
            let program = try GoPrograms.program("conlab-goroutines")
            let output = try await ConlabBinary.run([
                "conform", "--concurrency", "unbounded", "--workloads", "life.generation,pipeline", "--", program.path,
            ])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(
                output.standardOutput.contains(
                    "conlab-goroutines conforms to the strategy protocol, version 1: 10 of 10 cases pass"
                ),
                "\(output.standardOutput)"
            )
        }

        @Test("life-glider under go-goroutines beside Swift's strategies: one table, all correct, none under the floor")
        func oneTable() async throws {
            _ = try GoPrograms.program("conlab-goroutines")
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let labels = ["serial", "thread", "async", "go-goroutines"]
            let scenario = try folder.write(
                try ExternalStrategyTests.glider(strategies: labels.map { "  - \($0)" }.joined(separator: "\n")),
                to: "glider.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            // From the package root, whose strategies/ folder registers the program.
            let output = try await ConlabBinary.run(["run", scenario, "--log", log])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.label) == labels)
            for result in results {
                #expect(result.outcome == .success && result.correct, "\(result.label): \(result.error ?? "")")
                #expect(result.finalGridSHA256 == SeedOutput.finalGliderSHA256, "\(result.label)")
                #expect(result.invalidMeasurement == nil, "\(result.label)")
            }
            let go = try #require(results.last)
            #expect(go.strategy == "external")
            // Unbounded: every cell of a generation waits at once, so the floor is 4 generations × 10 ms, and the
            // goroutines' waits really overlapped, or the 45 cells' 450 ms of waits would show.
            #expect(abs(go.idealSeconds - 0.04) < 1e-6, "ideal \(go.idealSeconds) s")
            #expect(go.phaseSeconds.count == 4)
            #expect(go.phaseSeconds.reduce(0, +) >= go.idealSeconds * 0.999)
            #expect(go.phaseSeconds.reduce(0, +) < 0.45, "phases \(go.phaseSeconds)")
        }

        @Test(
            "item-55's pipelines under go-goroutines beside thread and async: every item and value as serial's, the floor",
            arguments: ["item-55-pipeline-workers", "item-55-pipeline-polling", "item-55-pipeline-buffer"]
        )
        func pipeline(_ scenario: String) async throws {
            _ = try GoPrograms.program("conlab-goroutines")
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let labels = ["serial", "thread", "async", "go-goroutines"]
            let output = try await ConlabBinary.run([
                "run", "scenarios/\(scenario).yaml", "--set", "workload.items=40", "--strategies",
                labels.joined(separator: ","), "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.label) == labels)
            let serial = try #require(results.first)
            let async = try #require(results.dropFirst(2).first)
            for result in results {
                #expect(result.outcome == .success && result.correct, "\(result.label): \(result.error ?? "")")
                #expect(result.resultSHA256 == serial.resultSHA256, "\(result.label)")
                #expect(result.pipeline?.items == 40, "\(result.label)")
                #expect(result.invalidMeasurement == nil, "\(result.label)")
                #expect(result.phaseSeconds.first ?? 0 >= result.idealSeconds * 0.999, "\(result.label)")
            }
            // Unbounded, as async: held to the stages' own workers, the same floor.
            let go = try #require(results.last)
            #expect(go.strategy == "external")
            #expect(go.idealSeconds == async.idealSeconds)
            if scenario == "item-55-pipeline-polling" {
                #expect((go.pipeline?.polls ?? 0) >= 120, "every item checked for in three stages")
            }
        }

        @Test("go-goroutines fails where serial does: at the lowest failing cell, though another failed first")
        func sameFailure() async throws {
            _ = try GoPrograms.program("conlab-goroutines")
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            // As PythonStrategiesTests.sameFailure: in generation 0 cell 15 fails first, serial stops at cell 2.
            let labels = ["serial", "go-goroutines"]
            let scenario = try folder.write(
                try ExternalStrategyTests.glider(strategies: labels.map { "  - \($0)" }.joined(separator: "\n"))
                    .replacingOccurrences(
                        of: "latency: 10ms",
                        with: "latency: {uniform: {min: 1ms, max: 20ms}}\n    failure_rate: 0.1"
                    )
                    .replacingOccurrences(of: "  outcome: success", with: "  outcome: unit_failure")
                    .replacingOccurrences(of: "  final_grid_sha256:", with: "  # final_grid_sha256:"),
                to: "failure.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", scenario, "--log", log])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.label) == labels)
            for result in results {
                #expect(result.outcome == .unitFailure && result.correct, "\(result.label)")
                #expect(result.error == "generation 0, cell (0, 2): I/O in game_logic failed", "\(result.label)")
            }
        }
    }
}
