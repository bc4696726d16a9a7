/// What the summary of a workload's results sees of one result (``ScenarioWorkload/summaryLines(_:)``).
public struct WorkloadResult: Sendable {
    /// The strategy's registered name.
    public var strategy: String
    /// The strategy with its options, as rows show it.
    public var label: String
    /// Whether the result agreed with the reference and the expectations.
    public var correct: Bool
    /// Wall-clock seconds of the run.
    public var wallSeconds: Double
    /// The wall-clock seconds of the median correct serial run, when the scenario ran serial.
    public var serialSeconds: Double?
    /// The figures the workload reported (``ScenarioWorkload/figures(_:phaseSeconds:)``).
    public var figures: [String: Double]

    /// Creates a result's view.
    public init(
        strategy: String,
        label: String,
        correct: Bool,
        wallSeconds: Double,
        serialSeconds: Double?,
        figures: [String: Double]
    ) {
        self.strategy = strategy
        self.label = label
        self.correct = correct
        self.wallSeconds = wallSeconds
        self.serialSeconds = serialSeconds
        self.figures = figures
    }
}
