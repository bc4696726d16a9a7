/// `unit_failed`.
public struct UnitFailed: Sendable, Codable, Equatable {
    /// The scenario's name.
    public var scenario: String
    /// The strategy's name.
    public var strategy: String
    /// The failing unit's phase.
    public var phase: Int
    /// Its index within the phase.
    public var unitIndex: Int
    /// Its name, e.g. `cell (0, 3)`.
    public var unit: String
    /// The step that failed, e.g. `game_logic`.
    public var step: String?
    /// The full message.
    public var error: String

    /// Creates the event.
    public init(
        scenario: String,
        strategy: String,
        phase: Int,
        unitIndex: Int,
        unit: String,
        step: String?,
        error: String
    ) {
        self.scenario = scenario
        self.strategy = strategy
        self.phase = phase
        self.unitIndex = unitIndex
        self.unit = unit
        self.step = step
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case scenario, strategy, phase, unit, step, error
        case unitIndex = "unit_index"
    }

    /// Every field, `step` as `null` when unknown, as `result` does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(strategy, forKey: .strategy)
        try container.encode(phase, forKey: .phase)
        try container.encode(unitIndex, forKey: .unitIndex)
        try container.encode(unit, forKey: .unit)
        try container.encode(step, forKey: .step)
        try container.encode(error, forKey: .error)
    }
}
