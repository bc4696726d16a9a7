import CLinux
import ConlabCore
import ConlabToolkit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Suspends tasks until descriptors are ready: one `epoll(7)` thread, so async code can wait on any
/// number of sockets without a thread per socket and without ever blocking the cooperative pool (the
/// event loop under item 60's `asyncio` streams).
///
/// A descriptor is registered once (``register(_:)``), edge-triggered for both directions, and readiness
/// that arrives while nobody waits is remembered: a wait costs no system call, where re-arming a one-shot
/// registration before every wait cost an `epoll_ctl` per message. The decisions are a pure
/// ``ReadinessStateMachine`` behind a `Mutex`; this class performs them.
///
/// Made once per run (``StandardServices``) and handed down; it starts its thread on first use and keeps
/// it until ``retireIdleThread()``.
///
/// Its thread is also a task executor: tasks that prefer it run between `epoll_wait`s on the reactor's
/// own thread, as asyncio runs coroutines on its loop, so a task woken by readiness runs at once instead
/// of being handed to another thread, whose wake-up costs more than the work. Such tasks must never
/// block: while one runs, no other socket is attended to.
public final class ReadinessReactor: TaskExecutor, Sendable {
    /// What a wait is for.
    public enum Interest: Sendable {
        /// Data (or end of stream, or an error) to read; a connection to accept.
        case readable
        /// Room to write.
        case writable
    }

    private typealias Machine = ReadinessStateMachine<CheckedContinuation<Bool, Never>, UnownedJob>

    private let state = Mutex(Machine())
    private let epoll: Int32
    /// Rung to wake the reactor: a waiter due before its current timeout, or a job.
    private let wake: Doorbell
    private let threadName: String

    /// A reactor whose thread, named `threadName`, starts on first use.
    ///
    /// - Throws: ``Doorbell/Unavailable`` when the process is out of descriptors for epoll or its eventfd.
    public init(threadName: String = "conlab-epoll") throws {
        self.threadName = threadName
        guard let wake = Doorbell() else { throw Doorbell.Unavailable() }
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw Doorbell.Unavailable() }
        self.wake = wake
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.key(wake.descriptor, generation: 0)
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wake.descriptor, &event)
    }

    deinit {
        close(epoll)
    }

    /// What an event carries: the descriptor and the registration's generation, so that an event that was
    /// already on its way when a descriptor was closed is not taken for its number's next socket.
    private static func key(_ descriptor: Int32, generation: UInt32) -> UInt64 {
        UInt64(generation) << 32 | UInt64(UInt32(bitPattern: descriptor))
    }

    /// Registers `descriptor` (a non-blocking socket, say) for both directions, edge-triggered, once for its
    /// whole life: a wait then costs no system call, and readiness that arrives while no task waits is
    /// remembered for the next wait. The owner cancels the registration before it closes the descriptor.
    ///
    /// Where the descriptor cannot be registered, every wait returns at once, so that the caller's next
    /// call reports the error.
    public func register(_ descriptor: Int32) -> Registration {
        // Replaces a registration its owner forgot to cancel: that descriptor was closed, this is new.
        let (generation, stale, action) = state.withLock { $0.register(descriptor) }
        stale?.resume(returning: true)
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        event.data.u64 = Self.key(descriptor, generation: generation)
        // A descriptor still in the set under an earlier registration (a duplicate of it lives on) is
        // re-pointed at this one.
        var added = epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0
        if !added && errno == EEXIST { added = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event) == 0 }
        perform(action)
        if !added { state.withLock { $0.forget(descriptor, generation: generation) } }
        return Registration(reactor: self, descriptor: descriptor, generation: generation)
    }

    /// Suspends until the registered descriptor is ready for `interest`, or returns at once if it became
    /// ready since the last wait; `false` when `deadline` passes first or the task is cancelled.
    func wait(
        for descriptor: Int32,
        generation: UInt32,
        _ interest: Interest,
        until deadline: ContinuousClock.Instant
    ) async -> Bool {
        let (ready, token) = state.withLock { state -> (Bool, UInt64) in
            if state.take(interest, of: descriptor, generation: generation) { return (true, 0) }
            return (false, state.token())
        }
        if ready { return true }
        let due = Deadline.after(ContinuousClock.now.duration(to: deadline)).nanoseconds
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let suspension = state.withLock { state in
                    state.wait(
                        for: descriptor,
                        generation: generation,
                        interest,
                        until: due,
                        token: token,
                        cancelled: Task.isCancelled,
                        continuation: continuation
                    )
                }
                switch suspension {
                case .ready: continuation.resume(returning: true)
                case .cancelled: continuation.resume(returning: false)
                case .waiting(let displaced, let action):
                    displaced?.resume(returning: true)
                    perform(action)
                }
            }
        } onCancel: {
            state.withLock { $0.finish(descriptor, token: token) }?.resume(returning: false)
        }
    }

    /// Forgets the registration of `descriptor` with `generation`; a waiter still there is woken.
    func cancel(_ descriptor: Int32, generation: UInt32) {
        state.withLock { $0.cancel(descriptor, generation: generation) }?.resume(returning: false)
    }

    /// Queues `job` to run on the reactor thread, waking the thread if it is waiting for events.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        perform(state.withLock { $0.enqueue(job) })
    }

    private func perform(_ action: Machine.Action) {
        switch action {
        case .none: break
        case .ring: wake.ring()
        case .startThread: startThread()
        }
    }

    /// Starts the reactor thread. When the system refuses one, every registration is forgotten (their
    /// waits return at once, and the callers' next calls find the error) and every waiter is woken.
    private func startThread() {
        do {
            let thread = try OSThread.spawn(name: threadName, stackSize: 256 * 1024) { [self] in loop() }
            state.withLock { $0.started(thread) }
        } catch {
            let (waiters, jobs) = state.withLock { $0.failedToStart() }
            for waiter in waiters { waiter.resume(returning: true) }
            // A job cannot be failed, only run; a process that cannot start this thread has no other to
            // run it on that the task asked for.
            precondition(jobs.isEmpty, "the readiness reactor could not start its thread: \(error)")
        }
    }

    /// Ends the reactor's thread if it waits for events with no descriptor registered and no job queued,
    /// and waits until it has ended: about a wake-up. The next registration or job starts a new thread.
    /// `false` when there was no thread or it was busy.
    @discardableResult
    public func retireIdleThread() -> Bool {
        let retirement = ThreadRetirement()
        guard let thread = state.withLock({ $0.requestRetirement(retirement) }) else { return false }
        return retirement.awaitEnd(of: thread) { wake.ring() }
    }

    /// The reactor thread: run the jobs queued, wait for events or the earliest deadline, resume whoever
    /// is ready or late.
    @available(*, noasync)
    private func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        let executor = asUnownedTaskExecutor()
        var jobs: [UnownedJob] = []
        var waiters: [CheckedContinuation<Bool, Never>] = []
        while true {
            // Jobs queued so far; those they queue run in the next round, after the events.
            if let (request, retiring) = state.withLock({ $0.beginRound(jobs: &jobs) }) {
                request.answer(retired: retiring)
                if retiring { return }
            }
            for job in jobs { job.runSynchronously(on: executor) }
            jobs.removeAll(keepingCapacity: true)
            let now = Deadline.now.nanoseconds
            let until = state.withLock { $0.prepareToPoll(now: now, expired: &waiters) }
            for waiter in waiters { waiter.resume(returning: false) }
            waiters.removeAll(keepingCapacity: true)
            let timeout: Int32 =
                switch until {
                case nil: 0
                case .max?: -1
                // Rounded up to whole milliseconds, at most a minute: a waiter is never woken early.
                case let until?: Int32((min(max(0, until - now), 60_000_000_000) + 999_999) / 1_000_000)
                }
            let count = epoll_wait(epoll, &events, Int32(events.count), timeout)
            var rang = false
            state.withLock { state in
                state.woke()
                for event in events[0..<Int(max(0, count))] {
                    let descriptor = Int32(bitPattern: UInt32(truncatingIfNeeded: event.data.u64))
                    let generation = UInt32(truncatingIfNeeded: event.data.u64 >> 32)
                    if descriptor == wake.descriptor && generation == 0 {
                        rang = true
                    } else if let waiter = state.note(event.events, for: descriptor, generation: generation) {
                        waiters.append(waiter)
                    }
                }
            }
            if rang { wake.drain() }
            for waiter in waiters { waiter.resume(returning: true) }
            waiters.removeAll(keepingCapacity: true)
        }
    }
}
