import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    @Suite("conlab validate, strategies and help")
    struct CommandLineTests {
        @Test("Every bundled scenario is valid")
        func validateBundled() async throws {
            let output = try await ConlabBinary.run(["validate", "scenarios/"])
            #expect(output.status == 0, "\(output.standardError)")
            #expect(output.standardOutput.contains("scenarios/life-glider.yaml: ok (life-glider: serial, async)"))
        }

        @Test("validate reports each problem with its location and exits 2")
        func validateBroken() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let broken = try folder.write(
                """
                name: broken
                workload:
                  kind: life
                  rows: 5
                  columns: 9
                  generations: 4
                  pattern: { named: glider, at: [4, 0] }
                  io: { step: game_logic, latency: 100 }
                strategies: [serial, fibers]
                """,
                to: "broken.yaml"
            )
            let output = try await ConlabBinary.run(["validate", broken])
            #expect(output.status == 2)
            let lines = output.standardError.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("\(broken):8:36: workload.io.latency: expected a duration") })
            #expect(
                lines.contains { $0.hasPrefix("\(broken):7:12: workload.pattern: pattern 'glider' (3×3) at row 4") }
            )
            #expect(lines.contains { $0.hasPrefix("\(broken):9:22: strategies.1: unknown strategy 'fibers'") })
        }

        @Test("validate on a folder with no scenario files exits 2, as run does")
        func validateEmptyFolder() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let output = try await ConlabBinary.run(["validate", folder.url.path])
            #expect(output.status == 2)
            #expect(output.standardError.contains("no scenario files found"))
        }

        @Test("strategies lists every strategy with its summary")
        func strategies() async throws {
            let output = try await ConlabBinary.run(["strategies"])
            #expect(output.status == 0)
            #expect(output.standardOutput.contains("serial"))
            #expect(output.standardOutput.contains("async (actor)"))
            #expect(
                output.standardOutput.contains(
                    "workloads: life, pipeline, cpu, counter, syscall, subprocess, guess, tail"
                )
            )
        }

        @Test("--help teaches: examples and exit statuses")
        func help() async throws {
            let output = try await ConlabBinary.run(["run", "--help"])
            #expect(output.status == 0)
            #expect(output.standardOutput.contains("conlab run scenarios/life-glider.yaml"))
            #expect(output.standardOutput.contains("Exit status"))
            #expect(output.standardOutput.contains("--set <key.path=value>"))
        }
    }

    @Suite("Thread counts seen from outside")
    struct ThreadCountTests {
        @Test("A pool of 7 runs exactly 4 threads more than a pool of 3")
        func poolSizes() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("pools.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=5ms",
                "--set",
                "strategies=[{ pool: { max_workers: 3 } }, { pool: { max_workers: 3 } }, { pool: { max_workers: 7 } }]",
                "--log", log, "--quiet",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let results = try LogFile.results(at: log)
            let threads = results.map(\.peakThreads)
            // The first run warms up the process (the cooperative pool starts its threads lazily). The runtime
            // may add one thread of its own at any time, so seen from outside the difference is 4, or 5.
            #expect(threads.count == 3)
            #expect((4...5).contains(threads[2] - threads[1]), "\(threads)")
        }
    }

    @Suite("CPU scenarios end to end")
    struct CPUCommandTests {
        @Test("Every strategy computes the same results as serial, and the summary shows the speed-up")
        func factorize() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("cpu.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/item-53-cpu-factorize.yaml", "--set", "workload.rounds=1", "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            #expect(output.standardOutput.contains("speedup"))
            let results = try LogFile.results(at: log)
            #expect(results.count == 4)
            #expect(results.allSatisfy { $0.correct && $0.finalGridSHA256 == nil })
            #expect(Set(results.map(\.resultSHA256)).count == 1 && results.first?.resultSHA256 != nil)
        }
    }

    @Suite("Item 54 end to end")
    struct CounterCommandTests {
        private func results(_ file: String, increments: Int = 1_000_000) async throws -> [RunResult] {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("counter.jsonl").path
            let output = try await ConlabBinary.run([
                "run", file, "--set", "workload.increments=\(increments)", "--log", log, "--quiet",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            return try LogFile.results(at: log)
        }

        private func lost(_ result: RunResult) -> Double? {
            result.workloadMetrics["lost_updates"]
        }

        @Test("Unprotected, concurrent workers lose updates; serial does not; every result is still correct")
        func none() async throws {
            // A lost update needs two workers on two cores at once; when other tests keep the cores busy the
            // workers may only be time-sliced, so a few runs are allowed before concluding none interleaves.
            var lostPerRun: [[Double?]] = []
            for _ in 0..<5 {
                let results = try await results("scenarios/item-54-counter-none.yaml")
                #expect(results.count == 4)
                #expect(results.allSatisfy { $0.correct })
                #expect(lost(results[0]) == 0)
                lostPerRun.append(results.map(lost))
                if results.dropFirst().contains(where: { (lost($0) ?? 0) > 0 }) { break }
            }
            // On 2 cores at least one concurrent strategy interleaves a read and a write of another worker.
            #expect(lostPerRun.last?.dropFirst().contains { ($0 ?? 0) > 0 } == true, "\(lostPerRun)")
        }

        @Test(
            "A lock, an atomic add and an actor are exact under every strategy",
            arguments: [("lock", 1_000_000), ("atomic", 1_000_000), ("actor", 100_000)]
        )
        func exact(sync: String, increments: Int) async throws {
            let results = try await results("scenarios/item-54-counter-\(sync).yaml", increments: increments)
            #expect(results.count == 4)
            #expect(results.allSatisfy { $0.correct && lost($0) == 0 })
        }
    }

    @Suite("Item 53's blocking system calls end to end")
    struct SyscallCommandTests {
        @Test("Five 0.1 s calls: about 0.5 s in turn, about 0.1 s on threads, a pool, or async")
        func select() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("select.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/item-53-syscall-select.yaml", "--log", log, "--quiet",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let results = try LogFile.results(at: log)
            let wall = Dictionary(
                uniqueKeysWithValues: results.map {
                    ($0.strategy, $0.wallSeconds)
                }
            )
            #expect((wall["serial"] ?? 0) >= 0.5)
            // Orderings with room to spare: overlapped calls sit far below the serial half second.
            for strategy in ["thread", "pool", "async"] {
                #expect((wall[strategy] ?? 9) < 0.3, "\(strategy): \(wall[strategy] ?? 0)")
            }
        }
    }

    @Suite("Hazards end to end")
    struct HazardCommandTests {
        @Test("Blocking inside async is caught by the pool-lag probe and named; suspending is not flagged")
        func blockingInsideAsync() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("hazard.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/item-63-hazard-blocking-in-async.yaml", "--set", "workload.generations=1", "--log",
                log,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.count == 2)
            #expect(results[0].warnings == [])
            let warning = try #require(results[1].warnings.first)
            #expect(warning.contains("the cooperative pool lagged"))
            #expect(warning.contains("game_logic"))
            #expect(
                output.standardOutput.contains("warning: async(blocking_waits: true): the cooperative pool lagged")
            )
            // Blocking 45 cells one after another on 2 pool threads: far from the floor, and flagged.
            let ratio = try #require(results[1].overheadRatio)
            #expect(ratio > 1.5)
            #expect(output.standardOutput.contains("drift: async(blocking_waits: true) took "))
            #expect(!output.standardOutput.contains("drift: async took "))
        }

        @Test("A failing unit reaches the caller under every strategy, with the seed's Python noted for thread")
        func lostErrors() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("errors.jsonl").path
            let output = try await ConlabBinary.run(["run", "scenarios/item-57-hazard-lost-errors.yaml", "--log", log])
            #expect(output.status == 0, "the scenario expects the failure: \(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.count == 7)
            #expect(results.allSatisfy { $0.outcome == .unitFailure && $0.correct })
            #expect(results.allSatisfy { $0.error?.hasPrefix("generation ") == true })
            let thread = try #require(results.first { $0.strategy == "thread" })
            #expect(thread.note?.contains("threading.Thread would have swallowed") == true)
            #expect(output.standardOutput.contains("join() returns normally (item 57)"))
        }
    }

    @Suite("Summary formats")
    struct SummaryFormatTests {
        @Test("markdown gives one catalog row per scenario, json and csv one entry per result")
        func formats() async throws {
            let files = ["scenarios/item-53-syscall-select.yaml", "scenarios/item-54-counter-lock.yaml"]
            let markdown = try await ConlabBinary.run(["run"] + files + ["--format", "markdown", "--log", "/dev/null"])
            #expect(markdown.status == 0, "\(markdown.standardError)")
            let rows = markdown.standardOutput.split(separator: "\n")
            #expect(rows.first == "| item | scenario | lesson | measured here |")
            #expect(rows.contains { $0.hasPrefix("| 53 | [item-53-syscall-select](item-53-syscall-select.yaml) |") })
            #expect(rows.contains { $0.hasPrefix("| 54 | [item-54-counter-lock](item-54-counter-lock.yaml) |") })
            #expect(!markdown.standardOutput.contains("strategy  "), "no text tables with --format")

            let csv = try await ConlabBinary.run(["run"] + files + ["--format", "csv", "--log", "/dev/null"])
            let lines = csv.standardOutput.split(separator: "\n")
            #expect(lines.first?.hasPrefix("scenario,strategy,label,outcome,correct,wall_seconds") == true)
            #expect(lines.count == 1 + 4 + 4)

            let json = try await ConlabBinary.run(["run"] + files + ["--format", "json", "--log", "/dev/null"])
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
            )
            let scenarios = try #require(document["scenarios"] as? [[String: Any]])
            #expect(scenarios.map { ($0["results"] as? [Any])?.count } == [4, 4])
        }
    }

    @Suite("conlab compare")
    struct CompareCommandTests {
        @Test("Exit 0 when nothing changed, 2 on a regression, 4 on improvement only, 1 for a missing log")
        func exitCodes() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            func log(_ wall: Double) throws -> String {
                let result = RunResult(
                    scenario: "s",
                    strategy: "async",
                    label: "async",
                    outcome: .success,
                    correct: true,
                    wallSeconds: wall,
                    peakRSSBytes: 100,
                    peakThreads: 4
                )
                let line = try LogRecord(event: .result(result), time: "2026-11-25T01:34:23.609092Z").jsonLine()
                return try folder.write(String(decoding: line, as: UTF8.self), to: "run-\(wall).jsonl")
            }
            let base = try log(1.0)
            #expect(try await ConlabBinary.run(["compare", base, try log(1.01)]).status == 0)
            #expect(try await ConlabBinary.run(["compare", base, try log(2.0)]).status == 2)
            #expect(try await ConlabBinary.run(["compare", base, try log(0.5)]).status == 4)
            #expect(try await ConlabBinary.run(["compare", base, try log(1.08), "--threshold", "10%"]).status == 0)
            #expect(try await ConlabBinary.run(["compare", base, "/nonexistent.jsonl"]).status == 1)
        }

        @Test("A real slowdown — a pool with half the workers — is flagged as a regression")
        func realSlowdown() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            var logs: [String] = []
            for workers in [10, 5] {
                let log = folder.url.appendingPathComponent("pool-\(workers).jsonl").path
                let output = try await ConlabBinary.run([
                    "run", "scenarios/item-59-life-pool.yaml", "--set", "workload.io.latency=10ms", "--set",
                    "strategies=[{ pool: { max_workers: \(workers) } }]", "--log", log, "--quiet",
                ])
                #expect(output.status == 0, "\(output.standardError)")
                logs.append(log)
            }
            let comparison = try await ConlabBinary.run(["compare", logs[0], logs[1]])
            #expect(comparison.status == 2)
            #expect(comparison.standardOutput.contains("wall_seconds"))
            #expect(comparison.standardOutput.contains("regression"))
        }
    }

    @Suite("Progress on a terminal")
    struct ProgressTests {
        @Test(
            "A long run shows scenario, strategy, phase and time left on a terminal, and nothing when piped",
            .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"))
        )
        func statusLine() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let typescript = folder.url.appendingPathComponent("typescript").path
            let command =
                "\(ConlabBinary.executable.path) run scenarios/life-glider.yaml --strategies serial "
                + "--set workload.io.latency=30ms --log /dev/null --frames never"
            // script(1) gives conlab a terminal, as a person running it would have.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", command, typescript]
            process.currentDirectoryURL = ConlabBinary.packageRoot
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            let screen = try String(contentsOfFile: typescript, encoding: .utf8)
            #expect(screen.contains("life-glider · serial · phase 2/4"), "\(screen)")
            #expect(screen.contains("s left"))

            let piped = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--strategies", "serial", "--set", "workload.io.latency=30ms",
                "--log", "/dev/null",
            ])
            #expect(!piped.standardError.contains("phase 2/4"))
        }
    }

    @Suite("Item 52's subprocesses end to end")
    struct SubprocessCommandTests {
        @Test("Ten `sleep 1` children started together finish in about a second, every one exit 0")
        func fanOut() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("fanout.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/item-52-subprocess-fanout.yaml", "--strategies", "thread,async", "--log", log,
                "--quiet",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            for result in try LogFile.results(at: log) {
                #expect(result.correct)
                // One after another: 10 s. Together: 1 s and the cost of ten spawns; room for a loaded machine.
                #expect(result.wallSeconds < 2, "\(result.strategy)")
                #expect(result.workloadMetrics["children"] == 10)
            }
        }

        @Test("Under async, 50 children at once cost no thread each: one reactor waits for all")
        func asyncReactor() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("reactor.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/item-52-subprocess-fanout.yaml", "--strategies", "async", "--set",
                "workload.jobs.0.count=50",
                "--log", log, "--quiet",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let result = try #require(try LogFile.results(at: log).first)
            #expect(result.wallSeconds < 3)
            #expect(result.peakThreads < 16, "\(result.peakThreads)")
        }

        @Test("The timeout example ends within 0.5 s, by SIGTERM, as the scenario expects")
        func timeout() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("timeout.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/item-52-subprocess-timeout.yaml", "--log", log, "--quiet",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            for result in try LogFile.results(at: log) {
                #expect(result.wallSeconds < 0.5)
                #expect(result.workloadMetrics["timed_out"] == 1)
            }
            // Expecting a clean exit instead makes the same run fail, and say why.
            let strict = try await ConlabBinary.run([
                "run", "scenarios/item-52-subprocess-timeout.yaml", "--strategies", "serial", "--set",
                "workload.jobs.0.expect={ exit: 0 }", "--log", "/dev/null",
            ])
            #expect(strict.status == 1)
            #expect(strict.standardOutput.contains("expected exit status 0, got signal 15"))
        }

        @Test("Ctrl-C during a fan-out ends every child: none is left behind")
        func interrupt() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            // An unusual duration, so the children can be told apart from any other sleep on the machine.
            let file = try folder.write(
                """
                name: interrupted-fanout
                workload:
                  kind: subprocess
                  jobs:
                    - run: [sleep, "37.25"]
                      count: 5
                strategies: [thread]
                """,
                to: "fanout.yaml"
            )
            let process = try ConlabBinary.start([
                "run", file, "--log", folder.url.appendingPathComponent("log.jsonl").path, "--quiet",
            ])
            func sleepers() -> Int {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
                return entries.filter {
                    ((try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8)) ?? "").contains("37.25")
                }.count
            }
            for _ in 0..<100 where sleepers() < 5 { try await Task.sleep(for: .milliseconds(20)) }
            #expect(sleepers() == 5)
            let outcome = try await Interruption.interrupt(
                process,
                whenLog: folder.url.appendingPathComponent("log.jsonl").path,
                contains: "run_started",
                after: .zero
            )
            #expect(outcome.secondsToExit < 2, "\(outcome.secondsToExit)")
            #expect(outcome.status == 130)
            #expect(sleepers() == 0)
        }
    }

    @Suite("Repeated runs end to end")
    struct RepeatCommandTests {
        @Test("--repeat 3 --warmup 1 logs three rounds per strategy and shows the median with the range")
        func repeated() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("repeat.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/item-53-syscall-select.yaml", "--set", "workload.timeout=20ms", "--repeat", "3",
                "--warmup", "1", "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let results = try LogFile.results(at: log)
            #expect(results.count == 4 * 3)
            #expect(Set(results.map(\.repetition)) == [1, 2, 3])
            // One row per strategy, its wall time followed by the rounds' range.
            let rows = output.standardOutput.split(separator: "\n").filter { $0.hasPrefix("thread ") }
            #expect(rows.count == 1)
            #expect(rows.first?.contains("–") == true, "\(rows)")
            let rejected = try await ConlabBinary.run(["run", "scenarios/life-glider.yaml", "--repeat", "0"])
            #expect(rejected.status == 64)
        }
    }
}
