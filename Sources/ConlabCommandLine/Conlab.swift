public import ArgumentParser
public import ConlabCore
import ConlabExternal
import ConlabIO
public import ConlabScenario
import ConlabToolkit
public import ConlabWorkloads
import Glibc

/// `conlab`: run concurrency experiments described in YAML and compare the strategies that run them.
///
/// The command line is a library so that another package can build a `conlab` of its own with more
/// strategies and workloads: its executable's `main.swift` is one line,
///
/// ```swift
/// await Conlab.main(strategies: BuiltInStrategies.all + [MyStrategy.self], workloads: BuiltInWorkloads.all + [MyWorkload.self])
/// ```
public struct Conlab: AsyncParsableCommand {
    static let version = "0.1.0"

    /// The strategies this command line runs: the list given to ``main(strategies:)``, passed down to every
    /// subcommand as a task-local value rather than kept in a global.
    @TaskLocal static var registry = StrategyRegistry([])

    /// The workload kinds scenario files may use: the list given to ``main(strategies:workloads:)``, passed
    /// down the same way.
    @TaskLocal static var workloads = WorkloadRegistry([])

    /// The root command: `run`, `explain`, `report`, `validate`, `compare`, `strategies`, `conform`.
    public static let configuration = CommandConfiguration(
        commandName: "conlab",
        abstract: "A concurrency lab: run the same workload under serial, async and other strategies, and compare.",
        discussion: """
            A scenario file (YAML, see docs/scenario-format.md) describes a workload — a Game of Life whose \
            cells wait on I/O, for example — and the strategies to run it with. conlab runs the serial \
            reference, runs every strategy, checks each against the reference, and prints what each cost \
            next to its ideal. Every run also writes a JSON Lines log (docs/log-schema.md).

            Examples:
              conlab run scenarios/life-glider.yaml
              conlab run scenarios/life-glider.yaml --strategies async --set workload.io.latency=10ms
              conlab run scenarios/item-59-life-pool.yaml --sweep strategies.0.pool.max_workers=1,5,45
              conlab run scenarios/life-glider.yaml --log run.jsonl --trace run.trace.json
              conlab report run.jsonl -o report.html
              conlab explain scenarios/life-random-100.yaml
              conlab validate scenarios/*.yaml
              conlab strategies
              conlab conform -- python3 -u Plugins/python/strategy_serial.py

            Exit status: 0 success; 1 a result was wrong, a unit failed unexpectedly, or the log, a trace or \
            the output could not be written whole; 2 invalid scenario or arguments; 64 a command-line usage \
            error (an unknown option, a bad value); 130 interrupted.
            """,
        version: version,
        // Every subcommand names itself (`commandName:`). Without a name ArgumentParser makes one with
        // `String(describing:)`, whose casts search all 7,300 protocol conformances in the binary, a third of
        // them Foundation's, once per subcommand and protocol: a fifth of the time `conlab --version` took.
        subcommands: [
            Run.self, Merge.self, Explain.self, Report.self, Validate.self, Compare.self, Strategies.self,
            Conform.self, Worker.self,
        ]
    )

    /// Creates the root command (ArgumentParser's requirement; it has no options of its own).
    public init() {}

    /// Runs the command line with `strategies` as its registered strategies (and `external`, the strategy
    /// programs registered by manifests, docs/strategy-protocol.md) and `workloads` as its workload
    /// kinds (by default the built-in ones), then exits with the command's status. The program's `main.swift`
    /// calls it once.
    @MainActor public static func main(
        strategies: [any Strategy.Type],
        workloads: [any ScenarioWorkload.Type] = BuiltInWorkloads.all
    ) async -> Never {
        // Before anything is opened: a descriptor the parent closed must not become the log or a pipe.
        HumanOutput.reserveStandardDescriptors()
        // Before any other thread exists: every thread (the cooperative pool's too) inherits the timer slack,
        // and the allocator's arena cap holds only for arenas made after it.
        TimerSlack.minimizeForCurrentThread()
        ProcessMemory.settleAllocator()
        let workloads = WorkloadRegistry(workloads)
        if CommandLine.arguments.dropFirst().elementsEqual(["worker"]) { Worker.serve(workloads: workloads) }
        Interrupts.install()
        var status = ExitStatus.success
        do {
            // Programs registered by manifests are always reachable, through the `external` strategy.
            let registered =
                strategies.contains { $0 == ExternalStrategy.self } ? strategies : strategies + [ExternalStrategy.self]
            let strategyRegistry = StrategyRegistry(registered, presets: Self.programPresets)
            try await $registry.withValue(strategyRegistry) {
                try await $workloads.withValue(workloads) { try await parseAndRun() }
            }
        } catch {
            status = report(error)
        }
        // Output that did not arrive turns a success into a failure, as a log that lost events does; a
        // command that failed keeps its own status.
        if status == ExitStatus.success, let failure = HumanOutput.failure {
            StandardError.print("conlab: \(failure)")
            status = ExitStatus.failed
        }
        Glibc.exit(status)
    }

    /// Parses the command line and runs the command, with the manifests given by `--strategy-path` found first
    /// wherever the command looks one up. On the main actor, as `main` is: off it, a start would wait for the
    /// first thread of the cooperative pool.
    @MainActor private static func parseAndRun() async throws {
        var command = try parsed()
        let paths = strategyPaths(of: command)
        if !paths.isEmpty {
            try await StrategyManifest.$commandLinePaths.withValue(paths) {
                // Parsed again here: a command made outside this closure could not be run inside it.
                var command = try parseAsRoot()
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            }
        } else if var asyncCommand = command as? any AsyncParsableCommand {
            // Without the flag the task-local list is already empty, so the command parsed is the one to run:
            // parsing is a third of a start (issue 20 point 5), and it is not done twice.
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }

    /// The command line parsed, as a value of its own that the caller may hand to the command's `run()`.
    private nonisolated static func parsed() throws -> sending any ParsableCommand {
        try parseAsRoot()
    }

    /// The `--strategy-path` manifests of `command`, if it takes them. Not on the main actor: a cast there could
    /// find a conformance isolated to it, and the command could then not be handed to its `run()`.
    private nonisolated static func strategyPaths(of command: any ParsableCommand) -> [String] {
        (command as? any ManifestReading)?.strategyPaths ?? []
    }

    /// Each strategy program a manifest registers, under its own name: the `external` strategy with `program:
    /// NAME`, taking `phase_timeout` and the options its manifest declares.
    @Sendable static func programPresets() -> [StrategyPreset] {
        StrategyManifest.all().manifests.map { manifest in
            StrategyPreset(
                name: manifest.name,
                strategy: ExternalStrategy.self,
                options: ["program": .string(manifest.name)],
                summary: manifest.description,
                optionHelp: ExternalStrategy.optionHelp.filter { $0.key != "program" }
                    + manifest.options.map(\.optionHelp)
            )
        }
    }

    /// What ArgumentParser's `exit(withError:)` prints (help and `--version` on standard output, errors on
    /// standard error), written through ``HumanOutput`` so that a stream that cannot be written is reported
    /// rather than dropped. Returns the exit status.
    private static func report(_ error: any Error) -> Int32 {
        let status = exitCode(for: error).rawValue
        let message = fullMessage(for: error)
        if !message.isEmpty {
            HumanOutput.write(message + "\n", to: status == ExitStatus.success ? .standardOutput : .standardError)
        }
        return status
    }
}
