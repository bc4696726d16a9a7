import ConlabCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Suspends tasks until their deadlines, each timer on a thread of its own: the modelled waits of tasks.
///
/// `Task.sleep` on Linux gives every sleeping task a Dispatch timer of its own; at a million sleeping
/// tasks that cost more time and memory than the tasks themselves. Here a sleeping task is an entry in
/// a heap and a continuation in a dictionary, or in the entry for a ``TimerWaitGroup``'s wait
/// (``TimerStateMachine``); the timer's thread sleeps on a ``Doorbell`` until the earliest deadline and
/// resumes every task that is due, in deadline order. A cancelled task (or group) is resumed at once with
/// `CancellationError`.
///
/// A timer is also a task executor. Tasks that prefer one of a ``TaskTimers``' shards run on its thread,
/// and their waits are timed by that same thread, so a task that is due runs on the thread that saw it
/// due, at once. Resumed from another timer instead, it would be handed to a thread of the cooperative
/// pool, whose wake-up on an idle core costs more than a modelled millisecond may be late.
public final class TaskTimer: TaskExecutor, Sendable {
    /// How early an idle shard stops sleeping in the kernel to spin to its next deadline: past the 99th
    /// percentile of the kernel's wake-up lateness measured here (117–227 µs), where the thread
    /// strategies' ``BlockingSleep/finishMargin`` covers the median. A shard spins only when it has no
    /// job to run, on a core that is its own.
    public static let spinMargin = Duration.microseconds(300)

    /// The timer whose thread is the calling thread (a timer's jobs run on it), or `nil`.
    public static var running: TaskTimer? {
        guard let pointer = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<TaskTimer>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// The thread-specific slot that names a timer's thread; created once.
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "the task timer needs a thread-specific key")
        return key
    }()

    private typealias Machine = TimerStateMachine<UnsafeContinuation<Void, any Error>, UnownedJob>

    private let name: String
    private let spinning: Bool
    private let state = Mutex(Machine(spinMargin: TaskTimer.spinMargin.wholeNanoseconds))
    private let nextID = Atomic<UInt64>(0)
    /// Set with every ring: a spinning thread stops spinning to look at its jobs and heap again.
    private let rung = Atomic<Bool>(false)
    private let doorbell: Doorbell

    /// A timer whose thread, named `name`, starts on first use. A `spinning` one spins the last
    /// ``spinMargin`` before a deadline when it has nothing else to do: for a shard that owns its core.
    ///
    /// - Throws: ``Doorbell/Unavailable`` when the system has no descriptor left for its eventfd.
    public init(name: String, spinning: Bool) throws {
        guard let doorbell = Doorbell() else { throw Doorbell.Unavailable() }
        self.doorbell = doorbell
        self.name = name
        self.spinning = spinning
    }

    /// Suspends the calling task until `deadline`; throws `CancellationError` if it is cancelled first,
    /// or ``OSThread/SpawnError`` when the timer's thread cannot be started. Unless `precisely`, a spinning
    /// timer does not spin toward this deadline: for a wait the kernel's wake-up lateness does not matter to
    /// (a probe's), which would otherwise keep an idle shard's core busy ``spinMargin`` before each.
    // Never inlined: in a caller's frame its locals would be kept by every task suspended in that caller.
    @inline(never)
    public func sleep(until deadline: Deadline, precisely: Bool = true) async throws {
        try Task.checkCancellation()
        let id = nextID.add(1, ordering: .relaxed).newValue
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let action = state.withLock {
                    $0.add(continuation, id: id, until: deadline.nanoseconds, precisely: precisely)
                }
                perform(action)
                // Cancelled before the continuation was registered: the handler found nothing to resume.
                if Task.isCancelled { cancel(id) }
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Suspends the calling task until `deadline` as one of the waits of `group`, which only the group's
    /// cancellation ends early; see ``TimerWaitGroup``.
    // Never inlined, as the other.
    @inline(never)
    func sleep(until deadline: Deadline, in group: TimerWaitGroup) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let action = state.withLock { state -> ReactorCore<UnownedJob, OSThread>.Action? in
                // Read under the lock that `cancel(_:)` takes after setting it: a wait added once the group
                // is cancelled is never left waiting.
                guard !group.isCancelled else { return nil }
                return state.add(continuation, group: group.id, until: deadline.nanoseconds)
            }
            guard let action else { return continuation.resume(throwing: CancellationError()) }
            perform(action)
        }
    }

    /// Resumes every wait of `group` with `CancellationError`; called by the group once it is cancelled.
    func cancel(_ group: TimerWaitGroup) {
        for waiter in state.withLock({ $0.cancel(group: group.id) }) { waiter.resume(throwing: CancellationError()) }
    }

    /// Queues `job` to run on this timer's thread, waking the thread if it sleeps.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        perform(state.withLock { $0.enqueue(job) })
    }

    private func perform(_ action: ReactorCore<UnownedJob, OSThread>.Action) {
        switch action {
        case .none: break
        case .ring: ring()
        case .startThread: startThread()
        }
    }

    private func ring() {
        rung.store(true, ordering: .releasing)
        doorbell.ring()
    }

    private func cancel(_ id: UInt64) {
        state.withLock { $0.cancel(id) }?.resume(throwing: CancellationError())
    }

    private func startThread() {
        // The stack is a pool thread's: the tasks' synchronous work runs on it.
        do {
            let thread = try OSThread.spawn(name: name, stackSize: 8 << 20) { [self] in loop() }
            state.withLock { $0.started(thread) }
        } catch {
            let (waiters, jobs) = state.withLock { $0.failedToStart() }
            for waiter in waiters { waiter.resume(throwing: error) }
            // A job cannot be failed, only run; a process that cannot start this thread has no other to
            // run it on that the task asked for.
            precondition(jobs.isEmpty, "the task timer could not start its thread: \(error)")
        }
    }

    /// Ends the timer's thread if it sleeps with no task waiting on it and no job queued, and waits until
    /// it has ended: about a wake-up. The next wait or job starts a new thread. `false` when there was no
    /// thread or it was busy.
    @discardableResult
    public func retireIdleThread() -> Bool {
        let retirement = ThreadRetirement()
        guard let thread = state.withLock({ $0.requestRetirement(retirement) }) else { return false }
        return retirement.awaitEnd(of: thread) { self.ring() }
    }

    /// Resumes what is due and runs the jobs queued, then sleeps until the next deadline or a ring.
    @available(*, noasync)
    private func loop() {
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        let executor = asUnownedTaskExecutor()
        var due: [UnsafeContinuation<Void, any Error>] = []
        var jobs: [UnownedJob] = []
        while true {
            switch state.withLock({ $0.nextRound(now: Deadline.now.nanoseconds, due: &due, jobs: &jobs) }) {
            case .answer(let request, let retiring):
                request.answer(retired: retiring)
                if retiring { return }
            case .run:
                // Outside the lock. A task resumed here that prefers this timer is queued to it and runs
                // in the next round, after the jobs already taken; then the heap is looked at again, as
                // time has passed.
                for continuation in due { continuation.resume() }
                due.removeAll(keepingCapacity: true)
                for job in jobs { job.runSynchronously(on: executor) }
                jobs.removeAll(keepingCapacity: true)
            case .sleep(let deadline, let precisely):
                sleep(until: deadline == .max ? nil : deadline, spinning: spinning && precisely)
                state.withLock { $0.woke() }
            }
        }
    }

    /// Sleeps until `deadline` (`nil`: until rung) or a ring; `spinning`, it wakes ``spinMargin`` early
    /// and spins the rest, unless rung.
    @available(*, noasync)
    private func sleep(until deadline: Int64?, spinning: Bool) {
        guard spinning, let deadline else {
            _ = doorbell.sleep(until: deadline.map { Deadline(nanoseconds: $0) }, spinning: false)
            return
        }
        let early = Deadline(nanoseconds: deadline - Self.spinMargin.wholeNanoseconds)
        if Deadline.now < early, doorbell.sleep(until: early, spinning: false) { return }
        while Deadline.now.nanoseconds < deadline {
            if rung.exchange(false, ordering: .acquiring) { break }
        }
        doorbell.drain()
    }
}
