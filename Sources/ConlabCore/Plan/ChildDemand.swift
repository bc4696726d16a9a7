/// What the units of a phase start in child processes (item 52's jobs; nothing for most work): per group of
/// like units, the processes each runs at once and the descriptors the process that starts them holds for
/// each, so that whatever units a strategy keeps in flight, what their children take at most is known.
///
/// `ProcessLimits` (ConlabIO) holds that against the machine's limits; `explain` and `run` check it first.
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

    /// The most child processes `units` units run at once: those of the units that run the most.
    public func processes(units: Int) -> Int { largest(units, \.processes) }

    /// The most descriptors the starting process holds at once for `units` units whose children run.
    public func descriptors(units: Int) -> Int { largest(units, \.descriptors) }

    /// The most descriptors beyond ``descriptors(units:)`` that `units` units starting their children at
    /// the same moment hold.
    public func startingSurplus(units: Int) -> Int { largest(units) { $0.startingDescriptors - $0.descriptors } }

    /// The sum of `figure` over the `count` units with the largest figures.
    private func largest(_ count: Int, _ figure: (Group) -> Int) -> Int {
        var left = max(0, count)
        var total = 0
        for group in groups.sorted(by: { figure($0) > figure($1) }) where left > 0 {
            let taken = min(left, group.units)
            total += taken * figure(group)
            left -= taken
        }
        return total
    }
}
