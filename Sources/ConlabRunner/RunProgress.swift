/// Where a run is, for a progress display: the runner reports, a display (the CLI's status line) reads.
public protocol RunProgress: Sendable {
    /// A strategy starts on a scenario with `phases` phases.
    func started(scenario: String, strategy: String, phases: Int)
    /// Phase `phase` (from 0) finished.
    func finished(phase: Int)
    /// The strategy's result is in.
    func finishedStrategy()
}

/// Reports nowhere.
public struct NoProgress: RunProgress {
    /// Creates it.
    public init() {}
    /// Ignored.
    public func started(scenario: String, strategy: String, phases: Int) {}
    /// Ignored.
    public func finished(phase: Int) {}
    /// Ignored.
    public func finishedStrategy() {}
}
