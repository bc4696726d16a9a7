import ConlabCore

/// What a trace needs of one unit run on an event loop: when it started, its compute slices on the loop's
/// thread, and its waits, during which it ran on no thread (a scheduled task held it). Kept only while a
/// trace is written.
struct NIOUnitTrace {
    /// When the unit started.
    let start: ContinuousClock.Instant
    /// Its slices so far.
    var slices: [UnitTimings.Slice] = []
    /// The wait it is parked in, if any: its step and when it began.
    var parked: (step: String, since: ContinuousClock.Instant)?

    init(start: ContinuousClock.Instant = .now) {
        self.start = start
    }

    /// A compute slice from `start` to now on kernel thread `thread`.
    mutating func computed(since start: ContinuousClock.Instant, thread: Int32) {
        slices.append(.compute(start: start, end: .now, thread: thread))
    }

    /// The unit is parked in `step` from now.
    mutating func park(in step: String) {
        parked = (step, .now)
    }

    /// The unit's wait is over.
    mutating func resumed() {
        guard let parked else { return }
        slices.append(.wait(step: parked.step, start: parked.since, end: .now, thread: nil))
        self.parked = nil
    }
}
