/// One strategy's execution of one scenario: opened before the first phase, closed after the last.
///
/// Contract:
/// - ``run(_:)`` executes every unit of the batch exactly once and returns their outputs in unit order;
///   if a unit fails it throws that unit's ``UnitFailure`` (stopping or cancelling the others as the
///   strategy's model allows) and the session stays usable for ``close()``.
/// - ``concurrency`` is how many units may wait at the same time; the runner derives the ideal time
///   from it (``IdealSchedule``), so it must be the truth: a pool of 10 says 10.
/// - ``close()`` releases every thread, task and process the session made; it is always called.
public protocol StrategySession: Sendable {
    /// How many units can be in flight at once; `nil` when unbounded (a thread or task per unit).
    var concurrency: Int? { get }

    /// Executes one fan-out/fan-in phase and returns the units' outputs in unit order.
    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output]

    /// The shortest time this session could take for a phase whose units wait as `profile` says.
    /// Default: ``IdealSchedule/makespan(of:workers:)`` of the units' totals on ``concurrency`` workers.
    func idealDuration(of profile: PhaseProfile) -> Duration

    /// Figures particular to this strategy, by name (e.g. `thread_spawn_seconds_mean`), read after the last
    /// phase. Default: none.
    func metrics() -> [String: Double]

    /// What the strategy saw go wrong without failing, in sentences for the summary (a blocked
    /// cooperative pool, say), read after the last phase. Default: none.
    func warnings() -> [String]

    /// Runs a whole pipeline, recording deliveries and costs into `recorder`. Only called when the
    /// strategy lists ``WorkloadShape/pipeline`` among its shapes. Default: throws.
    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws

    /// The shortest time this session could run a pipeline whose units wait as `profile` says (one step
    /// per stage). Default: a first-come first-served flow shop with each stage's workers.
    func idealPipelineDuration(of profile: PhaseProfile, stages: [PipelineStage]) -> Duration

    /// Releases the session's resources. Called once, after the last phase or after a failure.
    func close() async
}

extension StrategySession {
    /// List scheduling of the units' total waits, in order, on ``concurrency`` workers.
    public func idealDuration(of profile: PhaseProfile) -> Duration {
        IdealSchedule.makespan(of: profile.totals, workers: concurrency)
    }

    /// Refuses: the strategy does not run pipelines.
    public func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        throw StrategyRefusal("this strategy does not run pipelines")
    }

    /// Each stage's workers take items first come, first served.
    public func idealPipelineDuration(of profile: PhaseProfile, stages: [PipelineStage]) -> Duration {
        IdealSchedule.pipeline(profile, stages: stages, concurrency: nil)
    }

    /// No figures of its own.
    public func metrics() -> [String: Double] { [:] }

    /// Nothing to warn about.
    public func warnings() -> [String] { [] }

    /// Nothing to release.
    public func close() async {}
}
