/// `phase_finished`.
public struct PhaseFinished: Sendable, Codable, Equatable {
    /// The scenario's name.
    public var scenario: String
    /// The strategy's name.
    public var strategy: String
    /// The phase index, from 0.
    public var phase: Int
    /// What the phase is called (`generation`).
    public var phaseName: String
    /// The units in the phase.
    public var units: Int
    /// Wall-clock seconds the phase took.
    public var seconds: Double

    /// Creates the event.
    public init(scenario: String, strategy: String, phase: Int, phaseName: String, units: Int, seconds: Double) {
        self.scenario = scenario
        self.strategy = strategy
        self.phase = phase
        self.phaseName = phaseName
        self.units = units
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case scenario, strategy, phase, units, seconds
        case phaseName = "phase_name"
    }
}
