public import ConlabCore

/// A validated scenario: what to run, under which strategies, and what the result must be.
public struct Scenario: Sendable {
    /// The file it was read from, as the user named it.
    public var file: String
    /// SHA-256 of the file's bytes, so a log says exactly which scenario ran.
    public var fileSHA256: String
    /// A short identifier.
    public var name: String
    /// What the scenario shows, in a sentence or two.
    public var description: String
    /// The Effective Python item it reproduces, when it reproduces one.
    public var item: Int?
    /// The random seed every latency and random pattern is drawn from.
    public var seed: UInt64
    /// The work, of one of the registered kinds.
    public var workload: any ScenarioWorkload
    /// The strategies to run, in order.
    public var strategies: [StrategySpec]
    /// What every result must satisfy.
    public var expectations: Expectations
}

/// One strategy entry of a scenario, with its options applied.
public struct StrategySpec: Sendable {
    /// The configured strategy.
    public var strategy: any Strategy
    /// Where the entry was written.
    public var location: SourceLocation

    /// Creates an entry.
    public init(strategy: any Strategy, location: SourceLocation) {
        self.strategy = strategy
        self.location = location
    }

    /// The strategy's registered name.
    public var name: String { type(of: strategy).name }
}

/// What every result of a scenario must satisfy, beyond agreeing with the serial reference.
public struct Expectations: Sendable {
    /// How a run is expected to end.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Every unit succeeds.
        case success
        /// A unit fails and the failure reaches the caller.
        case unitFailure = "unit_failure"
    }

    /// The expected outcome.
    public var outcome: Outcome = .success
    /// The expected digest of the final state, when given.
    public var finalGridSHA256: String?

    /// No expectations beyond success.
    public init(outcome: Outcome = .success, finalGridSHA256: String? = nil) {
        self.outcome = outcome
        self.finalGridSHA256 = finalGridSHA256
    }
}
