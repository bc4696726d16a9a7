public import ConlabCore

/// The sinks of one run, fed as one: every event goes to each sink in turn, in the order given.
public struct RunEvents: RunEventSink {
    /// The sinks.
    public var sinks: [any RunEventSink]

    /// Sends to `sinks`; none discards everything.
    public init(_ sinks: [any RunEventSink] = []) {
        self.sinks = sinks
    }

    /// Sends `event` to every sink.
    public func receive(_ event: RunEvent) {
        for sink in sinks { sink.receive(event) }
    }

    /// The sinks' sinks for the units of `round`, in order.
    public func unitSinks(for round: StrategyRound) -> [any UnitTimings.Sink] {
        sinks.compactMap { $0.unitSink(for: round) }
    }
}
