import ConlabCore
public import ConlabScenario

/// A scenario about to run, as ``RunEvent/scenarioStarted(_:)`` announces it: nothing of it has run yet, not
/// even its serial reference.
public struct ScenarioStarted: Sendable, Equatable {
    /// The scenario, with the strategies it lists.
    public var scenario: Scenario
    /// The sweep setting it runs at, with `--sweep`; `nil` otherwise.
    public var sweep: SweepPoint?

    /// Creates the event.
    public init(scenario: Scenario, sweep: SweepPoint? = nil) {
        self.scenario = scenario
        self.sweep = sweep
    }

    /// Whether both announce the same scenario — its file and digest, name, seed and strategies — at the same
    /// sweep setting. A scenario's workload and strategies are not values to compare; what names them is.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.scenario.file == rhs.scenario.file && lhs.scenario.fileSHA256 == rhs.scenario.fileSHA256
            && lhs.scenario.name == rhs.scenario.name && lhs.scenario.seed == rhs.scenario.seed
            && lhs.scenario.strategies.map(\.strategy.label) == rhs.scenario.strategies.map(\.strategy.label)
            && lhs.sweep == rhs.sweep
    }
}
