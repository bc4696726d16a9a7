import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

/// Whether `python3` is in `PATH`: the strategies under test are Python programs. Outside the suite, whose
/// condition reads it before the suite exists.
private let pythonIsInstalled = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }

extension EndToEnd {
    /// The book's strategies in Python (`Plugins/python`, registered by `strategies/python-*.json`), run by
    /// conlab on the same work as its own and checked against the same serial reference.
    @Suite("Python strategies", .enabled(if: pythonIsInstalled, "python3 is not installed"))
    struct PythonStrategiesTests {
        /// A bundled Python strategy, and the floor its manifest's `concurrency` gives the shortened glider.
        struct Program: Sendable, CustomTestStringConvertible {
            var name: String
            /// 4 generations of 45 cells, each waiting 10 ms: 4 × ⌈45 / concurrency⌉ × 10 ms.
            var idealSeconds: Double
            var testDescription: String { name }
        }

        static let programs: [Program] = [
            Program(name: "python-thread", idealSeconds: 0.04),
            Program(name: "python-queue", idealSeconds: 0.2),
            Program(name: "python-pool", idealSeconds: 0.2),
            Program(name: "python-asyncio", idealSeconds: 0.04),
            Program(name: "python-process", idealSeconds: 0.48),
        ]

        @Test(
            "life-glider under each Python strategy: correct, and never under the floor its manifest states",
            arguments: programs
        )
        func glider(_ program: Program) async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let scenario = try folder.write(
                try ExternalStrategyTests.glider(strategies: "  - external: { program: \(program.name) }"),
                to: "glider.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            // From the package root, whose strategies/ folder registers the programs.
            let output = try await ConlabBinary.run(["run", scenario, "--log", log])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let result = try #require(try LogFile.results(at: log).first)
            #expect(result.strategy == "external" && result.label == program.name)
            #expect(result.outcome == .success && result.correct, "\(result.error ?? "")")
            #expect(result.finalGridSHA256 == SeedOutput.finalGliderSHA256)
            // The floor is the manifest's concurrency at work: the program's waits really overlapped that far
            // and no further, or conlab would have flagged the time.
            #expect(abs(result.idealSeconds - program.idealSeconds) < 1e-6, "ideal \(result.idealSeconds) s")
            #expect(result.invalidMeasurement == nil)
            #expect(result.phaseSeconds.count == 4)
            #expect(result.phaseSeconds.reduce(0, +) >= result.idealSeconds * 0.999)
        }

        @Test("Swift's serial, thread and async and every Python strategy in one run, in one table, all correct")
        func oneTable() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let labels = ["serial", "thread", "async", "python-serial"] + Self.programs.map(\.name)
            let strategies = labels.map { $0.hasPrefix("python-") ? "  - external: { program: \($0) }" : "  - \($0)" }
            let scenario = try folder.write(
                try ExternalStrategyTests.glider(strategies: strategies.joined(separator: "\n")),
                to: "glider.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", scenario, "--log", log])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.label) == labels)
            for result in results {
                #expect(result.outcome == .success && result.correct, "\(result.label): \(result.error ?? "")")
                #expect(result.finalGridSHA256 == SeedOutput.finalGliderSHA256, "\(result.label)")
                #expect(result.invalidMeasurement == nil, "\(result.label)")
            }
            // One summary table, a row per strategy in the scenario's order, each judged correct.
            let table = output.standardOutput.split(separator: "\n").drop { !$0.hasPrefix("strategy") }.dropFirst()
            #expect(table.prefix(labels.count).map { String($0.split(separator: " ").first ?? "") } == labels)
            #expect(table.prefix(labels.count).allSatisfy { $0.hasSuffix("yes") }, "\(output.standardOutput)")
        }

        @Test("Every Python strategy fails where serial does: at the lowest failing cell, though another failed first")
        func sameFailure() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            // Seed 1, 1-20 ms, one call in ten failing: in generation 0 cells 2 (after 13.5 ms), 15 (3.2 ms),
            // 24, 27, 37 and 42 fail. Under a thread per cell or asyncio cell 15 fails first; serial stops at cell 2,
            // and so must every strategy, or its failure would depend on the order its cells happened to end.
            let labels = ["serial"] + Self.programs.map(\.name)
            let strategies = labels.map { $0.hasPrefix("python-") ? "  - external: { program: \($0) }" : "  - \($0)" }
            let scenario = try folder.write(
                try ExternalStrategyTests.glider(strategies: strategies.joined(separator: "\n"))
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
                #expect(
                    result.error == "generation 0, cell (0, 2): I/O in game_logic failed",
                    "\(result.label)"
                )
            }
        }
        @Test(
            "A scenario sets the pool's, the queue's and the processes' workers: the program runs that many, held to that floor"
        )
        func workersOption() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            // 45 cells of 10 ms a generation: 3 workers take 15 rounds (0.6 s in 4 generations), 5 take 9 (0.36 s), 2
            // processes 23 (0.92 s). Each count is below the program's own default (10, 10, 4): a program that ignored
            // the greeting's option would finish under the floor of the count set, and be flagged.
            let labels = ["python-pool(workers: 3)", "python-queue(workers: 5)", "python-process(workers: 2)"]
            let scenario = try folder.write(
                try ExternalStrategyTests.glider(
                    strategies: """
                          - python-pool: { workers: 3 }
                          - python-queue: { workers: 5 }
                          - python-process: { workers: 2 }
                        """
                ),
                to: "workers.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", scenario, "--log", log])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.label) == labels)
            for (result, ideal) in zip(results, [0.6, 0.36, 0.92]) {
                #expect(result.outcome == .success && result.correct, "\(result.label): \(result.error ?? "")")
                #expect(abs(result.idealSeconds - ideal) < 1e-6, "\(result.label): ideal \(result.idealSeconds)")
                #expect(result.phaseSeconds.reduce(0, +) >= ideal * 0.999, "\(result.label): \(result.phaseSeconds)")
                #expect(result.invalidMeasurement == nil, "\(result.label)")
            }
        }
    }
}
