/// What the runner hands a strategy when it opens a session: the caller's limits and knobs,
/// so strategies never invent their own.
public struct StrategyContext: Sendable {
    /// The scenario's random seed, for strategies that need deterministic choices of their own.
    public var seed: UInt64
    /// The number of CPU cores the machine offers.
    public var cores: Int
    /// The work the session will run.
    public var plan: WorkPlan
    /// The `conlab` executable that worker processes run (`conlab worker`); by default this process's own.
    public var workerExecutable: String
    /// What the session's waits are performed with: the timer of modelled waits, and the services (a child
    /// reactor) external waits need. Pass it to every driver (`runSuspending(using:reportingTo:)`, ...).
    public var services: WaitServices
    /// Where the session's units report their timings: hand it to the drivers
    /// (`runBlocking(using:reportingTo:)`, `runSuspending(using:reportingTo:)`, in ConlabToolkit) or
    /// report to it directly. `nil` when nobody listens (tests, plans that are only explained).
    public var unitTimings: (any UnitTimings.Sink)?

    /// Creates a context.
    public init(
        seed: UInt64,
        cores: Int,
        plan: WorkPlan = WorkPlan(phases: 1, largestPhase: 1),
        workerExecutable: String = Self.currentExecutable,
        services: WaitServices,
        unitTimings: (any UnitTimings.Sink)? = nil
    ) {
        self.seed = seed
        self.cores = cores
        self.plan = plan
        self.workerExecutable = workerExecutable
        self.services = services
        self.unitTimings = unitTimings
    }
}
