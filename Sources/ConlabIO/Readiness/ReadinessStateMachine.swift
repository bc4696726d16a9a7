import CLinux
import ConlabToolkit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The state of a ``ReadinessReactor``: its thread (``ReactorCore``), the registered descriptors with the
/// readiness reported while nobody waited, and the one waiter each may have. A pure value: the reactor
/// keeps it in its `Mutex`, feeds it `epoll` events, and resumes what each method returns after unlocking.
///
/// Generic over the waiter's continuation and the job only so that tests can use plain values.
struct ReadinessStateMachine<Continuation, Job> {
    typealias Action = ReactorCore<Job, OSThread>.Action

    /// A task suspended until its descriptor is ready.
    struct Waiter {
        let token: UInt64
        /// The registration the waiter came through; a later one on the same descriptor displaces it.
        let generation: UInt32
        let interest: ReadinessReactor.Interest
        /// When it gives up (nanoseconds on ``Deadline``'s clock).
        let deadline: Int64
        let continuation: Continuation
    }

    /// A registered descriptor: readiness reported while no task waited for it, kept for the next waiter.
    struct Registered {
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
        mutating func take(_ interest: ReadinessReactor.Interest) -> Bool {
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

    /// What became of a task that asked to wait.
    enum Suspension {
        /// Ready already, or the registration has ended: resume it with `true` at once.
        case ready
        /// Cancelled before it could wait: resume it with `false` at once.
        case cancelled
        /// It waits. Resume `displaced` (an earlier waiter on the same descriptor, a caller's mistake) with
        /// `true`, so that it retries its call rather than waiting forever, and perform `action`.
        case waiting(displaced: Continuation?, action: Action)
    }

    private(set) var core = ReactorCore<Job, OSThread>()
    private var registered: [Int32: Registered] = [:]
    private var waiters: [Int32: Waiter] = [:]
    private var nextToken: UInt64 = 0
    private var nextGeneration: UInt32 = 0

    /// Whether nothing is registered or waiting: the thread may retire.
    var isIdle: Bool { registered.isEmpty && waiters.isEmpty }

    /// Registers `descriptor`: its generation, a waiter left from a forgotten registration of the same
    /// number (resume it with `true`, to find out by its next call), and what to do for the thread.
    mutating func register(_ descriptor: Int32) -> (generation: UInt32, stale: Continuation?, action: Action) {
        nextGeneration &+= 1
        registered[descriptor] = Registered(generation: nextGeneration)
        let stale = waiters.removeValue(forKey: descriptor)?.continuation
        // The thread must run for readiness to be reported at all; a registration alone is due never.
        return (nextGeneration, stale, core.arrive(dueBy: .max))
    }

    /// Forgets a registration the kernel refused: every wait through it then returns at once.
    mutating func forget(_ descriptor: Int32, generation: UInt32) {
        if registered[descriptor]?.generation == generation { registered[descriptor] = nil }
    }

    /// A token for the next waiter, taken before it suspends so that its cancellation can find it.
    mutating func token() -> UInt64 {
        nextToken += 1
        return nextToken
    }

    /// Takes the remembered readiness of `descriptor` for `interest`: `true` also when the registration
    /// has ended (the caller's next call finds out why), `false` when there is none to take.
    mutating func take(
        _ interest: ReadinessReactor.Interest,
        of descriptor: Int32,
        generation: UInt32
    ) -> Bool {
        guard var entry = registered[descriptor], entry.generation == generation else { return true }
        defer { registered[descriptor] = entry }
        return entry.take(interest)
    }

    /// Suspends `continuation` until `descriptor` is ready for `interest` or `deadline` passes; `cancelled`
    /// when its task was cancelled before this (its cancellation handler found nothing to resume).
    mutating func wait(
        for descriptor: Int32,
        generation: UInt32,
        _ interest: ReadinessReactor.Interest,
        until deadline: Int64,
        token: UInt64,
        cancelled: Bool,
        continuation: Continuation
    ) -> Suspension {
        // Readiness may have come in since the caller last looked.
        if take(interest, of: descriptor, generation: generation) { return .ready }
        if cancelled { return .cancelled }
        let waiter = Waiter(
            token: token,
            generation: generation,
            interest: interest,
            deadline: deadline,
            continuation: continuation
        )
        let displaced = waiters.updateValue(waiter, forKey: descriptor)?.continuation
        return .waiting(displaced: displaced, action: core.arrive(dueBy: deadline))
    }

    /// Takes the waiter on `descriptor` back if it is still the one with `token` (its task was cancelled).
    mutating func finish(_ descriptor: Int32, token: UInt64) -> Continuation? {
        guard let waiter = waiters[descriptor], waiter.token == token else { return nil }
        waiters[descriptor] = nil
        return waiter.continuation
    }

    /// Ends the registration of `descriptor` with `generation`; a waiter still there is returned, to be
    /// resumed with `false`.
    mutating func cancel(_ descriptor: Int32, generation: UInt32) -> Continuation? {
        guard registered[descriptor]?.generation == generation else { return nil }
        registered[descriptor] = nil
        guard waiters[descriptor]?.generation == generation else { return nil }
        return waiters.removeValue(forKey: descriptor)?.continuation
    }

    /// Queues `job` for the thread.
    mutating func enqueue(_ job: Job) -> Action {
        core.enqueue(job)
    }

    /// The top of the thread's round: the jobs queued so far into `jobs`, and a retirement request to
    /// answer, if any (the thread ends when `retiring`).
    mutating func beginRound(jobs: inout [Job]) -> (request: ThreadRetirement, retiring: Bool)? {
        core.takeJobs(into: &jobs)
        return core.takeRetirement(idle: jobs.isEmpty && isIdle)
    }

    /// Before `epoll_wait`: the waiters whose deadline has passed (into `expired`, to resume with
    /// `false`), and how long to wait: until the earliest deadline left (`Int64.max`: for events only), or
    /// `nil` not to block at all, as jobs or expired waiters need the thread first.
    mutating func prepareToPoll(now: Int64, expired: inout [Continuation]) -> Int64? {
        var earliest = Int64.max
        for (descriptor, waiter) in waiters {
            if waiter.deadline <= now {
                expired.append(waiter.continuation)
                waiters[descriptor] = nil
            } else {
                earliest = min(earliest, waiter.deadline)
            }
        }
        guard !core.hasJobs && expired.isEmpty else { return nil }
        core.sleep(until: earliest)
        return earliest
    }

    /// `epoll_wait` returned.
    mutating func woke() {
        core.woke()
    }

    /// Notes what an event reports for `descriptor` under `generation`, returning the waiter it makes
    /// ready (to resume with `true`); events of ended registrations are dropped.
    mutating func note(_ events: UInt32, for descriptor: Int32, generation: UInt32) -> Continuation? {
        guard var entry = registered[descriptor], entry.generation == generation else { return nil }
        entry.note(events)
        defer { registered[descriptor] = entry }
        guard let waiter = waiters[descriptor], waiter.generation == generation, entry.take(waiter.interest) else {
            return nil
        }
        waiters[descriptor] = nil
        return waiter.continuation
    }

    /// The thread started.
    mutating func started(_ thread: OSThread) {
        core.started(thread)
    }

    /// The thread could not start: the registrations are forgotten (their waits return at once, for the
    /// callers to find out by their next call), and the jobs queued, which will never run.
    mutating func failedToStart() -> (waiters: [Continuation], jobs: [Job]) {
        let jobs = core.failedToStart()
        defer {
            waiters = [:]
            registered = [:]
        }
        return (waiters.values.map(\.continuation), jobs)
    }

    /// Asks the thread to retire if it waits for events with nothing registered; the thread to join, or
    /// `nil`.
    mutating func requestRetirement(_ retirement: ThreadRetirement) -> OSThread? {
        core.requestRetirement(retirement, idle: isIdle)
    }
}
