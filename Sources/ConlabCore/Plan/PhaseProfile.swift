/// What the units of one phase wait, step by step, as the reference measured it without waiting.
///
/// Strategies derive their ideal floor from it: a pool from the units' total waits, a staged queue from
/// the waits of each step. Units that wait alike are kept as one run (``WaitList``), so a phase of ten
/// million cells with a fixed latency costs a few bytes, not 16 a cell.
public struct PhaseProfile: Sendable, Hashable {
    /// Each unit's total wait, in unit order.
    public private(set) var totals = WaitList()
    /// The steps units wait in, in the order they first appear.
    public private(set) var steps: [String] = []
    /// Per step of ``steps``, each unit's wait in that step (zero where the unit does not wait in it).
    private var columns: [WaitList] = []

    /// Per step, each unit's wait in that step (zero where the unit does not wait in it), in unit order.
    public var stepWaits: [String: WaitList] { Dictionary(uniqueKeysWithValues: zip(steps, columns)) }

    /// An empty profile.
    public init() {}

    /// A profile of units that each wait once, in one step.
    public init(totals: [Duration], step: String = "wait") {
        for total in totals {
            startUnit()
            record(step: step, duration: total)
        }
        finish()
    }

    /// A profile of `count` units that never wait, as the reference records them.
    public init(unitsWithoutWaits count: Int) {
        totals = WaitList(repeating: .zero, count: count)
    }

    /// The number of units recorded.
    public var count: Int { totals.count }

    /// Starts recording the next unit.
    public mutating func startUnit() {
        totals.append(.zero)
        for column in columns.indices { columns[column].append(.zero) }
    }

    /// Ends recording. With a single step every unit's total is its wait in that step, so the two lists
    /// share one buffer: a million-unit phase of unequal waits then keeps 16 MB instead of 32.
    public mutating func finish() {
        totals.rejoin()
        for column in columns.indices { columns[column].rejoin() }
        guard columns.count == 1 else { return }
        columns[0] = totals
    }

    /// Records a wait of the current unit.
    /// A unit waits in one or two steps: finding its step in a short list costs less than hashing its name.
    public mutating func record(step: String, duration: Duration) {
        let column: Int
        if let known = steps.firstIndex(of: step) {
            column = known
        } else {
            column = steps.count
            steps.append(step)
            columns.append(WaitList(repeating: .zero, count: totals.count))
        }
        totals.addToLast(duration)
        columns[column].addToLast(duration)
    }
}
