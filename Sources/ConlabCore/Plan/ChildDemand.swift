/// What the units of a phase start in child processes (item 52's jobs; nothing for most work): per group of
/// like units, the processes each runs at once and the descriptors the process that starts them holds for
/// each, so that whatever units a strategy keeps in flight, what their children take at most is known.
///
/// `ProcessLimits` (ConlabIO) holds that against the machine's limits, with the counts of
/// `ChildDemand+Counting.swift` there; `explain` and `run` check it first.
public struct ChildDemand: Sendable, Hashable {
    /// Units that each take the same.
    public struct Group: Sendable, Hashable {
        /// How many units.
        public var units: Int
        /// Child processes one of them runs at once (a chain's commands all run together).
        public var processes: Int
        /// Descriptors the starting process holds for one of them while its children run (its pipe ends).
        public var descriptors: Int
        /// Descriptors it holds for one of them while it starts the children: every pipe of the job, both
        /// ends, until the children's ends are closed.
        public var startingDescriptors: Int

        /// Creates a group.
        public init(units: Int, processes: Int, descriptors: Int, startingDescriptors: Int) {
            self.units = units
            self.processes = processes
            self.descriptors = descriptors
            self.startingDescriptors = max(descriptors, startingDescriptors)
        }
    }

    /// The groups, in no particular order.
    public var groups: [Group]

    /// Creates a demand.
    public init(groups: [Group]) {
        self.groups = groups.filter { $0.units > 0 && $0.processes > 0 }
    }

    /// No child process at all.
    public static let none = ChildDemand(groups: [])

    /// Whether any unit starts a child process.
    public var startsProcesses: Bool { !groups.isEmpty }
}
