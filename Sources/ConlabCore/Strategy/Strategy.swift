/// A way of running many units of work at once: serial, threads, a pool, async tasks, processes.
///
/// `Strategy` is the contract every module under `Plugins/` implements. It is deliberately small:
/// a strategy describes itself, validates its options, and opens a ``StrategySession`` that executes
/// the work the runner hands it, phase by phase. The runner owns everything else — the scenario,
/// the reference result, timing, logs — so a strategy never measures or checks itself.
///
/// Contract:
/// - Each option is declared once, as a ``StrategyOption`` listed in ``options``; `init(options:)` reads them
///   with ``StrategyOptions/values(for:)``, which rejects a key not declared, naming it and its location.
///   `conlab strategies`, the label and the docs table come from the same declarations.
/// - A session executes units as the strategy's model says (a thread per unit, a fixed pool, tasks, ...),
///   waits in the way that model waits (a blocked OS thread, or a suspended task), and returns outputs
///   in unit order, or throws the ``UnitFailure`` of a unit that failed.
/// - Blocking strategies never block the cooperative thread pool: they block threads of their own.
/// - `estimate(context:)` says, without creating anything, what a session would create for the plan
///   and whether it would refuse it (`conlab explain`); `makeSession` refuses the same plans.
/// - Every strategy must pass `StrategyConformance` in `ConlabConformance`.
///
/// ```swift
/// public struct SerialStrategy: Strategy {
///     public static let name = "serial"
///     public static let summary = "One unit after another on one thread: the reference."
///     public init(options: StrategyOptions) throws(OptionError) { _ = try options.values(for: Self.self) }
///     public func makeSession(context: StrategyContext) async throws -> any StrategySession { ... }
///     public func estimate(context: StrategyContext) -> StrategyEstimate {
///         StrategyEstimate(threads: 1, schedule: .units(concurrency: 1))
///     }
/// }
/// ```
public protocol Strategy: Sendable {
    /// The name scenarios and `--strategies` use, lowercase.
    static var name: String { get }
    /// Other names accepted for this strategy. Default: none.
    static var aliases: [String] { get }
    /// One line saying what the strategy does, shown by `conlab strategies`.
    static var summary: String { get }
    /// The workload shapes this strategy can run. Default: ``WorkloadShape/phased``.
    static var supportedShapes: Set<WorkloadShape> { get }
    /// Whether units run in another process, so that only work whose units can be sent there
    /// (``WorkloadTraits/isPortable``) can run. Default: `false`.
    static var runsUnitsElsewhere: Bool { get }
    /// The options this strategy understands, each declared once (``StrategyOption``), in the order its label
    /// lists them. Default: none.
    static var options: [any OptionDeclaration] { get }
    /// What the seed's Python would have done with a unit failure under this model, when it differs from
    /// conlab (item 57: a `Thread` swallows the exception). Shown next to a failure. Default: none.
    static var pythonFailureNote: String? { get }
    /// Whether a pipeline's `buffer` bounds the items waiting between two stages, as item 55's bounded
    /// queues do. Default: `true`; only a strategy with no buffers to bound (a pool keeps items as pending
    /// jobs, item 59) says `false`, and the conformance kit then does not hold it to the buffer.
    static var boundsPipelineBuffers: Bool { get }

    /// Creates the strategy from the options written next to its name in a scenario.
    init(options: StrategyOptions) throws(OptionError)

    /// A label for this configuration, e.g. `pool(max_workers: 10)`: ``OptionValues/label(_:)`` of the options
    /// read. Default: the name.
    var label: String { get }

    /// Opens a session: workers, pools and threads a strategy keeps across phases are created here.
    func makeSession(context: StrategyContext) async throws -> any StrategySession

    /// What it would create for `context.plan`, without creating anything (`conlab explain`).
    func estimate(context: StrategyContext) -> StrategyEstimate
}

extension Strategy {
    /// No aliases.
    public static var aliases: [String] { [] }
    /// Fan-out/fan-in phases only.
    public static var supportedShapes: Set<WorkloadShape> { [.phased] }
    /// Units run in this process.
    public static var runsUnitsElsewhere: Bool { false }

    /// Why this strategy cannot run a workload of `kind` with `traits`, from its declarations; `nil` when
    /// it can. The one answer `validate`, `run`, `explain` and `strategies` give.
    public static func refusal(of traits: WorkloadTraits, kind: String) -> String? {
        if !supportedShapes.contains(traits.shape) {
            return "strategy '\(name)' cannot run \(kind) workloads (\(traits.shape.rawValue) shape)"
        }
        if runsUnitsElsewhere && !traits.isPortable {
            return "strategy '\(name)' cannot run \(kind) workloads: it runs units in other processes, "
                + "and \(kind) units cannot be sent to one"
        }
        return nil
    }
    /// No options.
    public static var options: [any OptionDeclaration] { [] }
    /// The options for listings, from their declarations.
    public static var optionHelp: [OptionHelp] { options.map { OptionHelp($0.key, $0.summary) } }
    /// Python propagates the failure too.
    public static var pythonFailureNote: String? { nil }
    /// Pipelines' buffers are bounded.
    public static var boundsPipelineBuffers: Bool { true }
    /// The strategy's name.
    public var label: String { Self.name }
}
