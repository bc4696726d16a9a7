public import ConlabCore

/// What a trace needs of one unit whose waits park it on a timer rather than hold a thread (an event loop's
/// unit, `loop`'s or `nio`'s): when it started, its compute slices on the loop's thread, and its waits, during
/// which it ran on no thread, like a suspended task. Kept only while a trace is written.
public struct ParkedUnitTrace {
    /// When the unit started.
    public let start: ContinuousClock.Instant
    /// Its slices so far.
    public private(set) var slices: [UnitTimings.Slice] = []
    /// The wait it is parked in, if any: its step and when it began.
    public private(set) var parked: (step: String, since: ContinuousClock.Instant)?

    /// A unit's trace that starts at `start`.
    public init(start: ContinuousClock.Instant = .now) {
        self.start = start
    }

    /// A compute slice from `start` to now on kernel thread `thread`.
    public mutating func computed(since start: ContinuousClock.Instant, thread: Int32) {
        slices.append(.compute(start: start, end: .now, thread: thread))
    }

    /// The unit is parked in `step` from now.
    public mutating func park(in step: String) {
        parked = (step, .now)
    }

    /// The unit's wait is over.
    public mutating func resumed() {
        guard let parked else { return }
        slices.append(.wait(step: parked.step, start: parked.since, end: .now, thread: nil))
        self.parked = nil
    }
}
