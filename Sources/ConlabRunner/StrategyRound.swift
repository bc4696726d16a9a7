/// One round of one strategy on one scenario, as ``RunEvent/strategyStarted(_:)`` announces it.
public struct StrategyRound: Sendable, Equatable {
    /// The scenario's name.
    public var scenario: String
    /// The strategy with its options, e.g. `pool(max_workers: 10)`.
    public var label: String
    /// Phases planned.
    public var phases: Int
    /// Units planned: phases × the largest phase.
    public var plannedUnits: Int
    /// Which round: 0 for a warm-up, measured rounds from 1.
    public var round: Int
    /// Whether the run has warm-ups or repeats, so that rounds need telling apart.
    public var isOneOfSeveral: Bool

    /// Creates a round.
    public init(scenario: String, label: String, phases: Int, plannedUnits: Int, round: Int, isOneOfSeveral: Bool) {
        self.scenario = scenario
        self.label = label
        self.phases = phases
        self.plannedUnits = plannedUnits
        self.round = round
        self.isOneOfSeveral = isOneOfSeveral
    }

    /// `life-glider / async`, then ` (warm-up)` or ` (round 2)` when the run has several rounds.
    public var name: String {
        let suffix = isOneOfSeveral ? (round == 0 ? " (warm-up)" : " (round \(round))") : ""
        return "\(scenario) / \(label)\(suffix)"
    }
}
