/// What one unit's own child processes take at most at once: the processes, and the descriptors the
/// process that starts them holds for them (item 52's jobs; zero for work that starts no process).
///
/// A strategy keeps some number of units in flight; times this, that is what its children take from the
/// machine's process and descriptor limits (``ProcessLimits``), which `explain` and `run` check first.
public struct ChildDemand: Sendable, Hashable {
    /// Child processes one unit runs at once (a chain's commands all run together).
    public var processes: Int
    /// Descriptors the starting process holds for one unit while its children run (its ends of the pipes).
    public var descriptors: Int
    /// Descriptors it holds for one unit while it starts the children: every pipe of the job, both ends,
    /// until the children's ends are closed.
    public var startingDescriptors: Int

    /// Creates a demand.
    public init(processes: Int, descriptors: Int, startingDescriptors: Int) {
        self.processes = processes
        self.descriptors = descriptors
        self.startingDescriptors = max(descriptors, startingDescriptors)
    }

    /// No child process at all.
    public static let none = ChildDemand(processes: 0, descriptors: 0, startingDescriptors: 0)

    /// The larger of two demands, field by field: a unit of a workload whose units differ may be either.
    public func union(_ other: ChildDemand) -> ChildDemand {
        ChildDemand(
            processes: max(processes, other.processes),
            descriptors: max(descriptors, other.descriptors),
            startingDescriptors: max(startingDescriptors, other.startingDescriptors)
        )
    }
}
