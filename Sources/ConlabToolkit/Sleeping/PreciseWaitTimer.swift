public import ConlabCore

/// conlab's ``WaitTimer``: blocking waits sleep until their deadline with ``BlockingSleep``'s precise sleep
/// (cut short by ``WaitInterruption``), suspended ones on the calling thread's ``TaskTimer``.
public struct PreciseWaitTimer: WaitTimer {
    /// Creates the timer; it holds nothing, the task timers start their threads on first use.
    public init() {}

    /// Sleeps until `duration` from now; `false` when interrupted.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public func sleepBlocking(for duration: Duration) -> Bool {
        BlockingSleep.sleepPrecisely(until: .after(duration))
    }

    /// Suspends on the timer of the calling thread (its shard's when it is one) until `duration` from now.
    public func sleep(for duration: Duration) async throws {
        try await TaskTimer.current.sleep(until: .after(duration))
    }
}
