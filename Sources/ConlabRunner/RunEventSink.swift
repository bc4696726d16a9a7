/// Receives a run's events (``RunEvent``) in order, on whichever thread the runner is on: the log, the
/// status line, a test's recorder. The runner is handed its sinks; there is no process-wide one.
///
/// A sink returns quickly: the runner waits for it between phases, inside the time it measures.
public protocol RunEventSink: Sendable {
    /// Takes `event`; ignores it when it has no use for it.
    func receive(_ event: RunEvent)
}
