import HeapModule

/// The state of a ``TaskTimer``: its thread (``ReactorCore``), the deadlines of the tasks it suspends in
/// two heaps (the waits to be woken precisely, and the others), and their continuations: by id for a wait
/// cancelled alone, in the heap entry for a wait of a ``TimerWaitGroup`` (cancelled with its group). A pure
/// value: the timer keeps it in its `Mutex` and performs what each method returns after unlocking.
///
/// Generic over the waiter (a continuation) and the job only so that tests can use plain values.
struct TimerStateMachine<Waiter, Job> {
    private struct Entry: Comparable {
        var deadline: Int64
        /// A wait's id (its waiter in `waiting`), or for a grouped wait its group's.
        var id: UInt64
        /// A grouped wait's waiter, kept here: it is never looked up alone.
        var waiter: Waiter?

        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.deadline < rhs.deadline }
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.deadline == rhs.deadline }
    }

    /// What the thread does next.
    enum Round {
        /// Resume the waiters and run the jobs it was given, then come back.
        case run
        /// Sleep until the deadline (`Int64.max`: until rung), then call ``TimerStateMachine/woke()``;
        /// `spinning`: the wait due then asked to be woken precisely (a timer that spins may spin to it).
        case sleep(until: Int64, spinning: Bool)
        /// Answer the retirement request; end the thread when `retiring`.
        case answer(ThreadRetirement, retiring: Bool)
    }

    private(set) var core = ReactorCore<Job, OSThread>()
    /// The waits to be woken precisely: a spinning timer spins the last of its margin to them.
    private var entries = Heap<Entry>()
    /// The waits that need not be (a probe's): the timer sleeps in the kernel to them, never spins.
    private var coarseEntries = Heap<Entry>()
    /// How early before a precise deadline a spinning timer stops sleeping in the kernel, in nanoseconds.
    private let spinMargin: Int64
    private var waiting: [UInt64: Waiter] = [:]
    /// How many grouped waits the heap holds.
    private var grouped = 0

    /// A timer whose thread, when it spins, stops sleeping in the kernel `spinMargin` nanoseconds before a
    /// precise deadline.
    init(spinMargin: Int64 = 0) {
        self.spinMargin = spinMargin
    }

    /// Whether no task waits (entries left in the heaps belong to cancelled waits).
    var isIdle: Bool { waiting.isEmpty && grouped == 0 }

    /// Suspends `waiter` as `id` until `deadline`; unless `precisely`, the timer does not spin to wake it,
    /// and the kernel's wake-up lateness is added to its own.
    mutating func add(
        _ waiter: Waiter,
        id: UInt64,
        until deadline: Int64,
        precisely: Bool = true
    ) -> ReactorCore<Job, OSThread>.Action {
        if precisely {
            entries.insert(Entry(deadline: deadline, id: id, waiter: nil))
        } else {
            coarseEntries.insert(Entry(deadline: deadline, id: id, waiter: nil))
        }
        waiting[id] = waiter
        return core.arrive(dueBy: deadline)
    }

    /// Suspends `waiter` until `deadline` as one of the waits of `group`, which are cancelled together.
    mutating func add(
        _ waiter: Waiter,
        group: UInt64,
        until deadline: Int64
    ) -> ReactorCore<Job, OSThread>.Action {
        entries.insert(Entry(deadline: deadline, id: group, waiter: waiter))
        grouped += 1
        return core.arrive(dueBy: deadline)
    }

    /// Takes back every wait of `group`, for their owners to resume with `CancellationError`. It walks the
    /// whole heap: a group is cancelled once, where a wait of its own would cost every wait a lookup.
    mutating func cancel(group: UInt64) -> [Waiter] {
        var kept: [Entry] = []
        var taken: [Waiter] = []
        for entry in entries.unordered {
            if entry.id == group, let waiter = entry.waiter { taken.append(waiter) } else { kept.append(entry) }
        }
        guard !taken.isEmpty else { return [] }
        entries = Heap(kept)
        grouped -= taken.count
        return taken
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

    /// The thread's round at `now`: the waiters due (into `due`: the precise ones in deadline order, then the
    /// others in theirs) and the jobs queued
    /// (into `jobs`), or else a sleep until the next deadline, or a retirement to answer.
    mutating func nextRound(now: Int64, due: inout [Waiter], jobs: inout [Job]) -> Round {
        if let (request, retiring) = core.takeRetirement(idle: isIdle) {
            if retiring {
                entries = Heap()
                coarseEntries = Heap()
            }
            return .answer(request, retiring: retiring)
        }
        while let entry = entries.min, entry.deadline <= now {
            _ = entries.removeMin()
            if let waiter = entry.waiter {
                grouped -= 1
                due.append(waiter)
            } else if let waiter = waiting.removeValue(forKey: entry.id) {
                due.append(waiter)
            }
        }
        while let entry = coarseEntries.min, entry.deadline <= now {
            _ = coarseEntries.removeMin()
            if let waiter = waiting.removeValue(forKey: entry.id) { due.append(waiter) }
        }
        core.takeJobs(into: &jobs)
        guard due.isEmpty && jobs.isEmpty else { return .run }
        // Toward the next precise deadline, spinning its margin, unless a coarse one comes before that margin
        // begins: then to it in the kernel. (A probe re-armed in the same round as a unit, with the same
        // period, would otherwise make the unit as late as the kernel makes the probe.)
        let precise = entries.min?.deadline ?? .max
        let coarse = coarseEntries.min?.deadline ?? .max
        let spinning = precise != .max && coarse >= precise &- spinMargin
        let next = spinning ? precise : coarse
        core.sleep(until: next)
        return .sleep(until: next, spinning: spinning)
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
            coarseEntries = Heap()
            grouped = 0
        }
        return (Array(waiting.values) + entries.unordered.compactMap(\.waiter), jobs)
    }

    /// Asks the thread to retire if it sleeps with no task waiting; the thread to join, or `nil`.
    mutating func requestRetirement(_ retirement: ThreadRetirement) -> OSThread? {
        core.requestRetirement(retirement, idle: isIdle)
    }
}
