/// How finished units report how long they took, from their first step to their output — and, when a
/// trace is being written, what they did meanwhile. The runner hands each session a ``Sink`` in its
/// ``StrategyContext/unitTimings``; the drivers (`runBlocking`, `runSuspending`, in ConlabToolkit) and
/// strategies that drive units step by step report to it. Units run inside worker processes report none.
public enum UnitTimings {
    /// Part of a unit's life, for a trace.
    public enum Slice: Sendable {
        /// `advance()` computing on kernel thread `thread`.
        case compute(start: ContinuousClock.Instant, end: ContinuousClock.Instant, thread: Int32)
        /// A wait in `step`; `thread` when it blocked one, `nil` when the unit's task was suspended.
        case wait(step: String, start: ContinuousClock.Instant, end: ContinuousClock.Instant, thread: Int32?)
    }

    /// Receives finished units. A class, so that drivers pass it around as one reference, not a box.
    public protocol Sink: AnyObject, Sendable {
        /// Whether the sink wants each unit's slices; when `false` none are collected.
        var tracesSlices: Bool { get }
        /// The unit at `coordinates` ran from `start` to `end`; `slices` is empty unless ``tracesSlices``.
        /// The coordinates are made only if the sink reads them (a trace does; a histogram does not).
        func finished(
            _ coordinates: @autoclosure () -> UnitCoordinates,
            start: ContinuousClock.Instant,
            end: ContinuousClock.Instant,
            slices: [Slice]
        )
        /// A modelled wait lasted `error` longer than drawn (negative: shorter).
        func waited(beyond error: Duration)
        /// Many reports at once, in nanoseconds — modelled waits' errors and untraced units' latencies —
        /// from a driver that runs thousands of units on one thread (`UnitReportBuffer`, in ConlabToolkit).
        func record(waitErrors: UnsafeBufferPointer<Int64>, unitLatencies: UnsafeBufferPointer<Int64>)
    }
}
