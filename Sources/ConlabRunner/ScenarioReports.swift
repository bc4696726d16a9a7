import ConlabLog

/// Each scenario's report put together from the run's events alone (``RunEvent``), for a sink that prints or
/// keeps them: the summary is one more sink of the stream that feeds the log, not a second path beside it.
///
/// A plain value: give it the events in the order the sink received them (a sink keeps it behind its own
/// lock), and it returns each report as its scenario finishes — the same report the runner returns.
public struct ScenarioReports: Sendable {
    /// The reports of the scenarios finished so far, in the order they ran.
    public private(set) var finished: [ScenarioReport] = []
    /// The scenario running now: started, not finished.
    private var current: ScenarioReport?

    /// No reports yet.
    public init() {}

    /// Takes the next event of the stream; returns the scenario's report when `event` finishes one.
    public mutating func take(_ event: RunEvent) -> ScenarioReport? {
        switch event {
        case .scenarioStarted(let started):
            current = ScenarioReport(scenario: started.scenario)
            current?.sweep = started.sweep
        case .referenceFinished(let reference):
            current?.reference = reference
        case .log(.result(let result)):
            current?.results.append(result)
        case .scenarioFinished:
            guard let report = current else { return nil }
            current = nil
            finished.append(report)
            return report
        default:
            break
        }
        return nil
    }
}
