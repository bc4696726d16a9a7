import Synchronization

/// The largest phase a session has run, in units, and how many threads ran it: what the lag warning names
/// when no unit blocked.
final class LargestPhase: Sendable {
    private let largest = Mutex<(units: Int, threads: Int)>((0, 0))

    /// Notes a phase of `units` units run by `threads` threads.
    func record(units: Int, threads: Int) {
        largest.withLock { if units > $0.units { $0 = (units, threads) } }
    }

    /// The largest phase so far; `(0, 0)` before the first.
    var value: (units: Int, threads: Int) { largest.withLock { $0 } }
}
