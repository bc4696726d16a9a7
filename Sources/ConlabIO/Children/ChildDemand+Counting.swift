public import ConlabCore

/// How many processes and descriptors the children of the units in flight take at most: what
/// ``ProcessLimits`` counts, kept with it rather than in the contract, which only carries the demand.
extension ChildDemand {
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
