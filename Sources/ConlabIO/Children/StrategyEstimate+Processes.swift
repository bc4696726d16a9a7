public import ConlabCore

/// What an estimate comes to in processes and descriptors for a plan, counted with the units' own children
/// (``ChildDemand``): the figures ``ProcessLimits`` holds against the machine's limits. Here, next to the
/// limits and the spawning they count, rather than in the contract a strategy author reads: a strategy says
/// what it creates (``StrategyEstimate``), and the runner counts what that adds up to.
extension StrategyEstimate {
    /// Descriptors this process keeps per process of the strategy's own: the ends of the two pipes it talks
    /// to a worker over (``ChildProcess/spawn(_:arguments:passing:)``).
    public static let descriptorsPerProcess = 2

    /// Units in flight at most for `plan`: the schedule's concurrency (under ``Schedule/stages(workersPerStep:)``
    /// the workers of every waiting step), never more than the largest phase.
    public func unitsInFlight(of plan: WorkPlan) -> Int {
        let declared: Int?
        switch schedule {
        case .units(let concurrency): declared = concurrency
        case .stages(let workers): declared = workers * max(1, plan.waitingSteps)
        }
        return max(0, min(plan.largestPhase, declared ?? plan.largestPhase))
    }

    /// Processes at once for `plan`: the strategy's own (worker processes), and the children of the units
    /// in flight that run the most, wherever those units run.
    public func processesAtOnce(for plan: WorkPlan) -> Int {
        processes + plan.children.processes(units: unitsInFlight(of: plan))
    }

    /// Descriptors this process holds at once for `plan`: the pipes to its own processes, and — when the
    /// units run in this process (`unitsRunHere`; a worker process holds its own units' pipes) — the units
    /// in flight's ends of their children's pipes, with every pipe of a job counted on each thread that
    /// may be starting one at that moment: the strategy's threads, plus the one reactor thread that starts
    /// the jobs of suspending waits.
    public func descriptorsAtOnce(for plan: WorkPlan, unitsRunHere: Bool) -> Int {
        let own = processes * Self.descriptorsPerProcess
        guard unitsRunHere, plan.children.startsProcesses else { return own }
        let units = unitsInFlight(of: plan)
        return own + plan.children.descriptors(units: units)
            + plan.children.startingSurplus(units: min(units, threads + 1))
    }
}
