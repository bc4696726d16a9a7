/// One draw of a modelled I/O call: how long it takes and how it ends.
public struct IODraw: Sendable, Hashable, Codable {
    /// How a modelled I/O call ends.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// The call returned data.
        case completed
        /// The call failed (the scenario's `failure_rate`).
        case failed
        /// The call took longer than the scenario's `timeout` and was abandoned at the timeout.
        case timedOut = "timed_out"
    }

    /// The latency drawn from the latency model.
    public var latency: Duration
    /// How long the caller actually waits: the latency, or the timeout when it expires first.
    public var duration: Duration
    /// How the call ends.
    public var outcome: Outcome

    /// Creates a draw.
    public init(latency: Duration, duration: Duration, outcome: Outcome) {
        self.latency = latency
        self.duration = duration
        self.outcome = outcome
    }
}
