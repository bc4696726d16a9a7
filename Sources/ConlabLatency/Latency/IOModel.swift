public import ConlabCore

/// How a modelled I/O call behaves: its latency distribution, how often it fails, and its timeout.
///
/// Draws are pure functions of the scenario seed and the caller's coordinates, so every strategy,
/// thread and process sees the same latency for the same (phase, unit, step).
public struct IOModel: Sendable, Hashable, Codable {
    /// The latency distribution.
    public var latency: LatencyModel
    /// The probability, in 0...1, that a call fails after its latency.
    public var failureRate: Double
    /// The longest a caller waits; a longer latency ends the call as timed out at this point.
    public var timeout: Duration?

    /// Creates a model.
    public init(latency: LatencyModel, failureRate: Double = 0, timeout: Duration? = nil) {
        self.latency = latency
        self.failureRate = failureRate
        self.timeout = timeout
    }

    /// The draw for one call, keyed by `random`'s seed and three counter words (phase, unit, step).
    public func draw(_ random: CounterRandom, _ c0: UInt64, _ c1: UInt64, _ c2: UInt64) -> IODraw {
        let latency = latency.sample(random.uniform(c0, c1, c2, 0))
        if let timeout, latency > timeout {
            return IODraw(latency: latency, duration: timeout, outcome: .timedOut)
        }
        let fails = failureRate > 0 && random.uniform(c0, c1, c2, 1) < failureRate
        return IODraw(latency: latency, duration: latency, outcome: fails ? .failed : .completed)
    }

    /// `fixed 100ms`, with failure rate and timeout when set.
    public var summary: String {
        var text = latency.summary
        if failureRate > 0 { text += ", failure rate \(failureRate)" }
        if let timeout { text += ", timeout \(DurationFormat.short(timeout))" }
        return text
    }
}
