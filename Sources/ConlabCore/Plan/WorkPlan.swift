/// The size of the work a session is about to run, so a strategy can refuse a plan before starting it.
public struct WorkPlan: Sendable, Hashable {
    /// The number of phases.
    public var phases: Int
    /// The most units that may be in flight at once: the largest phase, or all of a pipeline's workers.
    public var largestPhase: Int
    /// The distinct steps units wait in (each a stage of its own under `queue`).
    public var waitingSteps: Int
    /// What the units' own child processes take (``ChildDemand/none`` for most work).
    public var children: ChildDemand

    /// Creates a plan.
    public init(phases: Int, largestPhase: Int, waitingSteps: Int = 1, children: ChildDemand = .none) {
        self.phases = phases
        self.largestPhase = largestPhase
        self.waitingSteps = waitingSteps
        self.children = children
    }
}
