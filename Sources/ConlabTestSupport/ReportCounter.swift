public import ConlabCore
import Synchronization

/// Counts the units and modelled waits reported to it, one by one or in batches: for tests that check a
/// strategy or a driver reports every unit and wait it runs.
public final class ReportCounter: UnitTimings.Sink {
    private let units = Atomic(0)
    private let waits = Atomic(0)

    /// An empty count.
    public init() {}

    /// The units and waits reported so far.
    public var counts: (units: Int, waits: Int) { (units.load(ordering: .relaxed), waits.load(ordering: .relaxed)) }

    /// No: only the counts matter.
    public var tracesSlices: Bool { false }

    /// Counts a unit.
    public func finished(
        _ coordinates: @autoclosure () -> UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice]
    ) {
        units.add(1, ordering: .relaxed)
    }

    /// Counts a wait.
    public func waited(beyond error: Duration) {
        waits.add(1, ordering: .relaxed)
    }

    /// Counts each wait and unit of the batch.
    public func record(waitErrors: UnsafeBufferPointer<Int64>, unitLatencies: UnsafeBufferPointer<Int64>) {
        waits.add(waitErrors.count, ordering: .relaxed)
        units.add(unitLatencies.count, ordering: .relaxed)
    }
}
