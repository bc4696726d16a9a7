public import ConlabScenario

/// One setting of a `--sweep`: the scenario as its file names it, and the overrides that make this run of it
/// (one per sweep). The sweep's table (``SweepTable``) gathers a scenario's runs by it.
public struct SweepPoint: Sendable, Hashable {
    /// The scenario's own name, before the setting is added to it.
    public var scenario: String
    /// The setting, one override per sweep.
    public var setting: [ScenarioOverride]

    /// Creates a point.
    public init(scenario: String, setting: [ScenarioOverride]) {
        self.scenario = scenario
        self.setting = setting
    }
}
