import CLinux
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
/// One per process (``shared``); it starts its thread on first use and keeps it.
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
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var waiters: [Int32: Waiter] = [:]
        var nextToken: UInt64 = 0
        var threadStarted = false
        /// When the reactor thread's `epoll_wait` times out; a waiter due earlier must wake it.
        var sleepingUntil: ContinuousClock.Instant?
        /// Jobs of tasks that prefer ``executor``, run by the reactor thread in order.
        var jobs: [UnownedJob] = []
        /// Whether the reactor thread is in (or about to enter) `epoll_wait`: a job enqueued then wakes it.
        var polling = false
    }

    private let state = Mutex(State())
    /// The task executor whose jobs run on the reactor thread.
    public let executor: ReactorExecutor
    private let epoll: Int32
    /// Rung to wake the reactor: a waiter due before its current timeout, or a job for ``executor``.
    private let wake: Doorbell

    private init() {
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
        event.data.fd = wake.descriptor
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wake.descriptor, &event)
    }

    /// Suspends until `descriptor` is ready for `interest`; `false` when `deadline` passes first or the task
    /// is cancelled. One waiter per descriptor at a time.
    public func wait(
        for descriptor: Int32,
        _ interest: Interest,
        until deadline: ContinuousClock.Instant
    ) async -> Bool {
        let token = state.withLock { state in
            state.nextToken += 1
            return state.nextToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (startThread, wakeReactor, displaced) = state.withLock { state in
                    // A second waiter on one descriptor is a caller's mistake; the first is woken (to retry
                    // its call) rather than left suspended forever.
                    let displaced = state.waiters.updateValue(
                        Waiter(token: token, deadline: deadline, continuation: continuation),
                        forKey: descriptor
                    )
                    let startThread = !state.threadStarted
                    state.threadStarted = true
                    // A reactor asleep with no deadline, or a later one, must recompute its timeout; one
                    // running jobs recomputes it anyway before it sleeps.
                    let wakeReactor = state.polling && (state.sleepingUntil.map { deadline < $0 } ?? true)
                    if wakeReactor { state.polling = false }
                    return (startThread, wakeReactor, displaced)
                }
                displaced?.continuation.resume(returning: true)
                var event = epoll_event()
                let readiness = interest == .readable ? EPOLLIN.rawValue : EPOLLOUT.rawValue
                event.events = readiness | EPOLLONESHOT.rawValue | EPOLLRDHUP.rawValue
                event.data.fd = descriptor
                // A descriptor is added once and re-armed after; a closed one leaves the set by itself,
                // so its number may come back new.
                if epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event) != 0 {
                    if epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) != 0 {
                        finish(descriptor, token: token, ready: true)
                    }
                }
                if startThread && !self.startThread() {
                    // Without the thread nothing is ever reported ready: let the caller find out by trying
                    // its call.
                    finish(descriptor, token: token, ready: true)
                }
                if wakeReactor { wake.ring() }
            }
        } onCancel: {
            finish(descriptor, token: token, ready: false)
        }
    }

    /// Starts the reactor thread; `false` (and not started) when the system refuses a thread.
    private func startThread() -> Bool {
        do {
            _ = try OSThread.spawn(name: "conlab-epoll", stackSize: 256 * 1024) { [self] in loop() }
            return true
        } catch {
            state.withLock { $0.threadStarted = false }
            return false
        }
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
            state.withLock { swap(&jobs, &$0.jobs) }
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
            state.withLock { state in
                for event in events[0..<Int(count)] where event.data.fd != wake.descriptor {
                    if let waiter = state.waiters.removeValue(forKey: event.data.fd) { ready.append(waiter) }
                }
            }
            if events[0..<Int(count)].contains(where: { $0.data.fd == wake.descriptor }) { wake.drain() }
            for waiter in ready { waiter.continuation.resume(returning: true) }
        }
    }
}
