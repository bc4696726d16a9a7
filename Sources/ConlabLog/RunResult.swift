/// One strategy's result for one scenario: the `result` event, and a row of the summary.
public struct RunResult: Sendable, Codable, Equatable {
    /// How the strategy's run ended.
    public enum Outcome: String, Sendable, Codable {
        /// Every phase ran and every state equals the reference.
        case success
        /// A unit failed and the failure reached the caller.
        case unitFailure = "unit_failure"
        /// A phase's state differs from the reference.
        case incorrect
        /// The strategy declined the plan before starting it (over a thread cap, say); nothing ran.
        case refused
        /// The strategy could not run (it failed on its own).
        case error
        /// The run was interrupted before this strategy finished.
        case interrupted
    }

    /// The scenario's name.
    public var scenario: String
    /// The strategy's registered name.
    public var strategy: String
    /// The strategy with its options, e.g. `pool(max_workers: 10)`.
    public var label: String
    /// Which measured round this result is, from 1 (`--repeat`); 0 for a warm-up round, never logged.
    public var repetition: Int = 1
    /// How it ended.
    public var outcome: Outcome
    /// Whether the result agrees with the serial reference (and, for an expected failure, failed the same way).
    public var correct: Bool
    /// SHA-256 of the final grid, rendered as rows of `*` and `-` each ending in a newline.
    public var finalGridSHA256: String?
    /// SHA-256 of what the run produced, for every workload: the final state's digest (the grid's, for Life),
    /// or a pipeline's `output_sha256`. Equal across strategies when they are correct.
    public var resultSHA256: String?
    /// Phases completed.
    public var phases: Int
    /// Seconds from opening the strategy's session to closing it.
    public var wallSeconds: Double
    /// The ideal floor: the same waits with zero overhead on the strategy's concurrency.
    public var idealSeconds: Double
    /// `wall_seconds / ideal_seconds`; `null` when the ideal is 0.
    public var overheadRatio: Double?
    /// Seconds per completed phase.
    public var phaseSeconds: [Double]
    /// User CPU seconds of the process during the run.
    public var cpuUserSeconds: Double
    /// System CPU seconds of the process during the run.
    public var cpuSystemSeconds: Double
    /// User CPU seconds of child processes reaped during the run (`RUSAGE_CHILDREN`).
    public var cpuChildrenUserSeconds: Double = 0
    /// System CPU seconds of child processes reaped during the run.
    public var cpuChildrenSystemSeconds: Double = 0
    /// Voluntary context switches of the process's threads during the run: waits that gave up the CPU.
    public var voluntaryContextSwitches = 0
    /// Involuntary context switches during the run: threads preempted while they could still run.
    public var involuntaryContextSwitches = 0
    /// Peak resident set size during the run, in bytes.
    public var peakRSSBytes: Int
    /// Peak number of threads of the process during the run.
    public var peakThreads: Int
    /// Each unit's time from its first step to its output, summarised from an HDR histogram; `null` when the
    /// units ran in worker processes or none finished.
    public var unitLatency: LatencySummary?
    /// How much longer than drawn each modelled I/O wait lasted (the strategy's timer accuracy); `null`
    /// without modelled waits, or when they ran in worker processes.
    public var waitError: LatencySummary?
    /// Throughput, latency and queue figures of a pipeline run; `null` for other workloads.
    public var pipeline: PipelineFigures?
    /// Figures the workload measured (a counter's `expected`, `found`, `lost_updates`); `{}` for most.
    public var workloadMetrics: [String: Double] = [:]
    /// Figures particular to the strategy, e.g. `thread_spawn_seconds_mean`.
    public var strategyMetrics: [String: Double]
    /// How the seed's Python would have treated this result's failure, where it differs.
    public var note: String?
    /// What the strategy saw go wrong without failing (a blocked cooperative pool, say).
    public var warnings: [String] = []
    /// What went wrong, when something did.
    public var error: String?
    /// Why the measured time cannot be true (below its ideal floor beyond the clock's tolerance), or nil.
    /// Such a result is never correct and has no overhead ratio.
    public var invalidMeasurement: String?
    /// In a log `conlab merge` wrote: the shard that measured this result (`run_started.merged` names its
    /// machine); `nil` in any other log, where the field is absent.
    public var shard: Int?

    /// Creates a result; the figures a run measures start at zero and empty.
    public init(
        scenario: String,
        strategy: String,
        label: String,
        repetition: Int = 1,
        outcome: Outcome,
        correct: Bool,
        finalGridSHA256: String? = nil,
        resultSHA256: String? = nil,
        phases: Int = 0,
        wallSeconds: Double = 0,
        idealSeconds: Double = 0,
        overheadRatio: Double? = nil,
        phaseSeconds: [Double] = [],
        cpuUserSeconds: Double = 0,
        cpuSystemSeconds: Double = 0,
        cpuChildrenUserSeconds: Double = 0,
        cpuChildrenSystemSeconds: Double = 0,
        voluntaryContextSwitches: Int = 0,
        involuntaryContextSwitches: Int = 0,
        peakRSSBytes: Int = 0,
        peakThreads: Int = 0,
        unitLatency: LatencySummary? = nil,
        waitError: LatencySummary? = nil,
        pipeline: PipelineFigures? = nil,
        workloadMetrics: [String: Double] = [:],
        strategyMetrics: [String: Double] = [:],
        note: String? = nil,
        warnings: [String] = [],
        error: String? = nil,
        invalidMeasurement: String? = nil
    ) {
        self.scenario = scenario
        self.strategy = strategy
        self.label = label
        self.repetition = repetition
        self.outcome = outcome
        self.correct = correct
        self.finalGridSHA256 = finalGridSHA256
        self.resultSHA256 = resultSHA256
        self.phases = phases
        self.wallSeconds = wallSeconds
        self.idealSeconds = idealSeconds
        self.overheadRatio = overheadRatio
        self.phaseSeconds = phaseSeconds
        self.cpuUserSeconds = cpuUserSeconds
        self.cpuSystemSeconds = cpuSystemSeconds
        self.cpuChildrenUserSeconds = cpuChildrenUserSeconds
        self.cpuChildrenSystemSeconds = cpuChildrenSystemSeconds
        self.voluntaryContextSwitches = voluntaryContextSwitches
        self.involuntaryContextSwitches = involuntaryContextSwitches
        self.peakRSSBytes = peakRSSBytes
        self.peakThreads = peakThreads
        self.unitLatency = unitLatency
        self.waitError = waitError
        self.pipeline = pipeline
        self.workloadMetrics = workloadMetrics
        self.strategyMetrics = strategyMetrics
        self.note = note
        self.warnings = warnings
        self.error = error
        self.invalidMeasurement = invalidMeasurement
    }

    /// Cores kept busy on average: all CPU time (the process's and its reaped children's) over wall time.
    public var cpuUtilisation: Double {
        guard wallSeconds > 0 else { return 0 }
        return (cpuUserSeconds + cpuSystemSeconds + cpuChildrenUserSeconds + cpuChildrenSystemSeconds) / wallSeconds
    }

    /// Seconds per completed phase, on average.
    public var secondsPerPhase: Double? {
        phaseSeconds.isEmpty ? nil : phaseSeconds.reduce(0, +) / Double(phaseSeconds.count)
    }

    enum CodingKeys: String, CodingKey {
        case scenario, strategy, label, outcome, correct, phases, error, repetition
        case finalGridSHA256 = "final_grid_sha256"
        case resultSHA256 = "result_sha256"
        case wallSeconds = "wall_seconds"
        case idealSeconds = "ideal_seconds"
        case overheadRatio = "overhead_ratio"
        case phaseSeconds = "phase_seconds"
        case cpuUserSeconds = "cpu_user_seconds"
        case cpuSystemSeconds = "cpu_system_seconds"
        case cpuChildrenUserSeconds = "cpu_children_user_seconds"
        case cpuChildrenSystemSeconds = "cpu_children_system_seconds"
        case cpuUtilisation = "cpu_utilisation"
        case voluntaryContextSwitches = "voluntary_context_switches"
        case involuntaryContextSwitches = "involuntary_context_switches"
        case peakRSSBytes = "peak_rss_bytes"
        case peakThreads = "peak_threads"
        case unitLatency = "unit_latency"
        case waitError = "wait_error"
        case strategyMetrics = "strategy_metrics"
        case workloadMetrics = "workload_metrics"
        case warnings, note
        case pipeline
        case invalidMeasurement = "invalid_measurement"
        case shard
    }

    /// Reads a `result` event's fields. `cpu_utilisation` is derived, so it is not read back; the fields that
    /// `conlab.v1` added after its first logs (`invalid_measurement`, the children's CPU time, context
    /// switches, the repetition, workload metrics, warnings) take their defaults when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scenario = try container.decode(String.self, forKey: .scenario)
        strategy = try container.decode(String.self, forKey: .strategy)
        label = try container.decode(String.self, forKey: .label)
        repetition = try container.decodeIfPresent(Int.self, forKey: .repetition) ?? 1
        outcome = try container.decode(Outcome.self, forKey: .outcome)
        correct = try container.decode(Bool.self, forKey: .correct)
        invalidMeasurement = try container.decodeIfPresent(String.self, forKey: .invalidMeasurement)
        finalGridSHA256 = try container.decodeIfPresent(String.self, forKey: .finalGridSHA256)
        resultSHA256 = try container.decodeIfPresent(String.self, forKey: .resultSHA256)
        phases = try container.decode(Int.self, forKey: .phases)
        wallSeconds = try container.decode(Double.self, forKey: .wallSeconds)
        idealSeconds = try container.decode(Double.self, forKey: .idealSeconds)
        overheadRatio = try container.decodeIfPresent(Double.self, forKey: .overheadRatio)
        phaseSeconds = try container.decode([Double].self, forKey: .phaseSeconds)
        cpuUserSeconds = try container.decode(Double.self, forKey: .cpuUserSeconds)
        cpuSystemSeconds = try container.decode(Double.self, forKey: .cpuSystemSeconds)
        cpuChildrenUserSeconds = try container.decodeIfPresent(Double.self, forKey: .cpuChildrenUserSeconds) ?? 0
        cpuChildrenSystemSeconds = try container.decodeIfPresent(Double.self, forKey: .cpuChildrenSystemSeconds) ?? 0
        voluntaryContextSwitches = try container.decodeIfPresent(Int.self, forKey: .voluntaryContextSwitches) ?? 0
        involuntaryContextSwitches =
            try container.decodeIfPresent(Int.self, forKey: .involuntaryContextSwitches) ?? 0
        peakRSSBytes = try container.decode(Int.self, forKey: .peakRSSBytes)
        peakThreads = try container.decode(Int.self, forKey: .peakThreads)
        unitLatency = try container.decodeIfPresent(LatencySummary.self, forKey: .unitLatency)
        waitError = try container.decodeIfPresent(LatencySummary.self, forKey: .waitError)
        pipeline = try container.decodeIfPresent(PipelineFigures.self, forKey: .pipeline)
        strategyMetrics = try container.decode([String: Double].self, forKey: .strategyMetrics)
        workloadMetrics = try container.decodeIfPresent([String: Double].self, forKey: .workloadMetrics) ?? [:]
        warnings = try container.decodeIfPresent([String].self, forKey: .warnings) ?? []
        note = try container.decodeIfPresent(String.self, forKey: .note)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        shard = try container.decodeIfPresent(Int.self, forKey: .shard)
    }

    /// Encodes every field, `null` included, so each line carries the whole schema.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(strategy, forKey: .strategy)
        try container.encode(label, forKey: .label)
        try container.encode(repetition, forKey: .repetition)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(correct, forKey: .correct)
        try container.encode(invalidMeasurement, forKey: .invalidMeasurement)
        try container.encode(finalGridSHA256, forKey: .finalGridSHA256)
        try container.encode(resultSHA256, forKey: .resultSHA256)
        try container.encode(phases, forKey: .phases)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try container.encode(idealSeconds, forKey: .idealSeconds)
        try container.encode(overheadRatio, forKey: .overheadRatio)
        try container.encode(phaseSeconds, forKey: .phaseSeconds)
        try container.encode(cpuUserSeconds, forKey: .cpuUserSeconds)
        try container.encode(cpuSystemSeconds, forKey: .cpuSystemSeconds)
        try container.encode(cpuChildrenUserSeconds, forKey: .cpuChildrenUserSeconds)
        try container.encode(cpuChildrenSystemSeconds, forKey: .cpuChildrenSystemSeconds)
        try container.encode(cpuUtilisation, forKey: .cpuUtilisation)
        try container.encode(voluntaryContextSwitches, forKey: .voluntaryContextSwitches)
        try container.encode(involuntaryContextSwitches, forKey: .involuntaryContextSwitches)
        try container.encode(peakRSSBytes, forKey: .peakRSSBytes)
        try container.encode(peakThreads, forKey: .peakThreads)
        try container.encode(unitLatency, forKey: .unitLatency)
        try container.encode(waitError, forKey: .waitError)
        try container.encode(pipeline, forKey: .pipeline)
        try container.encode(strategyMetrics, forKey: .strategyMetrics)
        try container.encode(workloadMetrics, forKey: .workloadMetrics)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(note, forKey: .note)
        try container.encode(error, forKey: .error)
        // Only a merged log's results come from a shard; any other log's lines stay as they were.
        try container.encodeIfPresent(shard, forKey: .shard)
    }
}
