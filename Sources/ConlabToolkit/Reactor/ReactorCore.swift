/// What every conlab reactor (the task timers, the readiness reactor, the child reactor) keeps about its
/// one thread: whether it runs, whether it sleeps and until when, the jobs queued for it, and a request
/// that it retire. A pure value, as swift-async-algorithms writes its state machines: each method changes
/// the state and returns what its owner must do once it has let go of its lock (start the thread, ring
/// it), so that every decision can be tested without a thread.
///
/// The owner keeps it, with the state of its own waits, in one `Mutex`; the thread itself calls
/// ``takeJobs(into:)``, ``sleep(until:)``, ``woke()`` and ``takeRetirement(idle:)`` as it goes round.
/// Generic over the job and the thread handle only so that tests can use plain values.
public struct ReactorCore<Job, Thread> {
    /// What the owner must do after unlocking.
    public enum Action: Equatable, Sendable {
        /// Nothing: the thread will see the news before it sleeps again.
        case none
        /// Start the thread, then tell the core with ``started(_:)`` or ``failedToStart()``.
        case startThread
        /// Ring the thread's doorbell: it sleeps past what just arrived.
        case ring
    }

    /// The thread's state, as far as a newcomer needs to know.
    public enum Activity: Equatable, Sendable {
        /// No thread: the next arrival starts one.
        case stopped
        /// Running a round (or about to start): it looks at its state again before it sleeps.
        case awake
        /// Asleep until the deadline (nanoseconds on ``Deadline``'s clock; `Int64.max`: until rung).
        case sleeping(until: Int64)
        /// Asleep and rung already: another ring would only cost a system call.
        case rung
    }

    /// The thread's state.
    public private(set) var activity = Activity.stopped
    /// The running thread, kept to be joined when it retires.
    public private(set) var thread: Thread?
    private var jobs: [Job] = []
    private var retirement: ThreadRetirement?

    /// A core with no thread.
    public init() {}

    /// Whether jobs wait for the thread.
    public var hasJobs: Bool { !jobs.isEmpty }

    /// Something for the thread arrived, due at `deadline` (`Int64.min`: at once). Starts the thread
    /// when there is none, and rings it when it sleeps past `deadline`.
    public mutating func arrive(dueBy deadline: Int64) -> Action {
        switch activity {
        case .stopped:
            activity = .awake
            return .startThread
        case .awake, .rung:
            return .none
        case .sleeping(let until):
            guard deadline < until else { return .none }
            activity = .rung
            return .ring
        }
    }

    /// Queues `job` for the thread, due at once.
    public mutating func enqueue(_ job: Job) -> Action {
        jobs.append(job)
        return arrive(dueBy: .min)
    }

    /// The thread ``Action/startThread`` asked for is running.
    public mutating func started(_ thread: Thread) {
        self.thread = thread
    }

    /// The thread could not be started: back to no thread, and the jobs that were queued for it, which
    /// will never run (the owner fails them, and its own waiters, with the error).
    public mutating func failedToStart() -> [Job] {
        activity = .stopped
        thread = nil
        defer { jobs = [] }
        return jobs
    }

    /// The thread takes the jobs queued so far, swapping them with its own emptied buffer (no allocation
    /// per round).
    public mutating func takeJobs(into buffer: inout [Job]) {
        swap(&buffer, &jobs)
    }

    /// The thread goes to sleep until `deadline` (`Int64.max`: until rung). Call only with no job queued
    /// and no retirement asked for.
    public mutating func sleep(until deadline: Int64) {
        activity = .sleeping(until: deadline)
    }

    /// The thread woke up; until it sleeps again no arrival needs to ring it.
    public mutating func woke() {
        activity = .awake
    }

    /// Asks an asleep thread to end, as `retirement` (answered by the thread): returns the thread to
    /// join once it has answered, or `nil` when there is none, it is awake (it could be running jobs
    /// that keep the caller waiting), or the owner says it is busy (`idle` false). The owner rings it.
    public mutating func requestRetirement(_ retirement: ThreadRetirement, idle: Bool) -> Thread? {
        guard let thread, idle, jobs.isEmpty, case .sleeping = activity else { return nil }
        self.retirement = retirement
        activity = .rung
        return thread
    }

    /// The thread looks for a retirement request at the top of each round. Returns it, and whether the
    /// thread ends now (nothing queued, and the owner says it is `idle`); when it does, the core has no
    /// thread from here on, and the next arrival starts a new one.
    public mutating func takeRetirement(idle: Bool) -> (request: ThreadRetirement, retiring: Bool)? {
        guard let retirement else { return nil }
        self.retirement = nil
        guard idle && jobs.isEmpty else { return (retirement, false) }
        activity = .stopped
        thread = nil
        return (retirement, true)
    }
}

extension ReactorCore: Sendable where Job: Sendable, Thread: Sendable {}
