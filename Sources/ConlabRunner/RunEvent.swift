public import ConlabLog

/// Something that happened in a run, as the runner and the command line tell their sinks
/// (``RunEventSink``): every event of the structured log, and the moments a progress display and the summary
/// need besides. One stream, in the order things happened; each sink takes what it has a use for.
///
/// A scenario's events come as `scenarioStarted`, `referenceFinished`, then for each round of each strategy
/// `strategyStarted`, its phases (`.log(.phaseFinished)`), `strategyFinished` and its result
/// (`.log(.result)`), and last `scenarioFinished`. Everything a scenario's report holds
/// (``ScenarioReport``) is in them: ``ScenarioReports`` puts reports together from the stream alone.
public enum RunEvent: Sendable, Equatable {
    /// A scenario starts: nothing of it has run yet, not even its reference.
    case scenarioStarted(ScenarioStarted)
    /// The scenario's serial reference is computed; its strategies run next.
    case referenceFinished(ReferenceFinished)
    /// One round of a strategy starts on a scenario; each sink may then give the runner a sink for the
    /// round's units (``RunEventSink/unitSink(for:)``).
    case strategyStarted(StrategyRound)
    /// An event of the structured log, from `run_started` to `run_finished`.
    case log(LogEvent)
    /// The round's run is over; its `result` (`.log(.result)`), once checked, comes next.
    case strategyFinished
    /// The scenario's rounds are over: all of them, or those that ran before an interruption.
    case scenarioFinished
    /// Every scenario of the run has finished, or the run was interrupted. The outputs for people go out
    /// now, before `run_finished` is logged, so that its exit status counts what they lost.
    case scenariosFinished
}
