import HeapModule

/// The state of a ``TaskTimer``: its thread (``ReactorCore``), the deadlines of the tasks it suspends in
/// one heap, and their continuations by id. A pure value: the timer keeps it in its `Mutex` and performs
/// what each method returns after unlocking.
///
/// Generic over the waiter (a continuation) and the job only so that tests can use plain values.
struct TimerStateMachine<Waiter, Job> {
    private struct Entry: Comparable {
        var deadline: Int64
        var id: UInt64

        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.deadline < rhs.deadline }
    }

    /// What the thread does next.
    enum Round {
        /// Resume the waiters and run the jobs it was given, then come back.
        case run
        /// Sleep until the deadline (`Int64.max`: until rung), then call ``TimerStateMachine/woke()``.
        case sleep(until: Int64)
        /// Answer the retirement request; end the thread when `retiring`.
        case answer(ThreadRetirement, retiring: Bool)
    }

    private(set) var core = ReactorCore<Job, OSThread>()
    private var entries = Heap<Entry>()
    private var waiting: [UInt64: Waiter] = [:]

    /// Whether no task waits (entries left in the heap belong to cancelled waits).
    var isIdle: Bool { waiting.isEmpty }

    /// Suspends `waiter` as `id` until `deadline`.
    mutating func add(_ waiter: Waiter, id: UInt64, until deadline: Int64) -> ReactorCore<Job, OSThread>.Action {
        entries.insert(Entry(deadline: deadline, id: id))
        waiting[id] = waiter
        return core.arrive(dueBy: deadline)
    }

    /// Takes the waiter `id` back if it still waits, for its owner to resume with `CancellationError`. Its
    /// heap entry stays until its deadline and is then skipped.
    mutating func cancel(_ id: UInt64) -> Waiter? {
        waiting.removeValue(forKey: id)
    }

    /// Queues `job` for the thread.
    mutating func enqueue(_ job: Job) -> ReactorCore<Job, OSThread>.Action {
        core.enqueue(job)
    }

    /// The thread's round at `now`: the waiters due (into `due`, in deadline order) and the jobs queued
    /// (into `jobs`), or else a sleep until the next deadline, or a retirement to answer.
    mutating func nextRound(now: Int64, due: inout [Waiter], jobs: inout [Job]) -> Round {
        if let (request, retiring) = core.takeRetirement(idle: waiting.isEmpty) {
            if retiring { entries = Heap() }
            return .answer(request, retiring: retiring)
        }
        while let entry = entries.min, entry.deadline <= now {
            _ = entries.removeMin()
            if let waiter = waiting.removeValue(forKey: entry.id) { due.append(waiter) }
        }
        core.takeJobs(into: &jobs)
        guard due.isEmpty && jobs.isEmpty else { return .run }
        let next = entries.min?.deadline ?? .max
        core.sleep(until: next)
        return .sleep(until: next)
    }

    /// The thread woke from its sleep.
    mutating func woke() {
        core.woke()
    }

    /// The thread started.
    mutating func started(_ thread: OSThread) {
        core.started(thread)
    }

    /// The thread could not start: every waiter and job, which nothing will ever resume or run.
    mutating func failedToStart() -> (waiters: [Waiter], jobs: [Job]) {
        let jobs = core.failedToStart()
        defer {
            waiting = [:]
            entries = Heap()
        }
        return (Array(waiting.values), jobs)
    }

    /// Asks the thread to retire if it sleeps with no task waiting; the thread to join, or `nil`.
    mutating func requestRetirement(_ retirement: ThreadRetirement) -> OSThread? {
        core.requestRetirement(retirement, idle: waiting.isEmpty)
    }
}
