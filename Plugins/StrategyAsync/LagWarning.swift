import ConlabCore

/// What an `async` session says when its lag probe ran late: how late, and the likeliest cause from what the
/// session saw (units that blocked, or the size of its largest phase). A pure value, so that each cause's
/// wording is tested without making a machine lag.
struct LagWarning {
    /// A probe late by at most this is not reported.
    static var threshold: Duration { AsyncStrategy.lagWarning }
    /// Units a thread past which making and stepping a phase's units is itself the work that kept the
    /// probe waiting: at about a microsecond a unit (Life, callgrind), 100,000 are over 100 ms of a
    /// thread's time between the probe's turns, twice ``threshold``.
    static let manyUnitsPerThread = 100_000

    /// How late the probe ran at worst, and on average.
    let worst: Duration
    let mean: Duration
    /// Whether the units ran on the cooperative pool and block its threads (`blocking_waits: true`).
    let blockingWaits: Bool
    /// The steps in which units blocked a pool thread.
    let blockedSteps: [String]
    /// The units of the session's largest phase, and the threads that ran them.
    let largestPhase: (units: Int, threads: Int)

    /// The warning, or `nil` when the probe was never late past ``threshold``.
    var message: String? {
        guard worst > Self.threshold else { return nil }
        let threads = blockingWaits ? "the cooperative pool" : "the timer shards running the tasks"
        return "\(threads) lagged: a 1 ms probe task ran up to \(DurationFormat.human(worst.inSeconds))"
            + " late (mean \(DurationFormat.human(mean.inSeconds))); \(cause)"
    }

    private var cause: String {
        if !blockedSteps.isEmpty {
            return "units blocked pool threads in \(blockedSteps.joined(separator: " and ")) (blocking_waits: true)"
        }
        let (units, threadCount) = (largestPhase.units, max(1, largestPhase.threads))
        if units >= Self.manyUnitsPerThread * threadCount {
            // Not CPU-bound units: a million cells of Life compute a microsecond each. The threads were busy
            // making a task per unit and stepping it, which a loop does without the tasks.
            return "no unit blocked in a wait: making and stepping \(units) units, \(units / threadCount) a thread, "
                + "kept the threads busy (the loop strategy steps units without a task each)"
        }
        return "no unit blocked in a wait, so its threads were busy: CPU-bound units, or more runnable tasks than "
            + "threads (CPU work belongs on threads or processes, item 64)"
    }
}
