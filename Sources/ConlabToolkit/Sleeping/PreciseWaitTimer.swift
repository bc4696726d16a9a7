public import ConlabCore

/// conlab's ``WaitTimer``: blocking waits sleep until their deadline with ``BlockingSleep``'s precise sleep
/// (cut short by ``WaitInterruption``), suspended ones on the calling thread's timer among ``timers``.
public struct PreciseWaitTimer: WaitTimer {
    /// The task timers that suspended waits sleep on.
    public let timers: TaskTimers

    /// A wait timer whose suspended waits sleep on `timers`.
    public init(timers: TaskTimers) {
        self.timers = timers
    }

    /// Sleeps until `duration` from now; `false` when interrupted.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public func sleepBlocking(for duration: Duration) -> Bool {
        BlockingSleep.sleepPrecisely(until: .after(duration))
    }

    /// Suspends on the timer of the calling thread (its shard's when it is one) until `duration` from now.
    public func sleep(for duration: Duration) async throws {
        try await timers.current.sleep(until: .after(duration))
    }
}
