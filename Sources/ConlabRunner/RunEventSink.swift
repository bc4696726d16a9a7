public import ConlabCore

/// Receives a run's events (``RunEvent``) in order, on whichever thread the runner is on: the log, the
/// status line, a test's recorder. The runner is handed its sinks; there is no process-wide one.
///
/// A sink returns quickly: the runner waits for it between phases, inside the time it measures. Units
/// finish by the thousand, on the strategy's own threads, so they are not events of the stream: a sink that
/// wants them (``ChromeTrace``, ``UnitHistograms``) gives the runner a ``UnitTimings/Sink`` for each round,
/// which the strategy's units report to (the strategy's context holds them all as one).
public protocol RunEventSink: Sendable {
    /// Takes `event`; ignores it when it has no use for it.
    func receive(_ event: RunEvent)

    /// A sink for the units of `round`, just announced, or `nil` (the default) when this sink has no use for
    /// units.
    func unitSink(for round: StrategyRound) -> (any UnitTimings.Sink)?
}

extension RunEventSink {
    /// No use for units.
    public func unitSink(for round: StrategyRound) -> (any UnitTimings.Sink)? { nil }
}
