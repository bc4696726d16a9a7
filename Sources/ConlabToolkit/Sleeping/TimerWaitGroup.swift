import Synchronization

/// The waits of many tasks in ``TaskTimers``, cancelled together: those of a slab's tasks (``SlabTasks``).
///
/// A wait in a group has no cancellation handler of its own. A handler costs every wait a status record
/// added and removed under the task's lock, and the runtime walks it in every executor-preference lookup
/// meanwhile; with a group, whoever started the tasks cancels it instead (at their first failure, and from
/// one handler in the task that started them), and every wait of the group, now or later, ends with
/// `CancellationError`.
public final class TimerWaitGroup: Sendable {
    /// Every group's number, apart from every other group's in the process.
    private static let numbers = Atomic<UInt64>(0)

    let id: UInt64
    private let timers: TaskTimers
    private let cancelled = Atomic<Bool>(false)

    /// A group of waits timed by `timers`.
    public init(timers: TaskTimers) {
        self.timers = timers
        id = Self.numbers.add(1, ordering: .relaxed).newValue
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Suspends the calling task until `deadline`, timed by the timer of the calling thread (see
    /// ``TaskTimers/current``); throws `CancellationError` once the group is cancelled, or
    /// ``OSThread/SpawnError`` when the timer's thread cannot be started. The task's own cancellation does
    /// not end it: cancel the group.
    public func sleep(until deadline: Deadline) async throws {
        try await timers.current.sleep(until: deadline, in: self)
    }

    /// Ends every wait of the group with `CancellationError`, and every wait begun after it at once. Safe
    /// from any thread, and more than once.
    public func cancel() {
        guard !cancelled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for timer in [timers.main] + timers.shards { timer.cancel(self) }
    }
}
