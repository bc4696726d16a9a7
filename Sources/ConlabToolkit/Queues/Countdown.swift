import Synchronization

/// A count shared by threads or tasks that tells the one that brings it to zero: "the last worker of a
/// stage to stop passes the sentinels on".
public final class Countdown: Sendable {
    private let remaining: Atomic<Int>

    /// Starts at `count`.
    public init(_ count: Int) {
        remaining = Atomic(count)
    }

    /// Counts one down; `true` for the caller that reached zero.
    public func countDown() -> Bool {
        remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0
    }
}
