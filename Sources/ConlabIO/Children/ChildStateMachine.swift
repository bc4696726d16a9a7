import ConlabToolkit
import DequeModule

/// The state of a ``ChildReactor``: its thread (``ReactorCore``), the jobs handed in and not yet started,
/// the tasks whose jobs run, and the cancellations the thread has still to carry out. A pure value: the
/// reactor keeps it in its `Mutex` and performs what each method returns after unlocking. The running
/// jobs themselves (their pipes and children) belong to the reactor's thread alone.
///
/// Generic over the job and the waiter's continuation only so that tests can use plain values.
struct ChildStateMachine<Job, Continuation> {
    typealias Action = ReactorCore<Never, OSThread>.Action

    /// A job handed in, for the thread to start.
    struct Arrival {
        let id: UInt64
        let job: Job
    }

    /// What became of a job handed in.
    enum Submission {
        /// Its task was cancelled first: resume it with `CancellationError`; nothing was started.
        case cancelled
        /// Queued for the thread: perform `action`.
        case queued(Action)
    }

    /// What a cancellation needs.
    enum Cancellation {
        /// Nothing: the job has ended already, or was never here.
        case none
        /// The job had not started: resume its task with `CancellationError` now.
        case resume(Continuation)
        /// The job runs: the thread kills its children and resumes the task once they are reaped; perform
        /// `action` to wake it.
        case kill(Action)
    }

    private(set) var core = ReactorCore<Never, OSThread>()
    private var arrivals: Deque<Arrival> = []
    private var waiting: [UInt64: Continuation] = [:]
    private var running: [UInt64: Continuation] = [:]
    /// Running jobs whose tasks were cancelled, not yet killed by the thread.
    private var kills: [UInt64] = []
    /// Running jobs killed because their tasks were cancelled.
    private var cancelled: Set<UInt64> = []

    /// Whether no job is waiting to start or running.
    var isIdle: Bool { waiting.isEmpty && running.isEmpty }

    /// Hands in `job` as `id` for `continuation`; `taskCancelled` when its task was cancelled already.
    mutating func submit(_ job: Job, id: UInt64, taskCancelled: Bool, continuation: Continuation) -> Submission {
        if taskCancelled { return .cancelled }
        arrivals.append(Arrival(id: id, job: job))
        waiting[id] = continuation
        return .queued(core.arrive(dueBy: .min))
    }

    /// The task of job `id` was cancelled.
    mutating func cancel(_ id: UInt64) -> Cancellation {
        if let continuation = waiting.removeValue(forKey: id) {
            arrivals.removeAll { $0.id == id }
            return .resume(continuation)
        }
        guard running[id] != nil, !cancelled.contains(id) else { return .none }
        cancelled.insert(id)
        kills.append(id)
        return .kill(core.arrive(dueBy: .min))
    }

    /// The top of the thread's round: the jobs to start, the first `limit` of those handed in (into
    /// `arrived`; they count as running from here), and the running jobs to kill (into `kill`), or a
    /// retirement request to answer (the thread ends when `retiring`) when the thread drives no job.
    mutating func beginRound(
        arrived: inout [Arrival],
        kill: inout [UInt64],
        startingAtMost limit: Int = .max
    ) -> (request: ThreadRetirement, retiring: Bool)? {
        if let answer = core.takeRetirement(idle: isIdle && arrivals.isEmpty) { return answer }
        let count = min(limit, arrivals.count)
        arrived.append(contentsOf: arrivals.prefix(count))
        arrivals.removeFirst(count)
        for arrival in arrived {
            if let continuation = waiting.removeValue(forKey: arrival.id) { running[arrival.id] = continuation }
        }
        swap(&kill, &kills)
        return nil
    }

    /// Before the thread blocks in `poll`: `false` when news came in since the round began (poll without
    /// blocking then), else the thread counts as asleep, to be rung by the next arrival or cancellation.
    mutating func prepareToSleep() -> Bool {
        guard arrivals.isEmpty && kills.isEmpty else { return false }
        core.sleep(until: .max)
        return true
    }

    /// `poll` returned.
    mutating func woke() {
        core.woke()
    }

    /// Job `id` has ended (its children reaped) or could not start: its task's continuation, and whether
    /// its task was cancelled (resume it with `CancellationError`, not the outcome).
    mutating func finish(_ id: UInt64) -> (continuation: Continuation, cancelled: Bool)? {
        guard let continuation = running.removeValue(forKey: id) else { return nil }
        return (continuation, cancelled.remove(id) != nil)
    }

    /// The thread started.
    mutating func started(_ thread: OSThread) {
        core.started(thread)
    }

    /// The thread could not start: every task waiting for a job to start, to be resumed with the error.
    mutating func failedToStart() -> [Continuation] {
        _ = core.failedToStart()
        defer {
            waiting = [:]
            arrivals = []
        }
        return Array(waiting.values)
    }

    /// Asks the thread to retire if it drives no job; the thread to join, or `nil`.
    mutating func requestRetirement(_ retirement: ThreadRetirement) -> OSThread? {
        core.requestRetirement(retirement, idle: isIdle && arrivals.isEmpty)
    }
}

extension ChildStateMachine.Arrival: Sendable where Job: Sendable {}
