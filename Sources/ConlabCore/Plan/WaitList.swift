/// Each unit's wait in one phase, in unit order, kept in constant space while the units wait alike.
///
/// With a fixed latency every unit of a phase waits the same, and a list of ten million equal durations
/// would cost 160 MB a phase for nothing: the reference of a 10M-cell Life kept 16 bytes a cell a
/// generation this way. So the list holds a run of equal waits (``common``, ``commonCount`` times) and
/// spells out only what follows the first wait that differs. The unit being recorded sits alone at the
/// end until it is complete (``addToLast(_:)``), and rejoins the run if it turns out alike.
public struct WaitList: RandomAccessCollection, Sendable, Hashable {
    /// The wait that the first ``commonCount`` units share.
    private var common: Duration = .zero
    /// How many units, from the first, wait ``common``.
    private var commonCount = 0
    /// The waits after those, spelled out.
    private var tail: [Duration] = []

    /// An empty list.
    public init() {}

    /// `count` equal waits.
    public init(repeating wait: Duration, count: Int) {
        common = wait
        commonCount = count
    }

    /// The waits of `waits`, in their order.
    public init(_ waits: some Sequence<Duration>) {
        for wait in waits { append(wait) }
    }

    /// `0`.
    public var startIndex: Int { 0 }
    /// The number of waits.
    public var endIndex: Int { commonCount + tail.count }

    /// The wait of unit `position`.
    public subscript(position: Int) -> Duration {
        precondition(position >= 0 && position < endIndex, "a wait index out of range")
        return position < commonCount ? common : tail[position - commonCount]
    }

    /// The wait every unit shares, when they all wait alike (and there is at least one).
    public var uniformWait: Duration? {
        commonCount > 0 && tail.allSatisfy { $0 == common } ? common : nil
    }

    /// The sum of the waits, without walking a run of equal ones.
    public var total: Duration {
        tail.reduce(common * commonCount, +)
    }

    /// The longest wait, `.zero` when empty.
    public var longest: Duration {
        tail.reduce(commonCount > 0 ? common : .zero) { Swift.max($0, $1) }
    }

    /// Appends the next unit's wait.
    public mutating func append(_ wait: Duration) {
        rejoin()
        if tail.isEmpty && (commonCount == 0 || wait == common) {
            common = wait
            commonCount += 1
        } else {
            tail.append(wait)
        }
    }

    /// Adds `wait` to the last unit's wait: the unit being recorded, which may wait in several steps.
    public mutating func addToLast(_ wait: Duration) {
        precondition(endIndex > 0, "no unit to add a wait to")
        if !tail.isEmpty {
            tail[tail.count - 1] += wait
        } else if commonCount == 1 {
            common += wait
        } else {
            commonCount -= 1
            // Into the capacity `rejoin()` kept: a unit recorded alike then allocates nothing (the reference
            // made and freed an array here per unit and list, two `malloc`s a Life cell a generation).
            tail.append(common + wait)
        }
    }

    /// Moves a lone last wait that equals the run back into it: the last unit, once complete, waited alike.
    mutating func rejoin() {
        if tail.count == 1 && tail[0] == common {
            tail.removeAll(keepingCapacity: true)
            commonCount += 1
        }
    }

    /// Whether both hold the same waits in the same order.
    public static func == (lhs: WaitList, rhs: WaitList) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.tail.isEmpty && rhs.tail.isEmpty { return lhs.commonCount == 0 || lhs.common == rhs.common }
        return lhs.elementsEqual(rhs)
    }

    /// Hashes the count and the first wait: enough to agree with `==` without walking the list.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(first)
    }
}
