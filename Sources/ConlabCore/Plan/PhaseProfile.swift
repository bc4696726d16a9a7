/// What the units of one phase wait, step by step, as the reference measured it without waiting.
///
/// Strategies derive their ideal floor from it: a pool from the units' total waits, a staged queue from
/// the waits of each step.
public struct PhaseProfile: Sendable, Hashable {
    /// Each unit's total wait, in unit order.
    public private(set) var totals: [Duration] = []
    /// The steps units wait in, in the order they first appear.
    public private(set) var steps: [String] = []
    /// Per step, each unit's wait in that step (zero where the unit does not wait in it), in unit order.
    public private(set) var stepWaits: [String: [Duration]] = [:]

    /// An empty profile.
    public init() {}

    /// A profile of units that each wait once, in one step.
    public init(totals: [Duration], step: String = "wait") {
        for total in totals {
            startUnit()
            record(step: step, duration: total)
        }
    }

    /// A profile of `count` units that never wait, as the reference records them.
    public init(unitsWithoutWaits count: Int) {
        totals = Array(repeating: .zero, count: count)
    }

    /// The number of units recorded.
    public var count: Int { totals.count }

    /// Starts recording the next unit.
    public mutating func startUnit() {
        totals.append(.zero)
        for step in steps { stepWaits[step]!.append(.zero) }
    }

    /// Ends recording. With a single step every unit's total is its wait in that step, so the two lists
    /// share one buffer: a million-unit phase then keeps 16 MB instead of 32.
    public mutating func finish() {
        guard steps.count == 1 else { return }
        stepWaits[steps[0]] = totals
    }

    /// Records a wait of the current unit.
    public mutating func record(step: String, duration: Duration) {
        if stepWaits[step] == nil {
            steps.append(step)
            stepWaits[step] = Array(repeating: .zero, count: totals.count)
        }
        totals[totals.count - 1] += duration
        stepWaits[step]![totals.count - 1] += duration
    }
}
