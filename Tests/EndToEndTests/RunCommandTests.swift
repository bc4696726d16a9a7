import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Runs the built `conlab` on the bundled scenarios and checks what a user would see.
    @Suite("conlab run")
    struct RunCommandTests {
        private func lines(of path: String) throws -> [LogEvent] { try LogFile.events(at: path) }

        @Test("The glider prints the seed's frames exactly, both strategies are correct, and the log is complete")
        func glider() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("run.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            #expect(output.standardOutput.contains(SeedOutput.gliderColumns + "\n"))
            #expect(output.standardOutput.contains("log: \(log)"))
            let table = output.standardOutput.split(separator: "\n").drop { !$0.hasPrefix("strategy") }
            #expect(table.dropFirst().prefix(2).map { $0.split(separator: " ").first } == ["serial", "async"])
            #expect(table.dropFirst().prefix(2).allSatisfy { $0.hasSuffix("yes") })

            let events = try lines(of: log)
            #expect(events.last?.runFinished != nil)
            let started = try #require(events.first?.runStarted)
            let machine = started.machine
            #expect(machine.cores >= 1)
            #expect(!machine.swiftVersion.isEmpty && !machine.os.isEmpty && machine.memoryBytes > 0)
            let scenario = try #require(started.scenarios.first)
            let file = try Data(
                contentsOf: ConlabBinary.packageRoot.appendingPathComponent("scenarios/life-glider.yaml")
            )
            #expect(scenario.sha256 == SHA256Reference.hex(file))
            #expect(scenario.seed == 1)
            let results = events.compactMap(\.result)
            #expect(results.count == 2)
            for result in results {
                // Every field is there with its documented type: LogFile checks each line against the schema.
                #expect(result.correct)
                #expect(result.finalGridSHA256 == SeedOutput.finalGliderSHA256)
                #expect(result.phaseSeconds.count == 4)
                // 180 waits of 1 ms: threads that wait, in a sleep or an idle pool, give up the CPU.
                #expect(result.voluntaryContextSwitches > 0)
                // 45 cells × 4 generations, each waiting 1 ms: no unit can take less.
                let latency = try #require(result.unitLatency)
                #expect(latency.count == 180)
                let quantiles = [latency.p50Seconds, latency.p90Seconds, latency.p99Seconds, latency.maxSeconds]
                #expect(quantiles[0] >= 0.000_999 && quantiles == quantiles.sorted(), "\(latency)")
                // Every one of the 180 waits is modelled: each has an error, never negative.
                let waitError = try #require(result.waitError)
                #expect(waitError.count == 180)
                #expect(waitError.p50Seconds >= 0)
            }
            #expect(events.compactMap(\.phaseFinished).count == 8)
            #expect(events.last?.runFinished?.exitStatus == 0)
        }

        @Test("At 100 ms per cell: serial waits every cell in turn, async one wait per generation")
        func timings() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("run.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.generations=1", "--set",
                "expect={ outcome: success }",
                "--log", log, "--quiet",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            #expect(output.standardOutput.isEmpty)
            let results = try lines(of: log).compactMap(\.result)
            let serial = try #require(results.first { $0.strategy == "serial" })
            let async = try #require(results.first { $0.strategy == "async" })
            // Ideal floors: 45 × 100 ms, and 100 ms. Generous margins: these are orderings, not benchmarks.
            #expect(serial.idealSeconds == 4.5)
            #expect(async.idealSeconds == 0.1)
            let serialRatio = try #require(serial.overheadRatio)
            let asyncRatio = try #require(async.overheadRatio)
            // Waited in turn, async would be at 45; overlapped, at 1. Loose bounds: other tests share the cores.
            #expect(serialRatio >= 1 && serialRatio < 1.5)
            #expect(asyncRatio >= 1 && asyncRatio < 2)
        }

        @Test("A failing I/O call names the generation and the cell, is logged, and exits 1")
        func failure() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("run.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--set",
                "workload.io.failure_rate=1",
                "--log", log,
            ])
            #expect(output.status == 1)
            #expect(output.standardOutput.contains("serial: generation 0, cell (0, 0): I/O in game_logic failed"))
            #expect(
                output.standardError.contains(
                    "2 of 2 results incorrect or not as expected; 2 scenario expectations not met"
                )
            )
            let events = try lines(of: log)
            #expect(events.compactMap(\.unitFailed).count == 2)
            #expect(events.last?.runFinished?.exitStatus == 1)
        }

        @Test("--log - writes only JSON Lines to standard output and the summary to standard error")
        func logToStandardOutput() async throws {
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=0s", "--strategies", "async",
                "--log",
                "-",
            ])
            #expect(output.status == 0)
            #expect(try LogFile.events(in: output.standardOutput).count == 8)
            #expect(output.standardError.contains(SeedOutput.gliderColumns))
        }

        @Test("A log that cannot be written is named with its error and the events lost, and the run exits 1")
        func logWriteFailure() async throws {
            // /dev/full takes the open and refuses every write with ENOSPC, as a full disk does.
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=0s", "--strategies", "async",
                "--log", "/dev/full", "--quiet",
            ])
            #expect(output.status == 1)
            // Every one of the eight events `--log -` shows for the same run.
            let expected = "cannot write the log /dev/full: No space left on device (8 events lost)"
            #expect(output.standardError.contains(expected), "\(output.standardError)")
        }

        @Test("Cores are those conlab may run on: under taskset -c 0 a run records one")
        func affinity() async throws {
            let output = try await ConlabBinary.run(
                [
                    "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=0s", "--strategies", "async",
                    "--log", "-",
                ],
                launcher: ["/usr/bin/taskset", "-c", "0"]
            )
            #expect(output.status == 0, "\(output.standardError)")
            let started = try #require(try LogFile.events(in: output.standardOutput).first?.runStarted)
            #expect(started.machine.cores == 1)
        }

        @Test("A 100×100 random grid at 10 ms runs correctly under async")
        func largeGrid() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("large.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-random-100.yaml", "--strategies", "async", "--set", "workload.generations=3",
                "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(output.standardOutput.contains("async"))
            // 10,000 suspended tasks hold no threads: the process stays at a handful.
            let result = try #require(try lines(of: log).lazy.compactMap(\.result).first)
            #expect(result.peakThreads < 16, "\(result)")
        }

        @Test("Unknown strategies and invalid scenarios exit 2 before anything runs")
        func invalidInput() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("never.jsonl").path
            let unknown = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--strategies", "fibers", "--log", log,
            ])
            #expect(unknown.status == 2)
            #expect(
                unknown.standardError.contains(
                    "unknown strategy 'fibers'; expected one of serial, thread, queue, pool, async"
                )
            )
            let broken = try folder.write("name: x\nworkload:\n  kind: life\n  rows: 0\n", to: "broken.yaml")
            let invalid = try await ConlabBinary.run(["run", broken, "scenarios/life-glider.yaml", "--log", log])
            #expect(invalid.status == 2)
            #expect(
                invalid.standardError.contains(
                    "\(broken):4:9: workload.rows: expected a whole number from 1 to 100000, found '0'"
                )
            )
            #expect(invalid.standardError.contains("missing required key 'strategies'"))
            #expect(!FileManager.default.fileExists(atPath: log), "nothing runs, nothing is logged")
        }

        @Test("A run killed midway leaves a valid log with every finished result")
        func killed() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("killed.jsonl").path
            let process = try ConlabBinary.start([
                "run", "scenarios/life-glider.yaml", "--strategies", "async,serial", "--log", log, "--quiet",
            ])
            // async finishes in about 0.4 s; serial then needs 18 s. Kill during serial.
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                // A serial phase_finished line: async's result is already written, serial is under way.
                if let text = try? String(contentsOfFile: log, encoding: .utf8),
                    text.contains("\"strategy\":\"serial\"")
                {
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let events = try lines(of: log)
            let results = events.compactMap(\.result)
            #expect(results.count == 1)
            #expect(results.first?.strategy == "async")
            #expect(results.first?.correct == true)
            #expect(!events.contains { $0.runFinished != nil })
        }
    }

    /// The item 55 scenarios, run as a user would.
    @Suite("Pipelines end to end")
    struct PipelineCommandTests {
        private func results(_ arguments: [String]) async throws -> [RunResult] {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("pipe.jsonl").path
            let output = try await ConlabBinary.run(["run"] + arguments + ["--log", log, "--quiet"])
            #expect(output.status == 0, "\(output.standardError)")
            return try LogFile.results(at: log)
        }

        @Test("One worker per stage: every strategy keeps order, conserves items, and lands near the 1.002 s floor")
        func blocking() async throws {
            let results = try await results([
                "scenarios/item-55-pipeline-blocking.yaml", "--strategies", "thread,queue,pool,async",
            ])
            #expect(results.count == 4)
            var digests: Set<String> = []
            for result in results {
                let pipeline = try #require(result.pipeline)
                #expect(result.correct)
                #expect(pipeline.orderKept == true)
                #expect(result.idealSeconds == 1.002)
                // An ordering, not a benchmark (bench/ measures the ratio): serial would be at 3.0 or more, and
                // the tests running beside this one on 2 cores slow it down (2.5 has been seen).
                #expect((result.overheadRatio ?? 9) < 2.9, "\(result.strategy)")
                digests.insert(pipeline.outputSHA256)
            }
            #expect(digests.count == 1)
        }

        @Test("A bounded buffer of 1 never holds more than 1 item")
        func bounded() async throws {
            for result in try await results(["scenarios/item-55-pipeline-buffer.yaml"]) {
                let depths = try #require(result.pipeline?.maxQueueDepth)
                #expect(depths.count == 3 && depths.values.allSatisfy { $0 <= 1 }, "\(depths)")
            }
        }

        @Test("The polling discipline reports more polls than items; the blocking one none")
        func polling() async throws {
            for result in try await results(["scenarios/item-55-pipeline-polling.yaml"]) {
                let pipeline = try #require(result.pipeline)
                #expect(pipeline.polls > 1000)
            }
            for result in try await results(["scenarios/item-55-pipeline-blocking.yaml", "--strategies", "thread"]) {
                #expect(result.pipeline?.polls == 0)
            }
        }
    }

    @Suite("The log schema check")
    struct LogSchemaTests {
        @Test("It rejects undocumented fields, wrong types and missing fields")
        func rejects() throws {
            let validator = try LogSchemaValidator()
            let valid =
                #"{"schema":"conlab.v1","event":"run_finished","time":"t","exit_status":0,"results":1,"failures":0,"unmet_expectations":0,"interrupted":false,"process_seconds":0.5}"#
            #expect(validator.problems(of: valid).isEmpty)
            #expect(
                !validator.problems(
                    of: valid.replacingOccurrences(of: #""interrupted":false"#, with: #""interrupted":0"#)
                )
                .isEmpty
            )
            #expect(!validator.problems(of: valid.replacingOccurrences(of: #""results":1,"#, with: "")).isEmpty)
            #expect(
                !validator.problems(
                    of: valid.replacingOccurrences(of: #""failures":0"#, with: #""failures":0,"extra":1"#)
                )
                .isEmpty
            )
            #expect(!validator.problems(of: valid.replacingOccurrences(of: "run_finished", with: "run_paused")).isEmpty)
        }
    }

    @Suite("Interrupting a run")
    struct InterruptTests {
        @Test("SIGINT stops the run cleanly: finished results kept, the current one marked interrupted, exit 130")
        func sigint() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("interrupted.jsonl").path
            let process = try ConlabBinary.start([
                "run", "scenarios/life-glider.yaml", "--strategies", "async,serial", "--log", log, "--quiet",
            ])
            // The serial strategy's first generation has finished: async's result is already in the log. The
            // serial unit in flight waits at most 100 ms before the run stops.
            let outcome = try await Interruption.interrupt(
                process,
                whenLog: log,
                contains: "\"strategy\":\"serial\"",
                after: .zero
            )
            #expect(outcome.secondsToExit < 2, "\(outcome.secondsToExit)")
            #expect(outcome.status == 130)
            let events = try LogFile.events(at: log)
            let results = events.compactMap(\.result)
            #expect(results.map(\.outcome) == [.success, .interrupted])
            #expect(results.first?.correct == true)
            let finished = try #require(
                events.last?.runFinished,
                "the log ends with \(String(describing: events.last?.name))"
            )
            #expect(finished.interrupted)
            #expect(finished.exitStatus == 130)
        }
    }

    @Suite("Interrupting long phases")
    struct InterruptLongPhaseTests {
        @Test(
            "SIGINT stops work still queued, not just the next phase: queue and thread pipelines stop at once",
            arguments: [
                ["scenarios/life-random-100.yaml", "--strategies", "queue"],
                [
                    "scenarios/item-55-hazard-growth-unbounded.yaml", "--strategies", "thread", "--set",
                    "workload.items=20000",
                ],
            ]
        )
        func stopsQueuedWork(arguments: [String]) async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("interrupted.jsonl").path
            let process = try ConlabBinary.start(["run"] + arguments + ["--log", log, "--quiet"])
            // Once the run has started (its SIGINT handler is installed before the log is opened), both runs
            // have many seconds of queued work ahead of them.
            let outcome = try await Interruption.interrupt(
                process,
                whenLog: log,
                contains: "run_started",
                after: .milliseconds(500)
            )
            // Without stopping queued work these runs go on for 18 s and more; loaded by the tests beside it, a
            // debug build may take a few seconds to wind down.
            #expect(outcome.secondsToExit < 5, "\(outcome.secondsToExit)")
            #expect(outcome.status == 130)
            let events = try LogFile.events(at: log)
            // The strategy was interrupted, or — when the signal came while the reference was still being
            // computed — never started; either way the log ends by saying so.
            let outcomes = events.compactMap(\.result).map(\.outcome)
            #expect(outcomes == [.interrupted] || outcomes.isEmpty, "\(outcomes)")
            #expect(events.last?.runFinished?.interrupted == true)
        }
    }
}
