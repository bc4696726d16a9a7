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

    /// The time to run `waits`, in order, on `workers` workers (`nil`: one worker per wait). Alike waits,
    /// the common case, take a closed form: ⌈N/k⌉·L.
    public static func makespan(of waits: WaitList, workers: Int?) -> Duration {
        guard let workers, workers < waits.count else { return waits.longest }
        guard let wait = waits.uniformWait else { return makespan(of: Array(waits), workers: workers) }
        return wait * ((waits.count + workers - 1) / workers)
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

    /// The ideal of a pipeline whose stages have `stages`' workers, on a strategy that runs at most
    /// `concurrency` items' steps at once (`nil`: no bound but the stages'): each stage narrowed to it, and
    /// no faster than all the waits shared among it.
    public static func pipeline(_ profile: PhaseProfile, stages: [PipelineStage], concurrency: Int?) -> Duration {
        let flow = flowShop(
            profile,
            workers: Dictionary(
                uniqueKeysWithValues: stages.map { ($0.name, min($0.workers, concurrency ?? $0.workers)) }
            )
        )
        guard let concurrency else { return flow }
        return max(flow, profile.totals.total / concurrency)
    }

    /// The time for units to pass through stages in order — one stage per step of `profile`, each with
    /// `workers` workers (`nil`: unbounded) taking units first come, first served: the ideal of a pipeline
    /// of queues. With one step this is ``makespan(of:workers:)``.
    public static func flowShop(_ profile: PhaseProfile, workers: Int?) -> Duration {
        flowShop(profile, workers: Dictionary(uniqueKeysWithValues: profile.steps.map { ($0, workers ?? Int.max) }))
    }

    /// The flow shop of ``flowShop(_:workers:)`` with each step's own number of workers (absent: unbounded).
    public static func flowShop(_ profile: PhaseProfile, workers stageWorkers: [String: Int]) -> Duration {
        let stepWaits = profile.stepWaits
        // Every unit waiting alike in every step, each stage as wide as the phase: the waits one after another.
        let alike = profile.steps.compactMap { step in
            (stageWorkers[step] ?? .max) >= profile.count ? stepWaits[step]!.uniformWait : nil
        }
        if profile.count > 0 && alike.count == profile.steps.count { return alike.reduce(.zero, +) }
        var ready = Array(repeating: Duration.zero, count: profile.count)
        for step in profile.steps {
            let waits = stepWaits[step]!
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
}
