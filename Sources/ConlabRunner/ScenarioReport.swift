public import ConlabCore
public import ConlabLog
public import ConlabScenario

/// What running one scenario produced: the reference, every strategy's result, and whether it all passed.
public struct ScenarioReport: Sendable {
    /// The scenario.
    public var scenario: Scenario
    /// The reference's failure, when a unit fails.
    public var referenceFailure: UnitFailure?
    /// The digest of the reference's final state, when it completes.
    public var referenceDigest: String?
    /// Each state rendered, for workloads small enough to print; `nil` otherwise.
    public var frames: [String]?
    /// One result per strategy, in order.
    public var results: [RunResult] = []
    /// Expectations the reference itself does not meet.
    public var problems: [String] = []
    /// The sweep setting it ran at, with `--sweep`; `nil` otherwise.
    public var sweep: SweepPoint?

    init(scenario: Scenario) {
        self.scenario = scenario
    }

    /// What the reference gave, as ``RunEvent/referenceFinished(_:)`` tells it.
    var reference: ReferenceFinished {
        get {
            ReferenceFinished(frames: frames, failure: referenceFailure, digest: referenceDigest, problems: problems)
        }
        set {
            frames = newValue.frames
            referenceFailure = newValue.failure
            referenceDigest = newValue.digest
            problems = newValue.problems
        }
    }

    /// Whether each result matches the expected outcome and the reference, and the expectations hold.
    public var passed: Bool {
        problems.isEmpty && results.allSatisfy { passes($0) }
    }

    /// Whether one result matches the expected outcome and the reference.
    public func passes(_ result: RunResult) -> Bool {
        // A refusal is a guard doing its job, reported as such; it is not a wrong result.
        if result.outcome == .refused { return true }
        guard result.correct else { return false }
        switch scenario.expectations.outcome {
        case .success: return result.outcome == .success
        case .unitFailure: return result.outcome == .unitFailure
        }
    }
}
