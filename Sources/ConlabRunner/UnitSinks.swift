import ConlabCore

/// Several sinks for a round's units as one, for the strategy's context: each report goes to every sink,
/// in order.
final class UnitSinks: UnitTimings.Sink {
    private let sinks: [any UnitTimings.Sink]
    let tracesSlices: Bool

    private init(_ sinks: [any UnitTimings.Sink]) {
        self.sinks = sinks
        tracesSlices = sinks.contains { $0.tracesSlices }
    }

    /// `sinks` as one sink: `nil` for none, the sink itself for one (a unit is reported once, not passed on),
    /// and a ``UnitSinks`` for more.
    static func combined(_ sinks: [any UnitTimings.Sink]) -> (any UnitTimings.Sink)? {
        switch sinks.count {
        case 0: nil
        case 1: sinks[0]
        default: UnitSinks(sinks)
        }
    }

    func finished(
        _ coordinates: @autoclosure () -> UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice]
    ) {
        // Made only if a sink reads them (a trace does), and then once.
        var made: UnitCoordinates?
        for sink in sinks {
            sink.finished(
                {
                    if let made { return made }
                    let coordinates = coordinates()
                    made = coordinates
                    return coordinates
                }(),
                start: start,
                end: end,
                slices: slices
            )
        }
    }

    func waited(beyond error: Duration) {
        for sink in sinks { sink.waited(beyond: error) }
    }

    func record(waitErrors: UnsafeBufferPointer<Int64>, unitLatencies: UnsafeBufferPointer<Int64>) {
        for sink in sinks { sink.record(waitErrors: waitErrors, unitLatencies: unitLatencies) }
    }
}
