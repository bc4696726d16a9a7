import ConlabCore
import HeapModule
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Suspends tasks until their deadlines, each timer on a thread of its own: the modelled waits of tasks.
///
/// `Task.sleep` on Linux gives every sleeping task a Dispatch timer of its own; at a million sleeping
/// tasks that cost more time and memory than the tasks themselves. Here a sleeping task is a
/// continuation in a dictionary and an entry in one heap; the timer's thread sleeps on a ``Doorbell``
/// until the earliest deadline and resumes every task that is due, in deadline order. A cancelled task
/// is resumed at once with `CancellationError`.
///
/// A timer is also a task executor. Tasks that prefer one of the ``shards`` run on its thread, and
/// their waits are timed by that same thread, so a task that is due runs on the thread that saw it due,
/// at once. Resumed from ``shared`` instead, it would be handed to a thread of the cooperative pool,
/// whose wake-up on an idle core costs more than a modelled millisecond may be late.
public final class TaskTimer: TaskExecutor, Sendable {
    /// The timer for tasks that run on the cooperative pool; its thread starts on first use and is
    /// kept until ``retireIdleThread()``. It runs no jobs unless a task prefers it, and never spins: it shares the cores with the
    /// tasks it wakes.
    public static let shared = TaskTimer(name: "conlab-timer", spinning: false)

    /// One timer per core, each a task executor that runs the tasks preferring it on its own thread and
    /// spins the last ``spinMargin`` before a deadline when it has nothing else to do.
    public static let shards: [TaskTimer] = (0..<BlockingSleep.spinSlots).map {
        TaskTimer(name: "conlab-tasks-\($0)", spinning: true)
    }

    /// How early an idle shard stops sleeping in the kernel to spin to its next deadline: past the 99th
    /// percentile of the kernel's wake-up lateness measured here (117–227 µs), where the thread
    /// strategies' ``BlockingSleep/finishMargin`` covers the median. A shard spins only when it has no
    /// job to run, on a core that is its own.
    public static let spinMargin = Duration.microseconds(300)

    /// The timer that times waits of the calling thread: its shard's when it is one, else ``shared``.
    public static var current: TaskTimer {
        guard let pointer = pthread_getspecific(currentKey) else { return shared }
        return Unmanaged<TaskTimer>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// The thread-specific slot that names a shard's thread; created once.
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "the task timer needs a thread-specific key")
        return key
    }()

    private struct Entry: Comparable {
        var deadline: Int64
        var id: UInt64

        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.deadline < rhs.deadline }
    }

    private struct State {
        var entries = Heap<Entry>()
        var waiting: [UInt64: UnsafeContinuation<Void, any Error>] = [:]
        /// Jobs of tasks that prefer this timer, run by its thread in order.
        var jobs: [UnownedJob] = []
        /// The deadline the thread sleeps until (`.max`: until rung; `.min`: rung already); `nil` while
        /// it is awake, when it looks at the heap and the jobs again before it sleeps.
        var sleepingUntil: Int64?
        var threadStarted = false
        /// The running thread, kept to be joined when it retires.
        var thread: OSThread?
        /// A request that the thread end if idle, answered by the thread.
        var retirement: ThreadRetirement?
    }

    private let name: String
    private let spinning: Bool
    private let state = Mutex(State())
    private let nextID = Atomic<UInt64>(0)
    /// Set with every ring: a spinning thread stops spinning to look at its jobs and heap again.
    private let rung = Atomic<Bool>(false)
    private let doorbell: Doorbell

    /// Internal for tests, which need timers of their own; conlab uses ``shared`` and ``shards``.
    init(name: String, spinning: Bool) {
        // Without its doorbell no task could ever be woken; a process out of descriptors this early
        // cannot run async workloads anyway.
        guard let doorbell = Doorbell() else { preconditionFailure("the task timer needs an eventfd") }
        self.doorbell = doorbell
        self.name = name
        self.spinning = spinning
    }

    /// Suspends the calling task until `deadline`; throws `CancellationError` if it is cancelled first.
    public func sleep(until deadline: Deadline) async throws {
        try Task.checkCancellation()
        let id = nextID.add(1, ordering: .relaxed).newValue
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let (start, ring) = state.withLock { state in
                    state.entries.insert(Entry(deadline: deadline.nanoseconds, id: id))
                    state.waiting[id] = continuation
                    let start = !state.threadStarted
                    state.threadStarted = true
                    guard let sleepingUntil = state.sleepingUntil, deadline.nanoseconds < sleepingUntil else {
                        return (start, false)
                    }
                    state.sleepingUntil = deadline.nanoseconds
                    return (start, true)
                }
                if start { startThread() }
                if ring { self.ring() }
                // Cancelled before the continuation was registered: the handler found nothing to resume.
                if Task.isCancelled { cancel(id) }
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Queues `job` to run on this timer's thread, waking the thread if it sleeps.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let (start, ring) = state.withLock { state in
            state.jobs.append(job)
            let start = !state.threadStarted
            state.threadStarted = true
            guard let sleepingUntil = state.sleepingUntil, sleepingUntil != .min else { return (start, false) }
            state.sleepingUntil = .min
            return (start, true)
        }
        if start { startThread() }
        if ring { self.ring() }
    }

    private func ring() {
        rung.store(true, ordering: .releasing)
        doorbell.ring()
    }

    private func cancel(_ id: UInt64) {
        // The heap entry stays until its deadline and is then skipped.
        state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: CancellationError())
    }

    private func startThread() {
        // Without its thread no task could ever be woken or run; a process out of threads cannot run
        // async workloads anyway. The stack is a pool thread's: the tasks' synchronous work runs on it.
        do {
            let thread = try OSThread.spawn(name: name, stackSize: 8 << 20) { [self] in loop() }
            state.withLock { $0.thread = thread }
        } catch {
            preconditionFailure("the task timer needs a thread: \(error)")
        }
    }

    /// Ends the timer's thread if it sleeps with no task waiting on it and no job queued, and waits until
    /// it has ended: about a wake-up. The next wait or job starts a new thread. `false` when there was no
    /// thread or it was busy.
    @discardableResult
    public func retireIdleThread() -> Bool {
        let retirement = ThreadRetirement()
        let thread: OSThread? = state.withLock { state in
            // Only a thread asleep with nothing to do: one running jobs could keep the caller waiting.
            guard let thread = state.thread, let sleepingUntil = state.sleepingUntil, sleepingUntil != .min,
                state.waiting.isEmpty, state.jobs.isEmpty
            else { return nil }
            state.retirement = retirement
            state.sleepingUntil = .min
            return thread
        }
        guard let thread else { return false }
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
            let (next, retirement, retiring): (Int64?, ThreadRetirement?, Bool) = state.withLock { state in
                if let retirement = state.retirement {
                    state.retirement = nil
                    // The thread is out of the state from here on: a wait or job from now starts a new one.
                    // Entries left in the heap belong to cancelled waits.
                    guard state.waiting.isEmpty && state.jobs.isEmpty else { return (nil, retirement, false) }
                    state.entries = Heap()
                    state.threadStarted = false
                    state.thread = nil
                    state.sleepingUntil = nil
                    return (nil, retirement, true)
                }
                let now = Deadline.now.nanoseconds
                while let entry = state.entries.min, entry.deadline <= now {
                    _ = state.entries.removeMin()
                    if let continuation = state.waiting.removeValue(forKey: entry.id) { due.append(continuation) }
                }
                swap(&jobs, &state.jobs)
                guard due.isEmpty && jobs.isEmpty else { return (nil, nil, false) }
                let next = state.entries.min?.deadline
                state.sleepingUntil = next ?? .max
                return (next, nil, false)
            }
            if let retirement {
                retirement.answer(retired: retiring)
                if retiring { return }
                continue
            }
            if !due.isEmpty || !jobs.isEmpty {
                // Outside the lock. A task resumed here that prefers this timer is queued to it and runs
                // in the next round, after the jobs already taken; then the heap is looked at again, as
                // time has passed.
                for continuation in due { continuation.resume() }
                due.removeAll(keepingCapacity: true)
                for job in jobs { job.runSynchronously(on: executor) }
                jobs.removeAll(keepingCapacity: true)
                continue
            }
            sleep(until: next)
            state.withLock { $0.sleepingUntil = nil }
        }
    }

    /// Sleeps until `deadline` (`nil`: until rung) or a ring; a spinning timer wakes ``spinMargin`` early
    /// and spins the rest, unless rung.
    @available(*, noasync)
    private func sleep(until deadline: Int64?) {
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
