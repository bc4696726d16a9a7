public import ConlabCore
import ConlabIO
public import ConlabScenario

extension SubprocessWorkload: ScenarioWorkload {
    /// `subprocess`.
    public static let kind = "subprocess"
    /// Phases of jobs, portable to worker processes.
    public static let traits = WorkloadTraits.phased(SubprocessWorkload.self)
    /// A phase's jobs.
    public static let portableBatches: [any PortableBatch.Type] = [SubprocessBatch.self]

    /// Reads `jobs` (``SubprocessReader``).
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> SubprocessWorkload? {
        SubprocessReader.read(mapping, reader: reader, seed: seed)
    }

    /// Itself.
    public func runnable(seed: UInt64) -> RunnableWorkload { .phased(self) }

    /// `3 × echo hello; 1 × cat | wc -l`.
    public func summary(seed: UInt64) -> String {
        jobs.map { "\($0.count) × \($0.commands.map(\.summary).joined(separator: " | "))" }.joined(separator: "; ")
    }

    /// With the children started per second of the phases' time.
    public func figures(_ measured: [String: Double], phaseSeconds: Double) -> [String: Double] {
        var figures = measured
        if let children = figures["children"], phaseSeconds > 0 {
            figures["children_per_second"] = children / phaseSeconds
        }
        return figures
    }
}
