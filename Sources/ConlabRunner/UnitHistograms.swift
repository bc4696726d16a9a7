public import ConlabCore
public import ConlabLog

/// Histograms of the units reported to it: each unit's latency, first step to output, and how much longer
/// each modelled wait lasted than drawn (HDR histograms, sharded by thread).
///
/// One of the run's event sinks, as the trace is: it takes the units of every round (``unitSink(for:)``),
/// so one handed to the runner sums up the whole run. The runner also keeps one of its own for each round,
/// alongside the run's other sinks, because every result carries its round's figures (`unit_latency`,
/// `wait_error`).
public final class UnitHistograms: RunEventSink, UnitTimings.Sink {
    private let units = DurationHistogram()
    private let waitErrors = DurationHistogram()

    /// Empty histograms.
    public init() {}

    /// The units' latencies so far, first step to output; `nil` before the first unit.
    public var unitLatency: LatencySummary? { units.summary }

    /// How much longer than drawn the modelled waits so far lasted; `nil` before the first.
    public var waitError: LatencySummary? { waitErrors.summary }

    /// Nothing: the histograms follow units, which reach them through ``unitSink(for:)``.
    public func receive(_ event: RunEvent) {}

    /// Itself: every round's units go into the same histograms.
    public func unitSink(for round: StrategyRound) -> (any UnitTimings.Sink)? { self }

    /// No: a histogram needs each unit's start and end only.
    public var tracesSlices: Bool { false }

    /// Records the unit's latency.
    public func finished(
        _ coordinates: @autoclosure () -> UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice]
    ) {
        units.record(end - start)
    }

    /// Records the wait's error.
    public func waited(beyond error: Duration) {
        waitErrors.record(error)
    }

    /// Records many at once, each batch under one lock.
    public func record(
        waitErrors errors: UnsafeBufferPointer<Int64>,
        unitLatencies latencies: UnsafeBufferPointer<Int64>
    ) {
        waitErrors.record(nanoseconds: errors)
        units.record(nanoseconds: latencies)
    }
}
