import ConlabCore
import Synchronization

/// Counts the units a session reports to its ``StrategyContext/unitTimings``, so the conformance kit can
/// hold a strategy to reporting every unit it runs in this process.
final class CountingUnitSink: UnitTimings.Sink {
    private let units = Atomic<Int>(0)

    /// No slices: only the count matters.
    var tracesSlices: Bool { false }

    /// The units reported so far.
    var count: Int { units.load(ordering: .acquiring) }

    func finished(
        _ coordinates: @autoclosure () -> UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice]
    ) {
        units.add(1, ordering: .releasing)
    }

    func waited(beyond error: Duration) {}

    func record(waitErrors: UnsafeBufferPointer<Int64>, unitLatencies: UnsafeBufferPointer<Int64>) {
        units.add(unitLatencies.count, ordering: .releasing)
    }
}
