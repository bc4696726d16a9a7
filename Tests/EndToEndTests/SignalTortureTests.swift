import ConlabCore
import ConlabLog
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Synchronization
import Testing

extension EndToEnd {
    /// SIGINT or SIGTERM at random moments of runs of every strategy on every kind of work: each trial must
    /// exit 130, leave a valid log that ends in `run_finished` and keeps every finished result, and leave no
    /// process, socket or temporary file behind.
    @Suite("Signal torture")
    struct SignalTortureTests {
        /// A kind of work, with a small scenario whose every round waits at least 150 ms: twelve rounds take
        /// at least 1.8 s, so a signal within the first 0.8 s always finds the run going, and often after
        /// some rounds have finished.
        enum Shape: String, CaseIterable, Sendable {
            /// Phases of units that wait (Life).
            case life
            /// Items through stages connected by queues.
            case pipeline
            /// Phases of units that run child processes.
            case subprocess
            /// Phases of clients talking to a server over loopback TCP (sockets).
            case guess
            /// Phases of tailers following files that threads write (temporary files).
            case tail

            var scenario: String {
                switch self {
                case .life:
                    """
                    workload:
                      kind: life
                      rows: 1
                      columns: 4
                      pattern: { cells: [[0, 1], [0, 2]] }
                      generations: 3
                      io: { step: game_logic, latency: 50ms }
                    """
                case .pipeline:
                    // The upload workers wait on their queue most of the time: a signal often finds them there.
                    """
                    workload:
                      kind: pipeline
                      items: 8
                      stages:
                        - { name: download, latency: 40ms, workers: 2 }
                        - { name: upload, latency: 10ms, workers: 2 }
                    """
                case .subprocess:
                    """
                    workload:
                      kind: subprocess
                      jobs:
                        - run: [sleep, "0.15"]
                          count: 3
                    """
                case .guess:
                    // No modelled wait: 10,000 sessions a round take seconds, far beyond the signal.
                    """
                    workload:
                      kind: guess
                      server: threaded
                      clients: 2
                      sessions: 5000
                    """
                case .tail:
                    """
                    workload:
                      kind: tail
                      files: 3
                      lines: 3
                      pause: 50ms
                      poll: 5ms
                    """
                }
            }

            /// The strategies that run this kind of work.
            var strategies: [String] {
                switch self {
                case .life, .subprocess: ["serial", "thread", "queue", "pool", "async", "loop", "process"]
                case .pipeline: ["serial", "thread", "queue", "pool", "async", "process"]
                case .guess, .tail: ["serial", "thread", "queue", "pool", "async", "loop"]
                }
            }
        }

        /// One run and the signal that ends it.
        struct Trial: Sendable, CustomStringConvertible {
            var shape: Shape
            var strategy: String
            var signal: Int32
            var delay: Duration

            var description: String {
                "\(shape) under \(strategy), \(signal == SIGINT ? "SIGINT" : "SIGTERM") \(delay) after run_started"
            }
        }

        /// What a trial found.
        struct Verdict: Sendable {
            var problems: [String] = []
            var leftovers: [String] = []
            var results = 0
        }

        /// Every (shape, strategy) once, then as many more drawn from the seed as make 50 trials; each with
        /// SIGINT or SIGTERM and a moment in the run's first 0.8 s drawn from the seed.
        static func trials(seed: UInt64) -> [Trial] {
            var random = SplitMix(seed: seed)
            let combinations = Shape.allCases.flatMap { shape in shape.strategies.map { (shape, $0) } }
            var picked = combinations
            while picked.count < 50 { picked.append(combinations[Int(random.next() % UInt64(combinations.count))]) }
            return picked.map { shape, strategy in
                Trial(
                    shape: shape,
                    strategy: strategy,
                    signal: random.next() % 2 == 0 ? SIGINT : SIGTERM,
                    delay: .milliseconds(Int64(random.next() % 800))
                )
            }
        }

        @Test("SIGINT or SIGTERM at random moments: exit 130, a whole log, nothing left behind")
        func torture() async throws {
            let seed =
                ProcessInfo.processInfo.environment["CONLAB_TORTURE_SEED"].flatMap { UInt64($0) }
                ?? UInt64(UInt32.random(in: 0...UInt32.max))
            print("signal torture: seed \(seed) (CONLAB_TORTURE_SEED=\(seed) repeats the trials)")
            let trials = Self.trials(seed: seed)
            // Three at a time: the suite stays within a minute on two loaded cores, and nothing here is timed.
            let verdicts = await withTaskGroup(of: (Int, Verdict).self) { group in
                var verdicts = [Verdict](repeating: Verdict(), count: trials.count)
                var next = 0
                func start() {
                    let index = next
                    next += 1
                    group.addTask {
                        do {
                            return (index, try await Self.run(trials[index]))
                        } catch {
                            return (index, Verdict(problems: ["\(error)"]))
                        }
                    }
                }
                for _ in 0..<min(3, trials.count) { start() }
                while let (index, verdict) = await group.next() {
                    verdicts[index] = verdict
                    if next < trials.count { start() }
                }
                return verdicts
            }
            for (trial, verdict) in zip(trials, verdicts) {
                #expect(verdict.problems.isEmpty, "\(trial) (seed \(seed)): \(verdict.problems)")
                #expect(verdict.leftovers.isEmpty, "\(trial) (seed \(seed)): left \(verdict.leftovers)")
            }
            let leftovers = verdicts.map(\.leftovers.count).reduce(0, +)
            let failed = verdicts.filter { !$0.problems.isEmpty || !$0.leftovers.isEmpty }.count
            print(
                "signal torture: \(trials.count) trials, \(verdicts.map(\.results).reduce(0, +)) results logged, "
                    + "\(failed) failed, \(leftovers) leftovers (seed \(seed))"
            )
        }

        @Test("A signal after the last result, while the summary is written, still ends the log with run_finished")
        func signalWhileSummarising() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = Pipe()
            let errors = Pipe()
            // The smallest pipe the kernel allows (a page): the JSON summary of four results, about 8 KB,
            // fills it, and conlab stays blocked writing it, after the run and before `run_finished`, for
            // as long as this test does not read.
            let setPipeSize: Int32 = 1031  // F_SETPIPE_SZ
            _ = fcntl(output.fileHandleForWriting.fileDescriptor, setPipeSize, 4096)
            let process = Process()
            process.executableURL = ConlabBinary.executable
            process.currentDirectoryURL = ConlabBinary.packageRoot
            process.arguments = [
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms",
                "--strategies", "serial,async,thread,pool", "--format", "json", "--log", log,
            ]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            try output.fileHandleForWriting.close()
            try errors.fileHandleForWriting.close()
            let said = Mutex(Data())
            Thread {
                while case let chunk = errors.fileHandleForReading.availableData, !chunk.isEmpty {
                    said.withLock { $0 += chunk }
                }
            }.start()
            let status = try await OSThread.run(name: "summarising") { _ in
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(60)
                // Blocked: every result logged and the pipe full.
                while clock.now < deadline && process.isRunning {
                    var unread: Int32 = 0
                    let results = (try? LogFile.results(at: log))?.count ?? 0
                    if results == 4, ioctl(output.fileHandleForReading.fileDescriptor, UInt(FIONREAD), &unread) == 0,
                        unread >= 4096
                    {
                        break
                    }
                    BlockingSleep.sleep(for: .milliseconds(10))
                }
                kill(process.processIdentifier, SIGINT)
                // Read once the signal has been taken: conlab says so on standard error (or, before the fix,
                // was gone at once, without `run_finished`).
                while clock.now < deadline && process.isRunning
                    && !said.withLock({ String(decoding: $0, as: UTF8.self).contains("interrupted:") })
                {
                    BlockingSleep.sleep(for: .milliseconds(10))
                }
                _ = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return process.terminationStatus
            }
            #expect(status == 130)
            let events = try LogFile.events(at: log)
            #expect(events.compactMap(\.result).count == 4)
            let last = try #require(
                events.last?.runFinished,
                "the log ends with \(String(describing: events.last?.name))"
            )
            #expect(last.interrupted)
            #expect(last.exitStatus == 130)
        }

        /// Runs `trial` and checks its exit, its log and what it left.
        static func run(_ trial: Trial) async throws -> Verdict {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let temporary = folder.url.appendingPathComponent("tmp").path
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let file = try folder.write(
                "name: torture-\(trial.shape)\n\(trial.shape.scenario)\nstrategies: [serial]\n",
                to: "scenario.yaml"
            )
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let id = UUID().uuidString
            let marker = "CONLAB_TORTURE_RUN=\(id)"
            let process = try ConlabBinary.start(
                ["run", file, "--strategies", trial.strategy, "--repeat", "12", "--log", log, "--quiet"],
                environment: ["CONLAB_TORTURE_RUN": id, "TMPDIR": temporary]
            )
            let (status, footprint) = try await RunFootprint.watch(
                process,
                marker: marker,
                folders: [temporary, "/tmp"],
                keeping: [log],
                whenLog: log,
                contains: "run_started",
                after: trial.delay,
                signals: [trial.signal]
            )
            var verdict = Verdict()
            if status != 130 { verdict.problems.append("exit status \(status), not 130") }
            // Children told to stop may take a moment to be gone; nothing may be left after two seconds.
            var leftovers = footprint.leftovers(marker: marker)
            for _ in 0..<100 where !leftovers.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                leftovers = footprint.leftovers(marker: marker)
            }
            for pid in ProcessTable.processes(withEnvironment: marker) { kill(pid, SIGKILL) }
            let remaining = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
            verdict.leftovers = leftovers + remaining.map { "file \(temporary)/\($0)" }
            let events: [LogEvent]
            do {
                events = try LogFile.events(at: log)
            } catch {
                verdict.problems.append("invalid log: \(error)")
                return verdict
            }
            verdict.problems += Self.problems(of: events)
            verdict.results = events.compactMap(\.result).count
            return verdict
        }

        /// What is wrong with an interrupted run's log: it must end in `run_finished` saying so, count every
        /// `result` written, and hold only whole results: each round that finished before the signal
        /// correct, the one it cut short `interrupted` (or correct, when it finished meanwhile).
        static func problems(of events: [LogEvent]) -> [String] {
            var problems: [String] = []
            guard let last = events.last?.runFinished else {
                return ["the log ends with \(events.last?.name ?? "nothing"), not run_finished"]
            }
            if !last.interrupted { problems.append("run_finished does not say interrupted") }
            if last.exitStatus != 130 { problems.append("run_finished says \(last.exitStatus)") }
            let results = events.compactMap(\.result)
            if last.results != results.count {
                problems.append("run_finished counts \(last.results) results, the log has \(results.count)")
            }
            for (index, result) in results.enumerated() {
                let cutShort = index == results.count - 1 && result.outcome == .interrupted
                if !cutShort && !(result.outcome == .success && result.correct) {
                    problems.append(
                        "result \(index + 1) of \(results.count): \(result.outcome.rawValue), correct \(result.correct), "
                            + "\(result.error ?? "no error")"
                    )
                }
            }
            return problems
        }
    }
}
