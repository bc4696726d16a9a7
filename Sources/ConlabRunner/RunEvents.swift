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

    /// One sink for the units of `round` that passes each unit to the sinks' own (``unitSink(for:)``), in
    /// order; `nil` when no sink has a use for units.
    public func unitSink(for round: StrategyRound) -> (any UnitTimings.Sink)? {
        UnitSinks.combined(sinks.compactMap { $0.unitSink(for: round) })
    }
}
