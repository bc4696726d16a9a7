import ArgumentParser
import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabLog
import ConlabRunner
import ConlabScenario
import ConlabWorkloads
import Foundation

extension Conlab {
    /// `conlab run`: run scenarios under their strategies, check every result, log and summarise.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run scenario files under their strategies and compare each with the serial reference.",
            discussion: """
                For each scenario conlab computes the serial reference (without waiting), runs every strategy \
                for real, checks each phase's state against the reference, and prints the frames (small \
                grids, or a single client's guessing-game moves) and a summary: wall time, time per \
                generation, the ideal floor and their ratio. \
                A timing is only marked correct when the result equals the reference.

                Every event is appended to a JSON Lines log as it happens (docs/log-schema.md), by default \
                a new file under .conlab/runs/.

                Examples:
                  conlab run scenarios/life-glider.yaml
                  conlab run scenarios/ --strategies async --quiet
                  conlab run scenarios/life-glider.yaml --set workload.io.latency=1ms --log -
                  conlab run scenarios/item-60-life-million.yaml     # a million waiting cells on event loops
                  conlab run scenarios/life-glider.yaml --sweep workload.workers=1,2,4 --shard 0/3 --log shard-0.jsonl

                With --shard I/N, only every Nth cell (scenario, sweep setting and repetition, with all its \
                strategies) runs, from the Ith; the log names the shard and every cell of the run, and \
                'conlab merge' checks the shards belong together and writes one log (docs/running-on-schedulers.md).

                Exit status: 0 all correct and as expected; 1 a result was wrong or below its ideal \
                floor (an invalid measurement), a unit failed unexpectedly, or the log, the trace or the \
                output could not be written whole; 2 invalid scenario or arguments, a strategy that would run \
                more processes or hold more descriptors at once than this machine allows (from pid_max, \
                threads-max, RLIMIT_NPROC and RLIMIT_NOFILE), or a --log or --trace path that cannot be \
                opened (nothing runs); 64 a command-line usage error; 130 interrupted.
                """
        )

        @OptionGroup var scenarios: ScenarioOptions

        @Option(
            help: ArgumentHelp(
                "Run only these strategies (comma-separated names). One the scenario lists keeps its options.",
                valueName: "a,b"
            )
        )
        var strategies: String?

        @Option(
            help: ArgumentHelp("Write the JSON Lines log here; '-' for standard output.", valueName: "path")
        )
        var log: String?

        @Option(help: "Print the generations side by side: auto (small grids), always, never.")
        var frames: FramesMode = .auto

        @Option(
            help: ArgumentHelp(
                "The summary: text (tables as each scenario finishes), json, markdown (one catalog row per scenario) or csv.",
                valueName: "format"
            )
        )
        var format: SummaryFormatOption = .text

        @Option(
            help: ArgumentHelp(
                "Measure every strategy this many times, interleaved in an order shuffled by the seed; the summary shows the median and the range.",
                valueName: "n"
            )
        )
        var `repeat`: Int = 1

        @Option(help: ArgumentHelp("Rounds to run first and throw away.", valueName: "n"))
        var warmup: Int = 0

        @Option(
            help: ArgumentHelp(
                "Run each scenario at every value of a field, e.g. workload.workers=1,2,4,8 (repeatable: several make a grid); a table per strategy gives each setting's speed-up, efficiency, the knee and the best setting.",
                valueName: "key.path=v1,v2,..."
            )
        )
        var sweep: [String] = []

        @Option(
            help: ArgumentHelp(
                "Also write a Chrome Trace Event Format file here (open it in ui.perfetto.dev or chrome://tracing): a process per strategy run, a track per thread with its units' compute, each unit a slice with its waits inside. At most 20,000 units per strategy run, sampled evenly; the log keeps 200 of them per round (unit_timeline) for 'conlab report'. A path that cannot be opened is refused before anything runs.",
                valueName: "path"
            )
        )
        var trace: String?

        @Option(
            help: ArgumentHelp(
                "Run only shard I of N (from 0) of the run's cells, each a scenario (per sweep setting) and repetition with all its strategies; 'conlab merge' puts the shards' logs together.",
                valueName: "I/N"
            )
        )
        var shard: String?

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            _ = try parsedSweeps()
            _ = try parsedShard()
            guard (1...1000).contains(`repeat`) else { throw ValidationError("--repeat expects 1 to 1000") }
            guard (0...100).contains(warmup) else { throw ValidationError("--warmup expects 0 to 100") }
        }

        enum SummaryFormatOption: String, ExpressibleByArgument, CaseIterable {
            case text, json, markdown, csv
        }

        enum FramesMode: String, ExpressibleByArgument, CaseIterable {
            case auto, always, never
        }

        func run() async throws {
            let registry = Conlab.registry
            let (loaded, sweepPoints, invalid) = try loadScenarios(registry: registry)
            let selected = try selection(registry: registry)
            if invalid || loaded.isEmpty {
                if loaded.isEmpty && !invalid { StandardError.print("no scenario files found in \(scenarios.files)") }
                throw ExitCode(ExitStatus.invalidInput)
            }
            let machine = MachineInfo.current()
            let plans = try loaded.map { scenario in
                (scenario, try selected.map { try $0.flatMap { try $0.specs(for: scenario) } } ?? scenario.strategies)
            }
            let services = try Conlab.makeServices()
            try refuseOverProcessLimits(plans, cores: machine.cores, services: services.waits)
            // With --shard, each scenario's measured rounds that fall to this shard; nil runs them all.
            let sharding = try parsedShard().map { try shardPlan($0, plans: plans) }

            // Opened before anything runs: a trace path that cannot be written is refused now, like a log path,
            // rather than after a run that may take minutes.
            let traceFile: OutputFile?
            do {
                traceFile = try trace.map { path throws(OutputFile.Failure) in try OutputFile(path, what: "the trace") }
            } catch {
                StandardError.print(error.description)
                throw ExitCode(ExitStatus.invalidInput)
            }
            // From before the log opens until its `run_finished` is written, the first signal cancels the run
            // instead of ending conlab: whenever it comes, the log ends with `run_finished`.
            let cancellation = RunCancellation()
            Interrupts.register(cancellation)
            defer { Interrupts.unregister() }
            let eventLog: EventLog
            do {
                eventLog = try EventLog(destination(firstScenario: loaded[0].name))
            } catch {
                StandardError.print(String(describing: error))
                throw ExitCode(ExitStatus.invalidInput)
            }
            // One stream of run events, from here and from the runner, to the log, the status line, the trace
            // and the summary.
            let chromeTrace = traceFile.map { _ in ChromeTrace() }
            let summary = RunSummary(
                format: SummaryFormat(rawValue: format.rawValue)!,
                frames: frames,
                sweeping: !sweep.isEmpty,
                quiet: quiet,
                logOnStandardOutput: log == "-"
            )
            let events = RunEvents(
                [eventLog] + StatusLine.make(quiet: quiet || format != .text) + (chromeTrace.map { [$0] } ?? [])
                    + [summary]
            )
            events.receive(
                .log(
                    .runStarted(
                        RunStarted(
                            machine: machine,
                            conlabVersion: Conlab.version,
                            arguments: CommandLine.arguments,
                            scenarios: loaded.map {
                                ScenarioReference(name: $0.name, file: $0.file, sha256: $0.fileSHA256, seed: $0.seed)
                            },
                            shard: sharding?.info
                        )
                    )
                )
            )

            let runner = ScenarioRunner(
                events: events.sinks,
                cores: machine.cores,
                services: services,
                repeats: `repeat`,
                warmups: warmup,
                timelines: trace != nil
            )
            if let info = sharding?.info, info.cells.isEmpty, format == .text {
                say(
                    "shard \(info.index)/\(info.count) is empty: the run has \(info.runCells.count) cell\(info.runCells.count == 1 ? "" : "s"), none of them this shard's; nothing to run"
                )
            }
            var results = 0
            var failures = 0
            var scenarioUnmetExpectations = Array(repeating: 0, count: plans.count)
            // The scenarios run in a task of their own, so the first Ctrl-C can cancel it.
            let reports = Task {
                var reports: [(index: Int, report: ScenarioReport)] = []
                for (index, ((scenario, specs), sweep)) in zip(plans, sweepPoints).enumerated() where !Task.isCancelled
                {
                    let rounds = sharding?.rounds[index]
                    // A scenario none of whose cells is this shard's is not started: no reference, no heading.
                    if let rounds, rounds.isEmpty { continue }
                    reports.append(
                        (index, await runner.run(scenario, strategies: specs, sweep: sweep, rounds: rounds))
                    )
                }
                return reports
            }
            cancellation.attach(reports)
            let completed = await reports.value
            for (index, report) in completed {
                results += report.results.count
                failures += report.results.filter { !report.passes($0) }.count
                scenarioUnmetExpectations[index] = report.problems.count
            }
            let unmetExpectations = scenarioUnmetExpectations.reduce(0, +)
            // Everything for people and the trace go out before `run_finished`, so that its exit status counts
            // what they lost too; after it, only the verdict of a run that failed anyway.
            events.receive(.scenariosFinished)
            var traceFailure: OutputFile.Failure?
            if let traceFile, let chromeTrace {
                // Written after an interruption too: what was measured is kept.
                do {
                    try chromeTrace.write(to: traceFile)
                    if format == .text { say("trace: \(traceFile.path)") }
                } catch {
                    traceFailure = error
                }
            }
            if let path = eventLog.path, path != "-", format == .text { say("log: \(path)") }
            // Asked only now: a signal that came while the summary or the trace was written (a reader that
            // does not read can hold conlab there) interrupted this run as much as one that cut a unit short.
            let interrupted = Interrupts.wasInterrupted
            let lost = eventLog.writeFailure != nil || traceFailure != nil || HumanOutput.failure != nil
            let complete = failures == 0 && unmetExpectations == 0 && !lost
            let status = interrupted ? ExitStatus.interrupted : complete ? ExitStatus.success : ExitStatus.failed
            events.receive(
                .log(
                    .runFinished(
                        RunFinished(
                            exitStatus: status,
                            results: results,
                            failures: failures,
                            unmetExpectations: unmetExpectations,
                            scenarioUnmetExpectations: scenarioUnmetExpectations,
                            interrupted: interrupted,
                            processSeconds: ProcessLifetime.seconds()
                        )
                    )
                )
            )
            // Written: a signal from now on ends conlab at once, with status 130.
            Interrupts.unregister()
            // Checked again: `run_finished` may be the first line the log lost.
            let logFailure = eventLog.writeFailure
            let exitStatus = status == ExitStatus.success && logFailure != nil ? ExitStatus.failed : status
            if exitStatus != ExitStatus.success {
                var verdict: [String] = []
                if interrupted {
                    verdict.append("interrupted; \(results) result\(results == 1 ? " is" : "s are") in the log")
                }
                if failures > 0 && !interrupted {
                    verdict.append("\(failures) of \(results) results incorrect or not as expected")
                }
                if unmetExpectations > 0 {
                    verdict.append(
                        "\(unmetExpectations) scenario expectation\(unmetExpectations == 1 ? "" : "s") not met"
                    )
                }
                if let logFailure { verdict.append(logFailure.description) }
                if let traceFailure { verdict.append(traceFailure.description) }
                if let outputFailure = HumanOutput.failure { verdict.append(outputFailure.description) }
                StandardError.print(verdict.joined(separator: "; "))
                throw ExitCode(exitStatus)
            }
        }

        /// Prints for people: to standard output, or to standard error when the log takes standard output.
        private func say(_ text: String) {
            guard !quiet else { return }
            if log == "-" { StandardError.print(text) } else { StandardOutput.print(text) }
        }

        private func destination(firstScenario: String) -> EventLog.Destination {
            switch log {
            case "-": .standardOutput
            case let path?: .file(path)
            // The process id keeps two runs started in the same second apart.
            case nil: .file(".conlab/runs/\(Timestamp.compact())-\(getpid())-\(firstScenario).jsonl")
            }
        }
    }
}
