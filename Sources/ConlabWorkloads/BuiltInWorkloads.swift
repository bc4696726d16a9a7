public import ConlabScenario

/// The one list of workload kinds conlab ships. Adding a kind: a folder here holding the workload and its
/// ``ScenarioWorkload`` conformance, and one line in this list (`WorkloadRegistryTests` fails when a folder is
/// missing from it).
public enum BuiltInWorkloads {
    /// Every built-in kind, in the order messages and listings show them.
    public static let all: [any ScenarioWorkload.Type] = [
        LifeSpec.self,
        PipelineSpec.self,
        CPUWorkload.self,
        CounterWorkload.self,
        SyscallWorkload.self,
        SubprocessWorkload.self,
        GuessWorkload.self,
        TailWorkload.self,
    ]

    /// A registry of ``all``.
    public static var registry: WorkloadRegistry { WorkloadRegistry(all) }
}
