import HeapModule

/// The ideal floor: how long waits would take with no overhead at all.
///
/// For a phase of N units of latency L on k workers this is ⌈N/k⌉·L; with unequal latencies it is the
/// makespan of list scheduling in submission order — what a perfect FIFO pool of k workers achieves.
public enum IdealSchedule {
    /// How far below its ideal an honest measured time may read, in seconds: 1 ms plus 0.1 %.
    ///
    /// Every modelled wait sleeps until an absolute deadline on the monotonic clock and never returns before
    /// it, so only rounding takes an honest run below its floor: each draw rounded to a whole nanosecond,
    /// the ideal summed in `Double` seconds, the clock read to the nanosecond. Those are far below a
    /// microsecond per phase; the margin is a thousand times wider so that no real run is ever flagged,
    /// while a run that skipped its waits (milliseconds against seconds or more) is.
    public static func clockTolerance(idealSeconds: Double) -> Double {
        0.001 + idealSeconds * 0.001
    }

    /// The time to run `waits`, in order, on `workers` workers (`nil`: one worker per wait).
    public static func makespan(of waits: [Duration], workers: Int?) -> Duration {
        guard let workers, workers < waits.count else { return waits.max() ?? .zero }
        precondition(workers > 0, "a schedule needs at least one worker")
        // Each worker is represented by the time it becomes free; the next wait goes to the earliest.
        var free = Heap<Duration>(repeatElement(Duration.zero, count: workers))
        for wait in waits {
            free.insert(free.removeMin() + wait)
        }
        return free.max ?? .zero
    }

    /// The time for units to pass through stages in order — one stage per step of `profile`, each with
    /// `workers` workers (`nil`: unbounded) taking units first come, first served: the ideal of a pipeline
    /// of queues. With one step this is ``makespan(of:workers:)``.
    public static func flowShop(_ profile: PhaseProfile, workers: Int?) -> Duration {
        flowShop(profile, workers: Dictionary(uniqueKeysWithValues: profile.steps.map { ($0, workers ?? Int.max) }))
    }

    /// The flow shop of ``flowShop(_:workers:)`` with each step's own number of workers (absent: unbounded).
    public static func flowShop(_ profile: PhaseProfile, workers stageWorkers: [String: Int]) -> Duration {
        var ready = Array(repeating: Duration.zero, count: profile.count)
        for step in profile.steps {
            let waits = profile.stepWaits[step]!
            let workers = stageWorkers[step]
            // Units reach a stage in the order they leave the previous one.
            let order = ready.indices.filter { waits[$0] > .zero }.sorted { (ready[$0], $0) < (ready[$1], $1) }
            guard let workers, workers < order.count else {
                for unit in order { ready[unit] += waits[unit] }
                continue
            }
            var free = Heap<Duration>(repeatElement(Duration.zero, count: workers))
            for unit in order {
                let start = max(free.removeMin(), ready[unit])
                ready[unit] = start + waits[unit]
                free.insert(ready[unit])
            }
        }
        return ready.max() ?? .zero
    }

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
