import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The process cap: a plan with more children at once than the machine allows is refused by `explain`
    /// and by `run` before anything starts.
    @Suite("Process cap")
    struct ProcessCapCommandTests {
        /// `jobs` jobs of `count` copies of `sleep 1`, under every strategy.
        private func fanOut(jobs: Int, count: Int, in folder: TemporaryFolder) throws -> String {
            let job = "    - run: [sleep, \"1\"]\n      count: \(count)\n"
            return try folder.write(
                """
                name: fan-out
                workload:
                  kind: subprocess
                  jobs:
                \(String(repeating: job, count: jobs))strategies: [serial, thread, queue, pool, async, loop, process]
                """,
                to: "fan-out.yaml"
            )
        }

        /// `RLIMIT_NPROC` lowered, so that the cap is at most half of 32,768 whatever this machine's pid_max.
        /// (As root the kernel does not enforce it on conlab; nothing is started in these tests anyway.)
        private let limits = ["/usr/bin/prlimit", "--nproc=32768", "--"]

        @Test("explain refuses 4 × 10,000 `sleep 1` under async and loop, and names the limit")
        func explainRefuses() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try fanOut(jobs: 4, count: 10_000, in: folder)
            let output = try await ConlabBinary.run(["explain", file], launcher: limits)
            #expect(output.status == 0, "\(output.standardError)")
            let lines = output.standardOutput.split(separator: "\n").map(String.init)
            func row(_ label: String) -> String { lines.first { $0.hasPrefix(label + " ") } ?? "" }
            for strategy in ["async", "loop"] {
                #expect(row(strategy).contains("refused: \(strategy) would run 40000 processes at once"))
                #expect(row(strategy).contains("over the process cap of"))
            }
            // The thread cap speaks first for thread; the rest keep a few jobs in flight.
            #expect(row("thread").contains("refused: thread needs 40000 threads at once"))
            for strategy in ["serial", "queue(workers: 5)", "pool(max_workers: 10)", "process"] {
                #expect(row(strategy).hasSuffix("runs"), "\(row(strategy))")
            }
            // threads, processes (each process's own and its units' children), tasks, in flight.
            #expect(row("async").split(separator: " ").prefix(5) == ["async", "0", "40000", "40000", "all"])
            #expect(row("process").split(separator: " ").prefix(5) == ["process", "2", "4", "0", "2"])
        }

        @Test("run exits 2 before anything starts, each refusal at the strategy's place in the file")
        func runRefusesBeforeStarting() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try fanOut(jobs: 4, count: 10_000, in: folder)
            let log = folder.url.appendingPathComponent("run.jsonl").path
            let clock = ContinuousClock()
            let started = clock.now
            // Were anything started, serial alone would take 40,000 s: a minute ends it (its jobs die with it).
            let output = try await ConlabBinary.run(
                ["run", file, "--log", log],
                launcher: ["/usr/bin/timeout", "--signal=KILL", "60"] + limits
            )
            let elapsed = clock.now - started
            #expect(output.status == 2)
            let lines = output.standardError.split(separator: "\n").map(String.init)
            // strategies: [serial, thread, queue, pool, async, loop, process] is on line 13.
            #expect(lines.contains { $0.hasPrefix("\(file):13:22: strategies.1: thread would run 40000 processes") })
            #expect(lines.contains { $0.hasPrefix("\(file):13:43: strategies.4: async would run 40000 processes") })
            #expect(lines.contains { $0.hasPrefix("\(file):13:50: strategies.5: loop would run 40000 processes") })
            #expect(lines.count == 3, "\(output.standardError)")
            // Nothing started: no log, no heading, and not one of serial's 40,000 one-second jobs.
            #expect(!FileManager.default.fileExists(atPath: log))
            #expect(output.standardOutput.isEmpty)
            #expect(elapsed < .seconds(20), "run took \(elapsed)")
        }

        @Test("The cap comes from RLIMIT_NPROC when that is lower: 1,000 jobs run, and under --nproc=2000 do not")
        func fromRLIMIT_NPROC() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try fanOut(jobs: 1, count: 1_000, in: folder)
            let allowed = try await ConlabBinary.run(["explain", file, "--set", "strategies=[async]"])
            #expect(allowed.status == 0, "\(allowed.standardError)")
            #expect(allowed.standardOutput.split(separator: "\n").last?.hasSuffix(" runs") == true)
            let low = ["/usr/bin/prlimit", "--nproc=2000", "--"]
            let explained = try await ConlabBinary.run(["explain", file, "--set", "strategies=[async]"], launcher: low)
            #expect(explained.status == 0, "\(explained.standardError)")
            #expect(explained.standardOutput.contains("refused: async would run 1000 processes at once"))
            #expect(explained.standardOutput.contains("(half of RLIMIT_NPROC 2000, less "))
            let run = try await ConlabBinary.run(
                ["run", file, "--set", "strategies=[async]", "--log", "-"],
                launcher: low
            )
            #expect(run.status == 2)
            #expect(run.standardError.contains("strategies.0: async would run 1000 processes at once"))
            #expect(run.standardError.contains("(half of RLIMIT_NPROC 2000, less "))
            #expect(run.standardOutput.isEmpty)
        }

        @Test("Descriptors count too: RLIMIT_NOFILE 1024 refuses 1,000 jobs under async, not under pool")
        func fromRLIMIT_NOFILE() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try fanOut(jobs: 1, count: 1_000, in: folder)
            let output = try await ConlabBinary.run(
                ["explain", file, "--set", "strategies=[async, pool]"],
                launcher: ["/usr/bin/prlimit", "--nofile=1024", "--"]
            )
            #expect(output.status == 0, "\(output.standardError)")
            let lines = output.standardOutput.split(separator: "\n")
            #expect(lines.first { $0.hasPrefix("async ") }?.contains("hold 2002 descriptors at once") == true)
            #expect(lines.first { $0.hasPrefix("async ") }?.contains("(RLIMIT_NOFILE 1024, less ") == true)
            #expect(lines.first { $0.hasPrefix("pool(") }?.hasSuffix(" runs") == true)
        }
    }
}
