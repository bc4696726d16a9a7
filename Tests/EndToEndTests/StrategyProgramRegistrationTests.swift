import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Strategy programs registered without rebuilding conlab: a manifest's name is a strategy name, manifests
    /// are found in a documented order (`--strategy-path`, `CONLAB_STRATEGY_PATH`, `strategies/`, the user's
    /// folder), and the options a manifest declares are checked like a built-in strategy's and sent to the
    /// program in the greeting.
    @Suite("Strategy programs by name", .enabled(if: ExternalStrategyTests.python != nil, "python3 is not installed"))
    struct StrategyProgramRegistrationTests {
        /// The glider with 1 ms waits (about 0.2 s one cell at a time), run by `strategies`.
        static func glider(strategies: String) throws -> String {
            try ExternalStrategyTests.glider(strategies: strategies)
                .replacingOccurrences(of: "latency: 10ms", with: "latency: 1ms")
        }

        @Test("--strategies python-serial picks the program by its name, as a scenario's '- python-serial' does")
        func byName() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let listed = try folder.write(try Self.glider(strategies: "  - serial"), to: "listed.yaml")
            let log = folder.url.appendingPathComponent("log.jsonl").path
            // From the package root, whose strategies/ folder registers python-serial.
            let picked = try await ConlabBinary.run(["run", listed, "--strategies", "python-serial", "--log", log])
            #expect(picked.status == 0, "\(picked.standardOutput)\(picked.standardError)")
            let result = try #require(try LogFile.results(at: log).first)
            #expect(result.strategy == "external" && result.label == "python-serial")
            #expect(result.outcome == .success && result.correct, "\(result.error ?? "")")

            let named = try folder.write(
                try Self.glider(strategies: "  - python-serial\n  - python-serial: { phase_timeout: 30s }"),
                to: "named.yaml"
            )
            let validated = try await ConlabBinary.run(["validate", named])
            #expect(validated.status == 0, "\(validated.standardOutput)\(validated.standardError)")
            // Each by its program's name, as a run's table names it, not as the `external` both are.
            #expect(validated.standardOutput.contains("ok (life-glider: python-serial, python-serial)"))
            // The name fixes the program: writing it again is a mistake, with its place.
            let doubled = try folder.write(
                try Self.glider(strategies: "  - python-serial: { program: python-serial }"),
                to: "doubled.yaml"
            )
            let refused = try await ConlabBinary.run(["validate", doubled])
            #expect(refused.status == 2)
            #expect(
                refused.standardError.contains(
                    "strategies.0.python-serial.program: 'python-serial' sets 'program' itself; remove it here"
                ),
                "\(refused.standardError)"
            )
            let unknown = try await ConlabBinary.run(["run", listed, "--strategies", "python-nothing"])
            #expect(unknown.status == 2)
            #expect(unknown.standardError.contains("unknown strategy 'python-nothing'; expected one of serial"))
            #expect(unknown.standardError.contains("python-serial"))
        }

        @Test("Manifests are searched in order: --strategy-path, CONLAB_STRATEGY_PATH, strategies/, the user's folder")
        func searchOrder() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let places = ["given", "environment", "strategies", "config/conlab/strategies"]
            for place in places {
                try FileManager.default.createDirectory(
                    at: folder.url.appendingPathComponent(place),
                    withIntermediateDirectories: true
                )
                try folder.write(
                    #"{"name": "probe", "description": "from \#(place)", "argv": ["true"], "workloads": []}"#,
                    to: "\(place)/probe.json"
                )
            }
            func described(_ arguments: [String], environment: [String]) async throws -> String? {
                let output = try await ConlabBinary.run(
                    ["strategies"] + arguments,
                    in: folder.url,
                    launcher: ["/usr/bin/env"] + environment
                )
                #expect(output.status == 0, "\(output.standardError)")
                return output.standardOutput.split(separator: "\n").first { $0.hasPrefix("  probe ") }
                    .map { String($0.dropFirst("  probe ".count)).trimmingCharacters(in: .whitespaces) }
            }
            let environment = [
                "CONLAB_STRATEGY_PATH=\(folder.url.path)/environment",
                "XDG_CONFIG_HOME=\(folder.url.path)/config",
            ]
            let given = folder.url.appendingPathComponent("given/probe.json").path
            #expect(try await described(["--strategy-path", given], environment: environment) == "from given")
            #expect(try await described([], environment: environment) == "from environment")
            #expect(try await described([], environment: [environment[1]]) == "from strategies")
            try FileManager.default.removeItem(at: folder.url.appendingPathComponent("strategies"))
            #expect(try await described([], environment: [environment[1]]) == "from config/conlab/strategies")
            // Without XDG_CONFIG_HOME, the user's folder is under HOME.
            let home = ["XDG_CONFIG_HOME=", "HOME=\(folder.url.path)/home"]
            try FileManager.default.createDirectory(
                at: folder.url.appendingPathComponent("home/.config/conlab/strategies"),
                withIntermediateDirectories: true
            )
            try folder.write(
                #"{"name": "probe", "description": "from home", "argv": ["true"], "workloads": []}"#,
                to: "home/.config/conlab/strategies/probe.json"
            )
            #expect(try await described([], environment: home) == "from home")
            // A path given that names nothing is said, not ignored.
            let missing = try await ConlabBinary.run(["strategies", "--strategy-path", "nowhere"], in: folder.url)
            #expect(
                missing.standardOutput.contains("unreadable: nowhere: no such manifest or folder (--strategy-path)")
            )
        }

        /// A manifest, named `probe`, of a program that writes conlab's greeting to `greeting.json` and then serves
        /// as python-serial; with two options.
        static func probe(in folder: TemporaryFolder, options: String? = nil, concurrency: String = "1") throws {
            let python = try #require(ExternalStrategyTests.python)
            let plugins = ConlabBinary.packageRoot.appendingPathComponent("Plugins/python").path
            try folder.write(
                """
                import json, sys
                sys.path.insert(0, \(plugins.debugDescription))
                import conlab_protocol, strategy_serial
                with open("greeting.json", "w") as greeting:
                    greeting.write(sys.stdin.readline())
                print(json.dumps({"type": "hello", "version": 1}), flush=True)
                conlab_protocol.serve({"life.generation": strategy_serial.run_generation})

                """,
                to: "probe.py"
            )
            let declared =
                options ?? """
                    [{"key": "workers", "type": "integer", "default": 2, "range": [1, 8], "help": "threads"},
                     {"key": "pause", "type": "duration", "default": "10ms", "help": "a pause"}]
                    """
            try folder.write(
                """
                {"name": "probe", "description": "greets and serves", "argv": [\(python.debugDescription), "probe.py"],
                 "workloads": ["life.generation"], "concurrency": \(concurrency), "options": \(declared)}
                """,
                to: "probe.json"
            )
        }

        @Test("A manifest's options: listed, checked with their place, shown in the label, sent in the greeting")
        func options() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try Self.probe(in: folder)
            let manifest = folder.url.appendingPathComponent("probe.json").path

            let listing = try await ConlabBinary.run(["strategies", "--strategy-path", manifest])
            #expect(listing.status == 0)
            #expect(listing.standardOutput.contains("option workers: threads (an integer in 1...8; default 2)"))
            #expect(listing.standardOutput.contains("option pause: a pause (a duration such as 100ms"))
            #expect(listing.standardOutput.contains("; concurrency 1; runs: "))

            let wrong = try folder.write(
                try Self.glider(strategies: "  - probe: { workers: 9 }\n  - probe: { threads: 2 }"),
                to: "wrong.yaml"
            )
            let invalid = try await ConlabBinary.run(["validate", wrong, "--strategy-path", manifest])
            #expect(invalid.status == 2)
            let text = try String(contentsOfFile: wrong, encoding: .utf8)
            let line =
                try #require(
                    text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                        $0.contains("workers: 9")
                    }
                ) + 1
            #expect(
                invalid.standardError.contains(
                    "\(wrong):\(line):23: strategies.0.probe.workers: expected an integer in 1...8"
                ),
                "\(invalid.standardError)"
            )
            #expect(
                invalid.standardError.contains(
                    "strategies.1.probe.threads: unknown option 'threads' for strategy 'probe'; expected one of "
                        + "'phase_timeout', 'workers', 'pause'"
                ),
                "\(invalid.standardError)"
            )

            let scenario = try folder.write(try Self.glider(strategies: "  - probe: { workers: 4 }"), to: "run.yaml")
            let explained = try await ConlabBinary.run(["explain", scenario, "--strategy-path", manifest])
            #expect(explained.status == 0, "\(explained.standardError)")
            #expect(
                explained.standardOutput.contains("probe(workers: 4): a program (")
                    && explained.standardOutput.contains("concurrency 1 as its manifest declares")
                    && explained.standardOutput.contains("its options: workers: 4, pause: 10ms"),
                "\(explained.standardOutput)"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", scenario, "--strategy-path", manifest, "--log", log])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let result = try #require(try LogFile.results(at: log).first)
            #expect(result.label == "probe(workers: 4)")
            #expect(result.outcome == .success && result.correct, "\(result.error ?? "")")
            let greeting = try String(
                contentsOf: folder.url.appendingPathComponent("greeting.json"),
                encoding: .utf8
            )
            #expect(greeting.contains(#""strategy":"probe","options":{"pause":10000000,"workers":4}}"#), "\(greeting)")
        }

        @Test("A concurrency that follows an option: listed, explained and floored at the value a scenario writes")
        func concurrencyFromOption() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try Self.probe(in: folder, concurrency: #"{"option": "workers"}"#)
            let manifest = folder.url.appendingPathComponent("probe.json").path
            let listing = try await ConlabBinary.run(["strategies", "--strategy-path", manifest])
            #expect(listing.standardOutput.contains("; concurrency = option workers (default 2); runs: "))

            let scenario = try folder.write(try Self.glider(strategies: "  - probe: { workers: 4 }"), to: "run.yaml")
            let explained = try await ConlabBinary.run(["explain", scenario, "--strategy-path", manifest])
            #expect(
                explained.standardOutput.contains("concurrency 4 (its option workers) as its manifest declares"),
                "\(explained.standardOutput)"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", scenario, "--strategy-path", manifest, "--log", log])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            let result = try #require(try LogFile.results(at: log).first)
            // 4 generations of 45 cells waiting 1 ms, 4 at a time: 4 × ⌈45 / 4⌉ × 1 ms. (The probe serves one
            // cell at a time, so it takes longer: a floor is a bound, and this one is the option's.)
            #expect(abs(result.idealSeconds - 0.048) < 1e-6, "ideal \(result.idealSeconds) s")
            #expect(result.outcome == .success && result.correct, "\(result.error ?? "")")

            // The option must be an integer count of at least 1, or the floor could be anything.
            for (options, reason) in [
                (#"[{"key": "workers", "type": "integer", "default": 2, "help": "threads"}]"#, "no range"),
                (#"[{"key": "workers", "type": "number", "default": 2, "range": [1, 8], "help": "x"}]"#, "a number"),
                (#"[{"key": "workers", "type": "integer", "default": 2, "range": [0, 8], "help": "x"}]"#, "from 0"),
                (#"[{"key": "threads", "type": "integer", "default": 2, "range": [1, 8], "help": "x"}]"#, "undeclared"),
            ] {
                try Self.probe(in: folder, options: options, concurrency: #"{"option": "workers"}"#)
                let refused = try await ConlabBinary.run(["strategies", "--strategy-path", manifest])
                #expect(
                    refused.standardOutput.contains(
                        "unreadable: \(manifest): 'concurrency' follows option 'workers', which must be declared as "
                            + "an integer option with a range from at least 1"
                    ),
                    "\(reason): \(refused.standardOutput)"
                )
            }
        }

        @Test("A manifest whose options are malformed is not read, and the listing says why")
        func malformedOptions() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try Self.probe(
                in: folder,
                options: #"[{"key": "workers", "type": "integer", "default": 0, "range": [1, 8], "help": "threads"}]"#
            )
            let manifest = folder.url.appendingPathComponent("probe.json").path
            let listing = try await ConlabBinary.run(["strategies", "--strategy-path", manifest])
            #expect(
                listing.standardOutput.contains(
                    "unreadable: \(manifest): option 'workers': its default must be an integer in 1...8"
                ),
                "\(listing.standardOutput)"
            )
        }
    }
}
