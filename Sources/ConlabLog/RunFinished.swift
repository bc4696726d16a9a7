/// `run_finished`.
public struct RunFinished: Sendable, Codable, Equatable {
    /// The process exit status conlab is about to return.
    public var exitStatus: Int32
    /// Results written.
    public var results: Int
    /// Results that were incorrect or did not end as the scenario expected.
    public var failures: Int
    /// Scenario expectations (`expect:`) the reference itself does not meet.
    public var unmetExpectations: Int
    /// ``unmetExpectations`` by scenario, in the order of `run_started`'s scenarios (0 for a scenario this
    /// run did not start); `nil` in a log written before it was recorded. What lets `conlab merge` count a
    /// scenario whose cells were split over shards once, as the whole run does.
    public var scenarioUnmetExpectations: [Int]?
    /// Whether the run was cut short.
    public var interrupted: Bool
    /// Seconds since the conlab process started (``ProcessLifetime``); `nil` where the system does not say.
    public var processSeconds: Double?

    /// Creates the event.
    public init(
        exitStatus: Int32,
        results: Int,
        failures: Int,
        unmetExpectations: Int,
        scenarioUnmetExpectations: [Int]? = nil,
        interrupted: Bool,
        processSeconds: Double?
    ) {
        self.exitStatus = exitStatus
        self.results = results
        self.failures = failures
        self.unmetExpectations = unmetExpectations
        self.scenarioUnmetExpectations = scenarioUnmetExpectations
        self.interrupted = interrupted
        self.processSeconds = processSeconds
    }

    enum CodingKeys: String, CodingKey {
        case results, failures, interrupted
        case exitStatus = "exit_status"
        case unmetExpectations = "unmet_expectations"
        case scenarioUnmetExpectations = "scenario_unmet_expectations"
        case processSeconds = "process_seconds"
    }

    /// Encodes every field, `null` included, so the line carries the whole schema; only
    /// ``scenarioUnmetExpectations`` is left out when unknown, as in the logs written before it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(exitStatus, forKey: .exitStatus)
        try container.encode(results, forKey: .results)
        try container.encode(failures, forKey: .failures)
        try container.encode(unmetExpectations, forKey: .unmetExpectations)
        try container.encodeIfPresent(scenarioUnmetExpectations, forKey: .scenarioUnmetExpectations)
        try container.encode(interrupted, forKey: .interrupted)
        try container.encode(processSeconds, forKey: .processSeconds)
    }
}
