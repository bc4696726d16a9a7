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
    /// reactor) external waits need. Pass it to every driver (``WorkUnit/runSuspending(using:)``, ...).
    public var services: WaitServices

    /// Creates a context.
    public init(
        seed: UInt64,
        cores: Int,
        plan: WorkPlan = WorkPlan(phases: 1, largestPhase: 1),
        workerExecutable: String = Self.currentExecutable,
        services: WaitServices
    ) {
        self.seed = seed
        self.cores = cores
        self.plan = plan
        self.workerExecutable = workerExecutable
        self.services = services
    }
}
