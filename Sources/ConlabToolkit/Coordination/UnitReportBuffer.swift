public import ConlabCore

/// A driver's unit reports, collected on its own thread and handed to the run's sink in batches.
///
/// An event loop finishes a million units a generation; reporting each to the sink takes its lock
/// twice per unit, which cost a sixth of the loop's time. Buffered, the sink's lock is taken once per
/// ``capacity`` reports. Only for units whose slices are not traced: a trace needs each unit's own report.
public struct UnitReportBuffer {
    /// Reports kept before they are handed over.
    public static let capacity = 4096

    private let sink: (any UnitTimings.Sink)?
    private var waitErrors: [Int64] = []
    private var unitLatencies: [Int64] = []

    /// A buffer for `sink`; with no sink every call does nothing.
    public init(sink: (any UnitTimings.Sink)?) {
        self.sink = sink
        if sink != nil {
            waitErrors.reserveCapacity(Self.capacity)
            unitLatencies.reserveCapacity(Self.capacity)
        }
    }

    /// Whether anything is collected.
    public var isCollecting: Bool { sink != nil }

    /// A modelled wait lasted `nanoseconds` longer than drawn.
    @inline(__always)
    public mutating func waited(beyondNanoseconds nanoseconds: Int64) {
        waitErrors.append(nanoseconds)
        if waitErrors.count == Self.capacity { flush() }
    }

    /// A unit took `nanoseconds` from its first step to its output.
    @inline(__always)
    public mutating func finished(latencyNanoseconds nanoseconds: Int64) {
        unitLatencies.append(nanoseconds)
        if unitLatencies.count == Self.capacity { flush() }
    }

    /// Hands everything collected to the sink.
    public mutating func flush() {
        guard let sink, !waitErrors.isEmpty || !unitLatencies.isEmpty else { return }
        waitErrors.withUnsafeBufferPointer { errors in
            unitLatencies.withUnsafeBufferPointer { sink.record(waitErrors: errors, unitLatencies: $0) }
        }
        waitErrors.removeAll(keepingCapacity: true)
        unitLatencies.removeAll(keepingCapacity: true)
    }
}
