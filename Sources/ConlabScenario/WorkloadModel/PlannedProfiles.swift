public import ConlabCore

/// The phases of a plan as `conlab explain` reports them, worked out without computing more than a
/// budget of the serial reference.
///
/// Below the budget the reference runs and every phase is its recorded ``PhaseProfile``; above it the
/// workload describes its phases in closed form (``PlannedPhase``): their shape always, their waits
/// exactly where every unit waits alike, as an expectation where only the latency's mean is known, and
/// not at all where a failure or timeout could end the run. The strategies' plans and refusals depend on
/// the shape alone, so they are the same either way.
public struct PlannedProfiles: Sendable, Hashable {
    /// How many units and waits the reference may compute before a plan is described in closed form:
    /// enough for every catalogue scenario to be exact, little enough for a debug build to answer at once.
    public static let defaultBudget = 100_000

    /// The phases, in order, runs of alike phases merged.
    public var phases: [PlannedPhase]
    /// The units and waits the reference would have computed when that was over the budget; `nil` when
    /// nothing was left out.
    public var skippedReference: Int?

    /// Phases described in closed form; `skippedReference` says how much reference work that spared.
    public init(_ phases: [PlannedPhase], skippedReference: Int? = nil) {
        self.phases = phases
        self.skippedReference = skippedReference
    }

    /// The reference's recorded profiles, one phase each.
    public init(profiles: [PhaseProfile]) {
        self.init(profiles.map(PlannedPhase.init(profile:)))
    }

    /// The number of phases.
    public var phaseCount: Int { phases.reduce(0) { $0 + $1.repeats } }
    /// Units over all phases.
    public var units: Int { phases.reduce(0) { $0 + $1.units * $1.repeats } }
    /// Whether every phase's waits are known exactly.
    public var isExact: Bool { phases.allSatisfy(\.isExact) }

    /// The work plan strategies size themselves by, for a workload of `phaseCount` phases.
    public func plan(phaseCount: Int) -> WorkPlan {
        WorkPlan(
            phases: phaseCount,
            largestPhase: phases.map(\.units).max() ?? 0,
            waitingSteps: Set(phases.flatMap(\.steps)).count
        )
    }

    /// The ideal floor of the whole plan under `estimate`'s schedule: exact from recorded profiles and
    /// alike waits, an estimate as soon as one phase's waits are expected ones, `nil` when one phase's
    /// are unknown.
    public func ideal(under estimate: StrategyEstimate) -> (duration: Duration, isExact: Bool)? {
        var total = Duration.zero
        var isExact = true
        for phase in phases {
            let one: Duration?
            switch (phase.waits, estimate.schedule) {
            case (.profile(let profile), _):
                one = estimate.idealDuration(of: profile)
            case (.each(let waits), .units(let concurrency)):
                one = IdealSchedule.makespan(
                    units: phase.units,
                    each: waits.reduce(.zero, +),
                    workers: concurrency
                )
            case (.each(let waits), .stages(let workers)):
                one = IdealSchedule.flowShop(units: phase.units, each: waits, workers: workers)
            case (.expected(let means), .units(let concurrency)):
                isExact = false
                one = IdealSchedule.expectedMakespan(
                    units: phase.units,
                    mean: means.reduce(.zero, +),
                    workers: concurrency
                )
            case (.expected(let means), .stages(let workers)):
                isExact = false
                one = IdealSchedule.expectedFlowShop(units: phase.units, means: means, workers: workers)
            case (.unknown, _):
                one = nil
            }
            guard let one else { return nil }
            total += one * phase.repeats
        }
        return (total, isExact)
    }
}
