public import ConlabLog

/// Something that happened in a run, as the runner and the command line tell their sinks
/// (``RunEventSink``): every event of the structured log, and the moments a progress display needs
/// besides. One stream, in the order things happened; each sink takes what it has a use for.
public enum RunEvent: Sendable, Equatable {
    /// One round of a strategy starts on a scenario; each sink may then give the runner a sink for the
    /// round's units (``RunEventSink/unitSink(for:)``).
    case strategyStarted(StrategyRound)
    /// An event of the structured log, from `run_started` to `run_finished`.
    case log(LogEvent)
    /// The round's run is over; its `result` (`.log(.result)`), once checked, comes next.
    case strategyFinished
}
