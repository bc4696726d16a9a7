/// A parked unit of an event loop: when its wait ends, and which slot of the loop's share it is in.
///
/// Not nested in the generic driver, so that the timer heap is specialised for it.
struct LoopTimer: Comparable {
    /// Monotonic nanoseconds.
    var deadline: Int64
    /// The unit's index within the loop's share.
    var slot: Int32

    static func < (lhs: LoopTimer, rhs: LoopTimer) -> Bool { lhs.deadline < rhs.deadline }
}
