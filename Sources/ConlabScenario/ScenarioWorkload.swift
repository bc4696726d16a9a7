public import ConlabCore

/// A kind of workload a scenario can describe, as ``Strategy`` is a kind of strategy: how its `workload:`
/// mapping is read, what it asks of strategies, what runs, and how its results read.
///
/// A workload kind is a type in its own folder, registered by one line in a list (conlab's is
/// `BuiltInWorkloads.all`) and passed around in a ``WorkloadRegistry``; nothing outside its folder names it.
/// The loader reads the keys every scenario has (`name`, `seed`, `strategies`, `workload.kind`, ...) and hands
/// the rest of the `workload` mapping to ``read(_:reader:seed:)``; the runner runs ``runnable(seed:)``; worker
/// processes decode its ``portableBatches`` and ``portablePipelines``; the summary shows ``summary(seed:)``
/// and ``summaryLines(_:)``.
///
/// ```swift
/// struct SleepWorkload: ScenarioWorkload, PhasedWorkload {
///     static let kind = "sleep"
///     static let traits = WorkloadTraits.phased(SleepWorkload.self)
///     static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> SleepWorkload? { ... }
///     func runnable(seed: UInt64) -> RunnableWorkload { .phased(self) }
///     func summary(seed: UInt64) -> String { "\(naps) naps" }
///     ...
/// }
/// ```
public protocol ScenarioWorkload: Sendable {
    /// `workload.kind` as scenario files write it, e.g. `life`; unique in a registry.
    static var kind: String { get }

    /// What a strategy must support to run it (``Strategy/refusal(of:kind:)``), read from its types.
    static var traits: WorkloadTraits { get }

    /// The batch types its phases travel in to worker processes, for the workers to decode by
    /// ``PortableBatch/batchKind``. Default: none.
    static var portableBatches: [any PortableBatch.Type] { get }

    /// The pipeline types it sends to worker processes, decoded by ``PortablePipeline/pipelineKind``.
    /// Default: none.
    static var portablePipelines: [any PortablePipeline.Type] { get }

    /// The header of a per-phase pace column in the summary table, e.g. `per gen`. Default: `per phase`.
    static var paceColumn: String { get }

    /// Whether a result's digest is the digest of a final grid, which the log also writes as
    /// `final_grid_sha256` and `expect.final_grid_sha256` checks. Default: `false`.
    static var digestIsFinalGrid: Bool { get }

    /// Reads the workload's own keys of the `workload` mapping: the loader has read `kind`, and reports every
    /// key nobody asked for once this returns. Every problem goes to `reader` with its location and key path
    /// (`workload.rows`); `nil` when there was any.
    ///
    /// `seed` is the scenario's seed (after `--seed`), for workloads that draw from it.
    static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> Self?

    /// What runs for `seed`: phased work or a pipeline.
    func runnable(seed: UInt64) -> RunnableWorkload

    /// What its units start in child processes, known from the workload as written (`conlab explain` refuses
    /// a plan over the machine's limits with it, before anything runs).
    var childDemand: ChildDemand { get }

    /// The line under a scenario's title and description, e.g. `5×9 grid, 4 generations, no I/O; seed 1`.
    func summary(seed: UInt64) -> String

    /// The reference's states rendered for printing (a small grid's generations), or `nil`. Default: `nil`.
    func frames<State>(of states: [State]) -> [String]?

    /// The reference's states as grids of cells, for the log's pictures of a few of them, or `nil` when its
    /// states are not grids. Default: `nil`.
    func grids<State>(of states: [State]) -> StateGrids?

    /// The figures a result reports, from those the final state measured (``PhasedWorkload/figures(of:)``)
    /// and the seconds its phases took. Default: the measured figures.
    func figures(_ measured: [String: Double], phaseSeconds: Double) -> [String: Double]

    /// Lines the summary prints below its table about the results' figures, e.g. lost updates. Default: none.
    static func summaryLines(_ results: [WorkloadResult]) -> [String]
}

extension ScenarioWorkload {
    /// None.
    public static var portableBatches: [any PortableBatch.Type] { [] }
    /// None.
    public static var portablePipelines: [any PortablePipeline.Type] { [] }
    /// `per phase`.
    public static var paceColumn: String { "per phase" }
    /// `false`.
    public static var digestIsFinalGrid: Bool { false }
    /// `nil`: nothing to print.
    public func frames<State>(of states: [State]) -> [String]? { nil }
    /// `nil`: not grids.
    public func grids<State>(of states: [State]) -> StateGrids? { nil }
    /// The measured figures.
    public func figures(_ measured: [String: Double], phaseSeconds: Double) -> [String: Double] { measured }
    /// None.
    public static func summaryLines(_ results: [WorkloadResult]) -> [String] { [] }

    /// The kind, for a workload in hand: ``kind``.
    public var kind: String { Self.kind }
    /// The traits, for a workload in hand: ``traits``.
    public var traits: WorkloadTraits { Self.traits }
    /// The shape strategies must support to run it.
    public var shape: WorkloadShape { Self.traits.shape }
}
