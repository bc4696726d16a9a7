public import ConlabCore

/// The ideal floor in closed form, for work that is planned rather than measured: what `explain` predicts
/// from a workload's planned phases (``PlannedProfiles``) before any unit is drawn. The contract keeps the
/// schedules a session computes from a measured ``PhaseProfile``; these are their closed forms for alike
/// units, and estimates from mean waits, which only the planning here needs.
extension IdealSchedule {
    /// ``makespan(of:workers:)`` of `units` waits that are all `wait`, in closed form: ⌈units/workers⌉·wait.
    public static func makespan(units: Int, each wait: Duration, workers: Int?) -> Duration {
        guard units > 0 else { return .zero }
        guard let workers, workers < units else { return wait }
        precondition(workers > 0, "a schedule needs at least one worker")
        return wait * ((units + workers - 1) / workers)
    }

    /// ``flowShop(_:workers:)`` of `units` alike units, each waiting `waits[i]` in step `i`, in closed form.
    ///
    /// Units move in waves of `workers` (all of them at once when `nil`): the first wave takes every step's
    /// wait, each later wave adds the longest step's, since the slowest stage holds the rest back.
    public static func flowShop(units: Int, each waits: [Duration], workers: Int?) -> Duration {
        let steps = waits.filter { $0 > .zero }
        guard units > 0, let longest = steps.max() else { return .zero }
        let waves = workers.map { max(1, (units + $0 - 1) / $0) } ?? 1
        return steps.reduce(Duration.zero, +) + longest * (waves - 1)
    }

    /// An estimate of the ideal of `units` units whose waits have mean `mean`, on `workers` workers: the
    /// closed form of ``makespan(units:each:workers:)`` as if every wait were the mean. It lies between the
    /// expected total wait spread over the workers (a floor) and that plus one wait, so it is close when
    /// units far outnumber workers. `nil` when every unit runs at once: that ideal is the largest of the
    /// draws, which the mean does not tell.
    public static func expectedMakespan(units: Int, mean: Duration, workers: Int?) -> Duration? {
        guard units > 1 else { return units == 1 ? mean : .zero }
        guard let workers, workers < units else { return nil }
        return makespan(units: units, each: mean, workers: workers)
    }

    /// An estimate of the ideal of `units` units through stages whose waits have means `means` (one per
    /// step), on `workers` workers per stage: ``flowShop(units:each:workers:)`` as if every wait were its
    /// mean. `nil` when every unit runs at once (see ``expectedMakespan(units:mean:workers:)``).
    public static func expectedFlowShop(units: Int, means: [Duration], workers: Int?) -> Duration? {
        guard units > 1 else { return flowShop(units: units, each: means, workers: workers) }
        guard let workers, workers < units else { return nil }
        return flowShop(units: units, each: means, workers: workers)
    }
}
