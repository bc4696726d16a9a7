import CLinux
import ConlabCore
import ConlabToolkit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Suspends tasks until descriptors are ready: one `epoll(7)` thread for the whole process, so async
/// code can wait on any number of sockets without a thread per socket and without ever blocking the
/// cooperative pool (the event loop under item 60's `asyncio` streams).
///
/// A descriptor is registered once (``register(_:)``), edge-triggered for both directions, and readiness
/// that arrives while nobody waits is remembered: a wait costs no system call, where re-arming a one-shot
/// registration before every wait cost an `epoll_ctl` per message.
///
/// One per process (``shared``); it starts its thread on first use and keeps it until ``retireIdleThread()``.
///
/// Its thread is also a task executor (``executor``): tasks that prefer it run between `epoll_wait`s on
/// the reactor's own thread, as asyncio runs coroutines on its loop, so a task woken by readiness runs
/// at once instead of being handed to another thread, whose wake-up costs more than the work.
public final class ReadinessReactor: Sendable {
    /// The process's reactor.
    public static let shared = ReadinessReactor()

    /// What a wait is for.
    public enum Interest: Sendable {
        /// Data (or end of stream, or an error) to read; a connection to accept.
        case readable
        /// Room to write.
        case writable
    }

    private struct Waiter {
        let token: UInt64
        /// The registration the waiter came through; a later one on the same descriptor displaces it.
        let generation: UInt32
        let interest: Interest
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Bool, Never>
    }

    /// A registered descriptor: readiness reported while no task waited for it, kept for the next waiter.
    private struct Registered {
        let generation: UInt32
        var readable = false
        var writable = false
        /// The peer closed its end (readable for good), or the connection failed (both directions for good).
        /// Kept, not taken: a read that returns the last data short of the end of the stream looks drained,
        /// and the edge that carried the end may have been the one that woke the reader for that data.
        var readClosed = false
        var failed = false

        /// Notes the readiness an event reports.
        mutating func note(_ events: UInt32) {
            failed = failed || events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
            readClosed = readClosed || events & EPOLLRDHUP.rawValue != 0
            readable = readable || events & EPOLLIN.rawValue != 0
            writable = writable || events & EPOLLOUT.rawValue != 0
        }

        /// Takes the remembered readiness for `interest`, if any.
        mutating func take(_ interest: Interest) -> Bool {
            switch interest {
            case .readable:
                defer { readable = false }
                return readable || readClosed || failed
            case .writable:
                defer { writable = false }
                return writable || failed
            }
        }
    }

    private struct State {
        var registered: [Int32: Registered] = [:]
        var waiters: [Int32: Waiter] = [:]
        var nextToken: UInt64 = 0
        var nextGeneration: UInt32 = 0
        var threadStarted = false
        /// The running thread, kept to be joined when it retires.
        var thread: OSThread?
        /// A request that the thread end if idle, answered by the thread.
        var retirement: ThreadRetirement?
        /// When the reactor thread's `epoll_wait` times out; a waiter due earlier must wake it.
        var sleepingUntil: ContinuousClock.Instant?
        /// Jobs of tasks that prefer ``executor``, run by the reactor thread in order.
        var jobs: [UnownedJob] = []
        /// Whether the reactor thread is in (or about to enter) `epoll_wait`: a job enqueued then wakes it.
        var polling = false

        /// Takes the remembered readiness of `descriptor` for `interest`: `true` also when the registration
        /// has ended (the caller's next call finds out why), `false` when there is none to take.
        mutating func take(_ interest: Interest, of descriptor: Int32, generation: UInt32) -> Bool {
            guard var entry = registered[descriptor], entry.generation == generation else { return true }
            defer { registered[descriptor] = entry }
            return entry.take(interest)
        }
    }

    private let state = Mutex(State())
    /// The task executor whose jobs run on the reactor thread.
    public let executor: ReactorExecutor
    private let epoll: Int32
    /// Rung to wake the reactor: a waiter due before its current timeout, or a job for ``executor``.
    private let wake: Doorbell

    private let threadName: String

    /// Internal for tests, which need reactors of their own; conlab uses ``shared``.
    init(threadName: String = "conlab-epoll") {
        self.threadName = threadName
        executor = ReactorExecutor()
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        // Without epoll and its doorbell no socket could ever be waited on; a process out of descriptors
        // this early cannot run socket workloads anyway.
        guard epoll >= 0, let wake = Doorbell() else {
            preconditionFailure("the readiness reactor needs epoll and an eventfd")
        }
        self.wake = wake
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.key(wake.descriptor, generation: 0)
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wake.descriptor, &event)
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
        let (generation, stale, startThread) = state.withLock { state in
            state.nextGeneration &+= 1
            let generation = state.nextGeneration
            // Replaces a registration its owner forgot to cancel: that descriptor was closed, this is new. A
            // task still waiting through the old one is woken, to find out by its next call.
            state.registered[descriptor] = Registered(generation: generation)
            let stale = state.waiters.removeValue(forKey: descriptor)
            let startThread = !state.threadStarted
            state.threadStarted = true
            return (generation, stale, startThread)
        }
        stale?.continuation.resume(returning: true)
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        event.data.u64 = Self.key(descriptor, generation: generation)
        // A descriptor still in the set under an earlier registration (a duplicate of it lives on) is
        // re-pointed at this one.
        var added = epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0
        if !added && errno == EEXIST { added = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event) == 0 }
        // Without the thread nothing is ever reported ready: let the caller find out by trying its call.
        if startThread && !self.startThread() { added = false }
        if !added {
            state.withLock { state in
                if state.registered[descriptor]?.generation == generation { state.registered[descriptor] = nil }
            }
        }
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
            state.nextToken += 1
            return (false, state.nextToken)
        }
        if ready { return true }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (readyNow, wakeReactor, displaced) = state.withLock { state -> (Bool?, Bool, Waiter?) in
                    // Readiness may have come in since the check above; a cancellation handler that ran before
                    // this waiter was there found nothing to wake.
                    if state.take(interest, of: descriptor, generation: generation) { return (true, false, nil) }
                    if Task.isCancelled { return (false, false, nil) }
                    // A second waiter on one descriptor is a caller's mistake; the first is woken (to retry
                    // its call) rather than left suspended forever.
                    let displaced = state.waiters.updateValue(
                        Waiter(
                            token: token,
                            generation: generation,
                            interest: interest,
                            deadline: deadline,
                            continuation: continuation
                        ),
                        forKey: descriptor
                    )
                    // A reactor asleep with no deadline, or a later one, must recompute its timeout; one
                    // running jobs recomputes it anyway before it sleeps.
                    let wakeReactor = state.polling && (state.sleepingUntil.map { deadline < $0 } ?? true)
                    if wakeReactor { state.polling = false }
                    return (nil, wakeReactor, displaced)
                }
                displaced?.continuation.resume(returning: true)
                if let readyNow { continuation.resume(returning: readyNow) }
                if wakeReactor { wake.ring() }
            }
        } onCancel: {
            finish(descriptor, token: token, ready: false)
        }
    }

    /// Forgets the registration of `descriptor` with `generation`; a waiter still there is woken.
    func cancel(_ descriptor: Int32, generation: UInt32) {
        let waiter: Waiter? = state.withLock { state in
            guard state.registered[descriptor]?.generation == generation else { return nil }
            state.registered[descriptor] = nil
            guard state.waiters[descriptor]?.generation == generation else { return nil }
            return state.waiters.removeValue(forKey: descriptor)
        }
        waiter?.continuation.resume(returning: false)
    }

    /// Starts the reactor thread; `false` (and not started) when the system refuses a thread.
    private func startThread() -> Bool {
        do {
            let thread = try OSThread.spawn(name: threadName, stackSize: 256 * 1024) { [self] in loop() }
            state.withLock { $0.thread = thread }
            return true
        } catch {
            state.withLock { $0.threadStarted = false }
            return false
        }
    }

    /// Ends the reactor's thread if it waits for events with no descriptor registered and no job queued,
    /// and waits until it has ended: about a wake-up. The next registration or job starts a new thread.
    /// `false` when there was no thread or it was busy.
    @discardableResult
    public func retireIdleThread() -> Bool {
        let retirement = ThreadRetirement()
        let thread: OSThread? = state.withLock { state in
            // Only a thread waiting for events: one running jobs could keep the caller waiting.
            guard let thread = state.thread, state.polling, state.registered.isEmpty, state.jobs.isEmpty else {
                return nil
            }
            state.retirement = retirement
            return thread
        }
        guard let thread else { return false }
        return retirement.awaitEnd(of: thread) { wake.ring() }
    }

    /// Queues `job` to run on the reactor thread, waking the thread if it is waiting for events.
    func enqueue(_ job: UnownedJob) {
        let (startThread, wakeReactor) = state.withLock { state in
            state.jobs.append(job)
            let startThread = !state.threadStarted
            state.threadStarted = true
            let wakeReactor = state.polling
            state.polling = false
            return (startThread, wakeReactor)
        }
        // A process that cannot start one more thread cannot run the job anywhere else either.
        if startThread { precondition(self.startThread(), "the readiness reactor could not start its thread") }
        if wakeReactor { wake.ring() }
    }

    /// Resumes the waiter on `descriptor` if it is still the one with `token`.
    private func finish(_ descriptor: Int32, token: UInt64, ready: Bool) {
        let waiter: Waiter? = state.withLock { state in
            guard let waiter = state.waiters[descriptor], waiter.token == token else { return nil }
            state.waiters[descriptor] = nil
            return waiter
        }
        waiter?.continuation.resume(returning: ready)
    }

    /// The reactor thread: run the jobs queued for ``executor``, wait for events or the earliest deadline,
    /// resume whoever is ready or late.
    @available(*, noasync)
    private func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        let clock = ContinuousClock()
        let executor = self.executor.asUnownedTaskExecutor()
        var jobs: [UnownedJob] = []
        while true {
            // Jobs queued so far; those they queue run in the next round, after the events.
            let (retirement, retiring) = state.withLock { state -> (ThreadRetirement?, Bool) in
                swap(&jobs, &state.jobs)
                guard let retirement = state.retirement else { return (nil, false) }
                state.retirement = nil
                guard jobs.isEmpty && state.registered.isEmpty && state.waiters.isEmpty else {
                    return (retirement, false)
                }
                // The thread is out of the state from here on: a registration or job from now starts a new one.
                state.threadStarted = false
                state.thread = nil
                return (retirement, true)
            }
            if let retirement {
                retirement.answer(retired: retiring)
                if retiring { return }
            }
            for job in jobs { job.runSynchronously(on: executor) }
            jobs.removeAll(keepingCapacity: true)
            let now = clock.now
            let (expired, timeout): ([Waiter], Int32) = state.withLock { state in
                var expired: [Waiter] = []
                var earliest: ContinuousClock.Instant?
                for (descriptor, waiter) in state.waiters {
                    if waiter.deadline <= now {
                        expired.append(waiter)
                        state.waiters[descriptor] = nil
                    } else if earliest.map({ waiter.deadline < $0 }) ?? true {
                        earliest = waiter.deadline
                    }
                }
                state.sleepingUntil = earliest
                // Jobs waiting, or waiters to resume: look at the events without sleeping.
                guard state.jobs.isEmpty && expired.isEmpty else { return (expired, 0) }
                state.polling = true
                let timeout =
                    earliest.map { max(0, Int32(min(((($0 - now).inSeconds) * 1000).rounded(.up), 60_000))) } ?? -1
                return (expired, timeout)
            }
            for waiter in expired { waiter.continuation.resume(returning: false) }
            let count = epoll_wait(epoll, &events, Int32(events.count), timeout)
            state.withLock { $0.polling = false }
            guard count > 0 else { continue }
            var ready: [Waiter] = []
            var rang = false
            state.withLock { state in
                for event in events[0..<Int(count)] {
                    let descriptor = Int32(bitPattern: UInt32(truncatingIfNeeded: event.data.u64))
                    let generation = UInt32(truncatingIfNeeded: event.data.u64 >> 32)
                    if descriptor == wake.descriptor && generation == 0 {
                        rang = true
                        continue
                    }
                    guard var registered = state.registered[descriptor], registered.generation == generation else {
                        continue
                    }
                    registered.note(event.events)
                    if let waiter = state.waiters[descriptor], waiter.generation == generation,
                        registered.take(waiter.interest)
                    {
                        state.waiters[descriptor] = nil
                        ready.append(waiter)
                    }
                    state.registered[descriptor] = registered
                }
            }
            if rang { wake.drain() }
            for waiter in ready { waiter.continuation.resume(returning: true) }
        }
    }
}
