public import ConlabCore
import ConlabToolkit

/// A strategy that is a program of its own, in any language, registered by a manifest
/// (``StrategyManifest``) and spoken to over pipes (`docs/strategy-protocol.md`).
///
/// conlab starts the program (argv, never a shell), sends each phase whole and reads back its results. The
/// program performs the waits and the workload's logic in its own runtime; conlab keeps the clock and checks
/// every result against the serial reference, as for its own strategies. A protocol violation, a program
/// that dies or that does not answer within `phase_timeout` fails the result with a message saying so; the
/// program is killed and reaped on every path.
///
/// ```yaml
/// strategies:
///   - external: { program: python-serial }
/// ```
public struct ExternalStrategy: Strategy {
    /// `external`.
    public static let name = "external"
    /// What it does.
    public static let summary =
        "A strategy program registered by a manifest (strategies/*.json), fed whole phases over pipes."
    /// `program`: the manifest's name.
    static let programOption = StrategyOption<String?>(
        "program",
        OptionForm(expected: "the name of a strategy manifest", read: Self.text, write: { $0 }),
        unset: "none; required",
        help: "the registered program to run (`conlab strategies` lists them)"
    )
    /// `phase_timeout`: how long a phase may take before the program is taken for hung.
    static let phaseTimeoutOption = StrategyOption<Duration>(
        "phase_timeout",
        .duration,
        default: .seconds(60),
        help: "longest wait for a phase's answer before the program is killed as hung"
    )
    /// Phases and pipelines: what a program runs is up to its manifest's `workloads`, checked per run.
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]
    /// `program`, `phase_timeout`.
    public static let options: [any OptionDeclaration] = [programOption, phaseTimeoutOption]

    /// The registered program.
    public let manifest: StrategyManifest
    /// The longest a phase may take.
    public let phaseTimeout: Duration
    /// How the program is told that the run is over: `end`, or the end of its input.
    public let farewell: ProgramEnding.Farewell
    /// Told how the program ended each time a run let it go (not when it was killed for a failure).
    public let whenEnded: (@Sendable (ProgramEnding) -> Void)?

    /// The value of each option the manifest declares, as the program receives it.
    public let programOptions: [String: ManifestOption.Value]

    /// The manifest's name, then each of its options the scenario wrote: the program is the strategy, in
    /// summaries and logs (`python-pool(workers: 8)`).
    public let label: String

    /// Reads `program` and finds its manifest (``StrategyManifest/searchFolders``), `phase_timeout`, and the
    /// options the manifest declares; a key that is neither the strategy's nor the manifest's is an error.
    public init(options: StrategyOptions) throws(OptionError) {
        // The manifest's options are known only once `program` is read: the strategy's own are read first.
        let own = Set(Self.options.map(\.key))
        let values = try StrategyOptions(options.entries.filter { own.contains($0.key) }, location: options.location)
            .values(for: Self.self)
        let location = options.entries["program"]?.location ?? options.location
        guard let name = values[Self.programOption] else {
            throw OptionError(key: "program", location: location, expected: "a program: \(Self.registered())")
        }
        let found = StrategyManifest.all()
        guard let manifest = found.manifests.first(where: { $0.name == name }) else {
            let problems = found.problems.map { "; \($0)" }.joined()
            throw OptionError(
                key: "program",
                location: location,
                expected: "a registered program, not '\(name)': \(Self.registered())\(problems)"
            )
        }
        var programOptions: [String: ManifestOption.Value] = [:]
        var written: [String] = []
        for option in manifest.options {
            guard let entry = options.entries[option.key] else {
                programOptions[option.key] = option.defaultReceived
                continue
            }
            guard let value = option.read(entry.value) else {
                throw OptionError(key: option.key, location: entry.location, expected: option.expected)
            }
            programOptions[option.key] = value
            written.append("\(option.key): \(option.written(value))")
        }
        let declared = own.union(manifest.options.map(\.key))
        for key in options.entries.keys.sorted() where !declared.contains(key) {
            let known = ([Self.programOption.key, Self.phaseTimeoutOption.key] + manifest.options.map(\.key))
                .map { "'\($0)'" }.joined(separator: ", ")
            throw OptionError(
                key: key,
                location: options.entries[key]!.location,
                expected: "no option '\(key)' for program '\(name)'; expected one of \(known)",
                isUnknownKey: true
            )
        }
        self.init(
            manifest: manifest,
            phaseTimeout: values[Self.phaseTimeoutOption],
            programOptions: programOptions,
            label: written.isEmpty ? manifest.name : "\(manifest.name)(\(written.joined(separator: ", ")))"
        )
    }

    /// Runs the program `manifest` registers, as `conlab conform` does with a program no manifest names; its
    /// options take their defaults unless `programOptions` gives them.
    public init(
        manifest: StrategyManifest,
        phaseTimeout: Duration,
        programOptions: [String: ManifestOption.Value] = [:],
        label: String? = nil,
        farewell: ProgramEnding.Farewell = .endMessage,
        whenEnded: (@Sendable (ProgramEnding) -> Void)? = nil
    ) {
        self.manifest = manifest
        self.phaseTimeout = phaseTimeout
        self.programOptions = manifest.options.reduce(into: programOptions) { values, option in
            if values[option.key] == nil { values[option.key] = option.defaultReceived }
        }
        self.label = label ?? manifest.name
        self.farewell = farewell
        self.whenEnded = whenEnded
    }

    /// The concurrency the program runs at: its manifest's, or the value of the option its manifest names.
    public var concurrency: Int? { manifest.concurrency(with: programOptions) }

    /// One program, one thread of conlab talking to it, and the concurrency its manifest states.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 1, processes: 1, schedule: .units(concurrency: concurrency))
    }

    /// Starts the program and checks its greeting.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        let manifest = self.manifest
        let options = programOptions
        let program = try await OSThread.run(name: "conlab-external") { cancellation in
            try ExternalProgram.start(manifest, options: options, cancellation: cancellation)
        }
        return ExternalSession(
            program: program,
            manifest: manifest,
            concurrency: concurrency,
            phaseTimeout: phaseTimeout,
            farewell: farewell,
            whenEnded: whenEnded
        )
    }

    private static func registered() -> String {
        let names = StrategyManifest.all().manifests.map(\.name)
        let folders = StrategyManifest.searchFolders.joined(separator: ", ")
        return names.isEmpty
            ? "none is registered (no manifest in \(folders))"
            : "one of \(names.joined(separator: ", ")) (manifests in \(folders))"
    }

    @Sendable private static func text(_ value: OptionValue) -> String? {
        guard case .string(let text) = value, !text.isEmpty else { return nil }
        return text
    }
}
