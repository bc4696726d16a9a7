/// An event of the structured log. Field by field in `docs/log-schema.md`.
public enum LogEvent: Sendable {
    /// A `conlab run` began.
    case runStarted(RunStarted)
    /// One strategy finished one phase.
    case phaseFinished(PhaseFinished)
    /// A unit failed and its failure reached the caller.
    case unitFailed(UnitFailed)
    /// One strategy's result for one scenario.
    case result(RunResult)
    /// The run ended.
    case runFinished(RunFinished)

    /// The `event` field.
    public var name: String {
        switch self {
        case .runStarted: "run_started"
        case .phaseFinished: "phase_finished"
        case .unitFailed: "unit_failed"
        case .result: "result"
        case .runFinished: "run_finished"
        }
    }

    package func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .runStarted(let payload): try payload.encode(to: encoder)
        case .phaseFinished(let payload): try payload.encode(to: encoder)
        case .unitFailed(let payload): try payload.encode(to: encoder)
        case .result(let payload): try payload.encode(to: encoder)
        case .runFinished(let payload): try payload.encode(to: encoder)
        }
    }
}

/// `run_started`: the machine, the build and the scenarios of a run.
public struct RunStarted: Sendable, Encodable {
    /// The machine.
    public var machine: MachineInfo
    /// conlab's version.
    public var conlabVersion: String
    /// The command line.
    public var arguments: [String]
    /// The scenarios about to run.
    public var scenarios: [ScenarioReference]

    /// Creates the event.
    public init(machine: MachineInfo, conlabVersion: String, arguments: [String], scenarios: [ScenarioReference]) {
        self.machine = machine
        self.conlabVersion = conlabVersion
        self.arguments = arguments
        self.scenarios = scenarios
    }

    enum CodingKeys: String, CodingKey {
        case machine, arguments, scenarios
        case conlabVersion = "conlab_version"
    }
}

/// A scenario file as a log names it.
public struct ScenarioReference: Sendable, Encodable {
    /// The scenario's name.
    public var name: String
    /// The file.
    public var file: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// The seed in force (after `--seed`).
    public var seed: UInt64

    /// Creates a reference.
    public init(name: String, file: String, sha256: String, seed: UInt64) {
        self.name = name
        self.file = file
        self.sha256 = sha256
        self.seed = seed
    }
}

/// `phase_finished`.
public struct PhaseFinished: Sendable, Encodable {
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

/// `unit_failed`.
public struct UnitFailed: Sendable, Encodable {
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

/// `run_finished`.
public struct RunFinished: Sendable, Encodable {
    /// The process exit status conlab is about to return.
    public var exitStatus: Int32
    /// Results written.
    public var results: Int
    /// Results that were incorrect or did not end as the scenario expected.
    public var failures: Int
    /// Scenario expectations (`expect:`) the reference itself does not meet.
    public var unmetExpectations: Int
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
        interrupted: Bool,
        processSeconds: Double?
    ) {
        self.exitStatus = exitStatus
        self.results = results
        self.failures = failures
        self.unmetExpectations = unmetExpectations
        self.interrupted = interrupted
        self.processSeconds = processSeconds
    }

    enum CodingKeys: String, CodingKey {
        case results, failures, interrupted
        case exitStatus = "exit_status"
        case unmetExpectations = "unmet_expectations"
        case processSeconds = "process_seconds"
    }

    /// Encodes every field, `null` included, so the line carries the whole schema.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(exitStatus, forKey: .exitStatus)
        try container.encode(results, forKey: .results)
        try container.encode(failures, forKey: .failures)
        try container.encode(unmetExpectations, forKey: .unmetExpectations)
        try container.encode(interrupted, forKey: .interrupted)
        try container.encode(processSeconds, forKey: .processSeconds)
    }
}
