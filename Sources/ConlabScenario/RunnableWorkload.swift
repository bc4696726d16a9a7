public import ConlabCore

/// What a scenario's workload runs: the two shapes strategies support (``WorkloadShape``).
public enum RunnableWorkload: Sendable {
    /// Phases of independent units.
    case phased(any PhasedWorkload)
    /// Items through stages.
    case pipeline(any PipelineWork)
}
