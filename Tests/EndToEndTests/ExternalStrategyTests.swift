import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

/// The `python3` found in `PATH`, if any: the programs under test are Python. Outside the suite, whose
/// condition reads it before the suite exists.
private let installedPython: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

extension EndToEnd {
    /// Strategies that are programs of their own, spoken to over the strategy protocol
    /// (docs/strategy-protocol.md): the bundled Python one, and broken ones that conlab must catch.
    @Suite("External strategies", .enabled(if: installedPython != nil, "python3 is not installed"))
    struct ExternalStrategyTests {
        /// The `python3` the programs under test run on.
        static var python: String? { installedPython }

        /// The bundled scenario, its strategies replaced by `strategies`, and its waits shortened so that the
        /// serial Python takes under two seconds (45 cells × 4 generations × 10 ms).
        static func glider(strategies: String) throws -> String {
            let file = ConlabBinary.packageRoot.appendingPathComponent("scenarios/life-glider.yaml")
            let text = try String(contentsOf: file, encoding: .utf8)
            let start = try #require(text.range(of: "strategies:\n"))
            let end = try #require(text.range(of: "expect:\n"))
            return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "strategies:\n\(strategies)\n")
                .replacingOccurrences(of: "latency: 100ms", with: "latency: 10ms")
        }

        @Test("life-glider under python-serial: correct, checked against the reference, timed by conlab")
        func pythonSerial() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let scenario = try folder.write(
                try Self.glider(strategies: "  - external: { program: python-serial }"),
                to: "glider.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            // From the package root, whose strategies/ folder registers python-serial.
            let output = try await ConlabBinary.run(["run", scenario, "--log", log])
            #expect(output.status == 0, "\(output.standardError)")
            let result = try #require(try LogFile.results(at: log).first)
            #expect(result.strategy == "external")
            #expect(result.label == "python-serial")
            #expect(result.outcome == .success && result.correct, "\(result.error ?? "")")
            #expect(result.finalGridSHA256 == "33898d1dba7918ab216b13d2fb42237558b81a98b50a233deb1dfd3d105279aa")
            // The waits happened: never under the floor (45 × 10 ms a generation, one cell at a time).
            #expect(result.invalidMeasurement == nil)
            #expect(result.wallSeconds >= result.idealSeconds * 0.99 && result.idealSeconds >= 1.7)
            #expect(output.standardOutput.contains("python-serial"))
        }

        @Test("python-serial fails where conlab's strategies fail: the same draw times out in the same cell")
        func sameFailure() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            // scenario-format.md's example: seed 3, uniform 1-3 ms, a 2.9 ms timeout.
            let scenario = try folder.write(
                try Self.glider(strategies: "  - serial\n  - external: { program: python-serial }")
                    .replacingOccurrences(of: "seed: 1", with: "seed: 3")
                    .replacingOccurrences(
                        of: "latency: 10ms",
                        with: "latency: {uniform: {min: 1ms, max: 3ms}}\n    timeout: 2.9ms"
                    )
                    .replacingOccurrences(of: "  outcome: success", with: "  outcome: unit_failure")
                    .replacingOccurrences(of: "  final_grid_sha256:", with: "  # final_grid_sha256:"),
                to: "timeout.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", scenario, "--log", log])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.label) == ["serial", "python-serial"])
            for result in results {
                #expect(result.outcome == .unitFailure && result.correct, "\(result.label)")
                #expect(result.error == "generation 0, cell (1, 2): I/O in game_logic timed out after 2.9ms")
            }
        }

        @Test("A program whose runtime is missing is unavailable, with its install command, and the run goes on")
        func unavailable() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let manifest = """
                {"name": "missing", "description": "needs a runtime this machine lacks",
                 "argv": ["conlab-no-such-runtime", "strategy.py"], "workloads": ["life.generation"],
                 "install": "sudo apt-get install conlab-no-such-runtime"}
                """
            try FileManager.default.createDirectory(
                at: folder.url.appendingPathComponent("strategies"),
                withIntermediateDirectories: true
            )
            try folder.write(manifest, to: "strategies/missing.json")
            // A manifest that is not one is listed as unreadable, and does not stop the others.
            try folder.write("{not json", to: "strategies/broken.json")
            let scenario = try folder.write(
                try Self.glider(strategies: "  - external: { program: missing }\n  - serial"),
                to: "glider.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", scenario, "--log", log], in: folder.url)
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.outcome) == [.refused, .success])
            #expect(
                results.first?.error
                    == "refused: missing is unavailable: conlab-no-such-runtime was not found (argv: "
                    + "conlab-no-such-runtime strategy.py); install it with: sudo apt-get install conlab-no-such-runtime"
            )
            let listing = try await ConlabBinary.run(["strategies"], in: folder.url)
            #expect(listing.standardOutput.contains("missing"))
            #expect(listing.standardOutput.contains("unreadable: strategies/broken.json: is not a strategy manifest"))
            // The listing says so before a run does, with the same install command.
            #expect(
                listing.standardOutput.contains(
                    "unavailable: conlab-no-such-runtime was not found; install it with: sudo apt-get install "
                        + "conlab-no-such-runtime"
                ),
                "\(listing.standardOutput)"
            )
        }

        @Test("A program not built yet (argv[0] a path from the manifest's folder) is unavailable too")
        func notBuilt() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try FileManager.default.createDirectory(
                at: folder.url.appendingPathComponent("strategies"),
                withIntermediateDirectories: true
            )
            // As go-goroutines before Plugins/go/build: the path is relative to the manifest's folder.
            try folder.write(
                #"{"name": "unbuilt", "description": "built by a script", "argv": ["../bin/unbuilt"], "#
                    + #""workloads": ["life.generation"], "install": "bin/build"}"#,
                to: "strategies/unbuilt.json"
            )
            let scenario = try folder.write(try Self.glider(strategies: "  - unbuilt\n  - serial"), to: "glider.yaml")
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", scenario, "--log", log], in: folder.url)
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.map(\.outcome) == [.refused, .success])
            #expect(
                results.first?.error?.hasPrefix("refused: unbuilt is unavailable: ../bin/unbuilt was not found") == true
            )
            let listing = try await ConlabBinary.run(["strategies"], in: folder.url)
            #expect(
                listing.standardOutput.contains("unavailable: ../bin/unbuilt was not found; install it with: bin/build")
            )
            // Once the program is there, the listing no longer says so.
            try FileManager.default.createDirectory(
                at: folder.url.appendingPathComponent("bin"),
                withIntermediateDirectories: true
            )
            let program = try folder.write("#!/bin/sh\n", to: "bin/unbuilt")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
            let built = try await ConlabBinary.run(["strategies"], in: folder.url)
            #expect(built.standardOutput.contains("unbuilt") && !built.standardOutput.contains("unavailable"))
        }

        @Test("conlab strategies lists the programs the project's manifests register")
        func listed() async throws {
            let output = try await ConlabBinary.run(["strategies"])
            #expect(output.status == 0)
            #expect(output.standardOutput.contains("python-serial"))
            #expect(output.standardOutput.contains("life.generation"))
        }

        /// A deliberately broken program of `Plugins/python/broken`, and what conlab must say of it.
        struct Broken: Sendable, CustomTestStringConvertible {
            var program: String
            var outcome: RunResult.Outcome
            var says: [String]
            var testDescription: String { program }
        }

        static let broken: [Broken] = [
            Broken(program: "skips_waits", outcome: .success, says: ["below its ideal floor", "did not happen"]),
            Broken(
                program: "wrong_cell",
                outcome: .incorrect,
                says: ["generation 1 differs from the serial reference"]
            ),
            Broken(
                program: "dies_mid_phase",
                outcome: .error,
                says: [
                    "ended during generation 1 without answering", "exit status 3",
                    "dying on purpose in the middle of generation 1",
                ]
            ),
            Broken(
                program: "writes_garbage",
                outcome: .error,
                says: ["protocol violation", "not a protocol message", "this is not a protocol message"]
            ),
            Broken(
                program: "hangs",
                outcome: .error,
                says: ["did not answer generation 1 within 2s", "taken for hung and killed"]
            ),
        ]

        @Test(
            "A broken program fails its result with a clear message, leaves no process, and conlab ends promptly",
            arguments: broken
        )
        func caught(_ broken: Broken) async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let scenario = try Self.register(broken.program, in: folder, phaseTimeout: "2s")
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let started = ContinuousClock.now
            // In the folder whose strategies/ registers the broken program.
            let output = try await ConlabBinary.run(["run", scenario, "--log", log], in: folder.url)
            let took = ContinuousClock.now - started
            #expect(output.status == 1, "\(output.standardError)")
            // The hang is noticed at its 2 s deadline; nothing waits for the rest of the minute-long default.
            #expect(took < .seconds(30), "conlab took \(took)")
            let result = try #require(try LogFile.results(at: log).first)
            #expect(result.outcome == broken.outcome)
            #expect(!result.correct)
            let message = [result.error, result.invalidMeasurement].compactMap { $0 }.joined(separator: " ")
            for words in broken.says {
                #expect(message.contains(words), "\(message)")
            }
            // The program was reaped: its process is gone (a zombie would have been reparented and reaped).
            let pidFile = folder.url.appendingPathComponent("program.pid").path
            let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8)))
            #expect(ProcessTable.state(of: pid) == nil, "program \(pid) left: \(ProcessTable.state(of: pid) ?? "")")
        }

        @Test("Ctrl-C while a program hangs: conlab kills and reaps it, and exits 130 at once")
        func interrupted() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let scenario = try Self.register("hangs", in: folder, phaseTimeout: "60s")
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let process = try ConlabBinary.start(
                ["run", scenario, "--log", log, "--quiet"],
                environment: ["CONLAB_STRATEGY_PATH": folder.url.appendingPathComponent("strategies").path]
            )
            // Generation 0 is answered; the program then hangs in generation 1, well before its 60 s deadline.
            let outcome = try await Interruption.interrupt(
                process,
                whenLog: log,
                contains: "phase_finished",
                after: .milliseconds(300)
            )
            #expect(outcome.status == 130)
            #expect(outcome.secondsToExit < 5, "\(outcome.secondsToExit) s")
            let pidFile = folder.url.appendingPathComponent("program.pid").path
            let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8)))
            #expect(ProcessTable.state(of: pid) == nil, "program \(pid) left: \(ProcessTable.state(of: pid) ?? "")")
        }

        /// Registers `program` of `Plugins/python/broken` in `folder/strategies`, passing it the path where it
        /// notes its process id (`folder/program.pid`), and writes the glider scenario that runs it; returns
        /// the scenario's path.
        static func register(_ program: String, in folder: TemporaryFolder, phaseTimeout: String) throws -> String {
            let python = try #require(Self.python)
            let script = ConlabBinary.packageRoot.appendingPathComponent("Plugins/python/broken/\(program).py")
            let pidFile = folder.url.appendingPathComponent("program.pid").path
            let manifest = try JSONSerialization.data(withJSONObject: [
                "name": program, "description": "broken on purpose",
                "argv": [python, script.path, pidFile], "workloads": ["life.generation"], "concurrency": 1,
            ])
            try FileManager.default.createDirectory(
                at: folder.url.appendingPathComponent("strategies"),
                withIntermediateDirectories: true
            )
            try folder.write(String(decoding: manifest, as: UTF8.self), to: "strategies/\(program).json")
            return try folder.write(
                try Self.glider(strategies: "  - external: { program: \(program), phase_timeout: \(phaseTimeout) }"),
                to: "glider.yaml"
            )
        }
    }
}
