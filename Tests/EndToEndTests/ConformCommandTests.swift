import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `conlab conform -- COMMAND...`: the strategy protocol's conformance suite, run against a program given by
    /// its command alone. The bundled Python strategy conforms; each deliberately broken program of
    /// `Plugins/python/broken` does not, and is told why, promptly and without leaving its process behind.
    @Suite("conlab conform", .enabled(if: ExternalStrategyTests.python != nil, "python3 is not installed"))
    struct ConformCommandTests {
        /// The folder of the Python programs.
        static let plugins = ConlabBinary.packageRoot.appendingPathComponent("Plugins/python")

        @Test("python-serial's program conforms: every case passes, and conform exits 0")
        func serialConforms() async throws {
            let python = try #require(ExternalStrategyTests.python)
            let script = Self.plugins.appendingPathComponent("strategy_serial.py").path
            let started = ContinuousClock.now
            let output = try await ConlabBinary.run(["conform", "--", python, "-u", script])
            let took = ContinuousClock.now - started
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(
                output.standardOutput.contains(
                    "strategy_serial conforms to the strategy protocol, version 1: 7 of 7 cases pass"
                ),
                "\(output.standardOutput)"
            )
            #expect(!output.standardOutput.contains("FAIL"), "\(output.standardOutput)")
            #expect(output.standardOutput.contains("  pass  a 1×1 grid"))
            // The cases' waits take about 3 s one at a time; the suite is meant to be run often.
            #expect(took < .seconds(30), "conform took \(took)")
        }

        /// A bundled Python program, the concurrency its manifest declares, and the work kinds it runs.
        struct Bundled: Sendable, CustomTestStringConvertible {
            var script: String
            var arguments: [String] = []
            var concurrency: String
            var kinds: String
            var cases: Int
            var testDescription: String { script }
        }

        static let bundled: [Bundled] = [
            Bundled(script: "strategy_serial", concurrency: "1", kinds: "all", cases: 12),
            Bundled(script: "strategy_thread", concurrency: "unbounded", kinds: "all", cases: 12),
            Bundled(
                script: "strategy_pool",
                arguments: ["--workers", "10"],
                concurrency: "10",
                kinds: "cpu.batch,pipeline",
                cases: 5
            ),
            Bundled(script: "strategy_asyncio", concurrency: "unbounded", kinds: "pipeline", cases: 3),
            Bundled(
                script: "strategy_process",
                arguments: ["--workers", "4"],
                concurrency: "4",
                kinds: "cpu.batch,pipeline",
                cases: 5
            ),
        ]

        @Test(
            "Every bundled program conforms for the CPU batches and pipelines its manifest lists",
            arguments: bundled
        )
        func bundledConforms(_ program: Bundled) async throws {
            let python = try #require(ExternalStrategyTests.python)
            let script = Self.plugins.appendingPathComponent("\(program.script).py").path
            let output = try await ConlabBinary.run(
                [
                    "conform", "--concurrency", program.concurrency, "--workloads", program.kinds, "--", python, "-u",
                    script,
                ]
                    + program.arguments
            )
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(
                output.standardOutput.contains(
                    "\(program.script) conforms to the strategy protocol, version 1: \(program.cases) of "
                        + "\(program.cases) cases pass"
                ),
                "\(output.standardOutput)"
            )
        }

        @Test("A program that answers a CPU batch with a wrong result does not conform, though it computes every unit")
        func wrongCPUResult() async throws {
            let python = try #require(ExternalStrategyTests.python)
            let script = Self.plugins.appendingPathComponent("broken/wrong_cpu_result.py").path
            let output = try await ConlabBinary.run(["conform", "--workloads", "all", "--", python, script])
            #expect(output.status == 1, "\(output.standardOutput)\(output.standardError)")
            let lines = output.standardOutput.split(separator: "\n")
            #expect(
                lines.contains(
                    "  FAIL  a factorize batch of four numbers, 3 rounds: batch 0 differs from the serial reference"
                ),
                "\(output.standardOutput)"
            )
            #expect(lines.contains { $0.hasPrefix("  FAIL  a gcd batch") }, "\(output.standardOutput)")
            // Its Life and its pipelines are right: only the two CPU cases fail.
            #expect(
                output.standardOutput.contains(
                    "wrong_cpu_result does not conform to the strategy protocol, version 1: 2 of 12 cases run fail"
                ),
                "\(output.standardOutput)"
            )
        }

        @Test("A program that skips its pipeline waits is caught under the pipeline's floor")
        func skippedPipelineWaits() async throws {
            let python = try #require(ExternalStrategyTests.python)
            let script = Self.plugins.appendingPathComponent("broken/skips_waits.py").path
            let output = try await ConlabBinary.run(["conform", "--workloads", "pipeline", "--", python, script])
            #expect(output.status == 1, "\(output.standardOutput)\(output.standardError)")
            // 30 items through three 2 ms stages one at a time: a floor of 180 ms; skipped, a few milliseconds.
            let lines = output.standardOutput.split(separator: "\n")
            #expect(
                lines.contains {
                    $0.hasPrefix("  FAIL  a pipeline of three stages with 2 ms waits, one worker each, 30 items: ")
                        && $0.contains("below its ideal floor of 0.180 s")
                        && $0.hasSuffix("its waits did not happen")
                },
                "\(output.standardOutput)"
            )
        }

        @Test("--workloads names kinds conform knows, or the usage says which")
        func unknownKind() async throws {
            let output = try await ConlabBinary.run(["conform", "--workloads", "life,cpu", "--", "python3"])
            #expect(output.status == 2, "\(output.standardOutput)\(output.standardError)")
            #expect(
                output.standardError.contains(
                    "--workloads expects kinds among life.generation, cpu.batch, pipeline, or 'all', not 'life'"
                ),
                "\(output.standardError)"
            )
        }

        @Test("A program that declares more concurrency than it has is still held to the floor of what it declares")
        func unboundedStillWaits() async throws {
            let python = try #require(ExternalStrategyTests.python)
            let script = Self.plugins.appendingPathComponent("broken/skips_waits.py").path
            let output = try await ConlabBinary.run(["conform", "--concurrency", "unbounded", "--", python, script])
            #expect(output.status == 1, "\(output.standardOutput)\(output.standardError)")
            // One cell's two 50 ms waits are a floor at any concurrency; skipped, a generation takes about 1 ms.
            let lines = output.standardOutput.split(separator: "\n")
            #expect(
                lines.contains {
                    $0.hasPrefix("  FAIL  a 1×1 grid, 50 ms waits on both steps, 3 generations: generation ")
                        && $0.hasSuffix("at unbounded concurrency: its waits did not happen")
                },
                "\(output.standardOutput)"
            )
        }

        /// A deliberately broken program, and what `conform` must say of it.
        struct Broken: Sendable, CustomTestStringConvertible {
            var program: String
            var says: [String]
            var testDescription: String { program }
        }

        static let broken: [Broken] = [
            Broken(
                program: "skips_waits",
                says: ["generation 0 took", "under its ideal floor of", "at concurrency 1: its waits did not happen"]
            ),
            Broken(program: "wrong_cell", says: ["generation 1 differs from the serial reference"]),
            Broken(
                program: "dies_mid_phase",
                says: [
                    "ended during generation 1 without answering", "exit status 3",
                    "dying on purpose in the middle of generation 1",
                ]
            ),
            Broken(program: "writes_garbage", says: ["protocol violation", "not a protocol message"]),
            Broken(
                program: "hangs",
                says: [
                    "did not answer generation 1 within 2s", "taken for hung and killed",
                    "the other 6 were not run, as it hung",
                ]
            ),
        ]

        @Test(
            "Each broken program fails conform with its problem named, leaves no process, and conform ends promptly",
            arguments: broken
        )
        func brokenFails(_ broken: Broken) async throws {
            let python = try #require(ExternalStrategyTests.python)
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let script = Self.plugins.appendingPathComponent("broken/\(broken.program).py").path
            let pidFile = folder.url.appendingPathComponent("program.pid").path
            let started = ContinuousClock.now
            let output = try await ConlabBinary.run(["conform", "--phase-timeout", "2s", "--", python, script, pidFile])
            let took = ContinuousClock.now - started
            #expect(output.status == 1, "\(output.standardOutput)\(output.standardError)")
            #expect(
                output.standardOutput.contains(
                    "\(broken.program) does not conform to the strategy protocol, version 1:"
                ),
                "\(output.standardOutput)"
            )
            for words in broken.says {
                #expect(output.standardOutput.contains(words), "\(output.standardOutput)")
            }
            // A hang is noticed at its 2 s deadline and ends the suite; nothing waits for more.
            #expect(took < .seconds(30), "conform took \(took)")
            // The last program started was reaped: its process is gone.
            let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8)))
            #expect(ProcessTable.state(of: pid) == nil, "program \(pid) left: \(ProcessTable.state(of: pid) ?? "")")
        }

        @Test("A program that does not exit with status 0 after 'end', or at the end of its input, does not conform")
        func uncleanEnd() async throws {
            let python = try #require(ExternalStrategyTests.python)
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            // Right in every phase, but it ends with status 4 whenever the conversation is over.
            let script = try folder.write(
                """
                import sys
                sys.path.insert(0, \(Self.plugins.path.debugDescription))
                import conlab_protocol
                import strategy_serial
                conlab_protocol.serve({"life.generation": strategy_serial.run_generation})
                sys.exit(4)

                """,
                to: "ends_badly.py"
            )
            let output = try await ConlabBinary.run(["conform", "--", python, "-u", script])
            #expect(output.status == 1, "\(output.standardOutput)\(output.standardError)")
            #expect(
                output.standardOutput.contains(
                    "FAIL  a glider without waits, 4 generations: it ended with exit status 4 after its 'end' message"
                ),
                "\(output.standardOutput)"
            )
            #expect(
                output.standardOutput.contains("it ended with exit status 4 after the end of its input"),
                "\(output.standardOutput)"
            )
        }

        @Test(
            "Bad usage exits 2 with the reason: no command, a bad concurrency, a program that cannot be found",
            arguments: [
                (["conform"], "no program to check"),
                (["conform", "--concurrency", "0", "--", "python3"], "--concurrency expects a whole number"),
                (["conform", "--phase-timeout", "soon", "--", "python3"], "--phase-timeout expects"),
                (["conform", "--", "conlab-no-such-program"], "conlab-no-such-program was not found"),
            ]
        )
        func badUsage(_ arguments: [String], says: String) async throws {
            let output = try await ConlabBinary.run(arguments)
            #expect(output.status == 2, "\(output.standardOutput)\(output.standardError)")
            #expect(
                (output.standardOutput + output.standardError).contains(says),
                "\(output.standardOutput)\(output.standardError)"
            )
        }
    }
}
