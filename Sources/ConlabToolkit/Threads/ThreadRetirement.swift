import Synchronization

/// A request that a service thread (a timer's or a reactor's) end if it has nothing to do, answered once
/// by that thread.
///
/// Only the thread itself can tell that it is idle at a moment when no new work can slip in unseen: it
/// decides under its own lock, and a caller that finds it busy leaves it running.
public final class ThreadRetirement: Sendable {
    private let answered = Semaphore()
    private let retired = Atomic<Bool>(false)

    /// A request not yet answered.
    public init() {}

    /// Called by the service thread, once: `true` when it is about to return from its loop.
    public func answer(retired: Bool) {
        self.retired.store(retired, ordering: .releasing)
        answered.signal()
    }

    /// Wakes the thread with `wake`, waits for its answer and, if it ended, joins `thread`; whether it ended.
    public func awaitEnd(of thread: OSThread, wakingItWith wake: () -> Void) -> Bool {
        wake()
        guard wait() else { return false }
        thread.join()
        return true
    }

    /// Blocks until the thread has answered (it is asked only when asleep and idle, so about a wake-up);
    /// whether it ended.
    public func wait() -> Bool {
        answered.wait()
        return retired.load(ordering: .acquiring)
    }
}
