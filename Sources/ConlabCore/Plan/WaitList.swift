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
    /// The unit being recorded, kept apart until the next unit starts or ``rejoin()``: adding to it touches
    /// no array. It was kept as the tail's lone last element, and taking it out of the array again for every
    /// unit alike (`removeAll(keepingCapacity:)`, unspecialised) with the appends and adds around it cost the
    /// reference 321 instructions a Life cell, over its two lists (callgrind, 300×300; BENCHMARKS.md,
    /// seventeenth session).
    private var last: Duration?

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
        rejoin()
    }

    /// `0`.
    public var startIndex: Int { 0 }

    /// The number of waits.
    public var endIndex: Int { commonCount + tail.count + (last == nil ? 0 : 1) }

    /// The wait of unit `position`.
    public subscript(position: Int) -> Duration {
        precondition(position >= 0 && position < endIndex, "a wait index out of range")
        if position < commonCount { return common }
        if position < commonCount + tail.count { return tail[position - commonCount] }
        return last!
    }

    /// The wait every unit shares, when they all wait alike (and there is at least one).
    public var uniformWait: Duration? {
        // Units are spelled out only after a run: no run, no tail.
        guard commonCount > 0 else { return last }
        return tail.allSatisfy { $0 == common } && (last ?? common) == common ? common : nil
    }

    /// The sum of the waits, without walking a run of equal ones.
    public var total: Duration {
        tail.reduce(common * commonCount, +) + (last ?? .zero)
    }

    /// The longest wait, `.zero` when empty.
    public var longest: Duration {
        tail.reduce(Swift.max(commonCount > 0 ? common : .zero, last ?? .zero)) { Swift.max($0, $1) }
    }

    /// Appends the next unit's wait.
    public mutating func append(_ wait: Duration) {
        rejoin()
        last = wait
    }

    /// Adds `wait` to the last unit's wait: the unit being recorded, which may wait in several steps.
    public mutating func addToLast(_ wait: Duration) {
        if let recording = last {
            last = recording + wait
            return
        }
        precondition(endIndex > 0, "no unit to add a wait to")
        if !tail.isEmpty {
            tail[tail.count - 1] += wait
        } else if commonCount == 1 {
            common += wait
        } else {
            commonCount -= 1
            last = common + wait
        }
    }

    /// Files the unit being recorded: into the run when it waited alike (or starts it), else at the end of
    /// the tail.
    mutating func rejoin() {
        guard let wait = last else { return }
        last = nil
        if tail.isEmpty && (commonCount == 0 || wait == common) {
            common = wait
            commonCount += 1
        } else {
            tail.append(wait)
        }
    }

    /// Whether both hold the same waits in the same order.
    public static func == (lhs: WaitList, rhs: WaitList) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.tail.isEmpty && rhs.tail.isEmpty && lhs.last == nil && rhs.last == nil {
            return lhs.commonCount == 0 || lhs.common == rhs.common
        }
        return lhs.elementsEqual(rhs)
    }

    /// Hashes the count and the first wait: enough to agree with `==` without walking the list.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(first)
    }
}
