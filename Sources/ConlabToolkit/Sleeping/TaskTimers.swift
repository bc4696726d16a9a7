/// The task timers of a run: one that times the waits of tasks on the cooperative pool, and one shard
/// per core, each a task executor that runs the tasks preferring it on its own thread and times their
/// waits there. Their threads start on first use.
///
/// Made once by whoever runs strategies (conlab's runner, a worker process, a test) and handed down in
/// the run's ``WaitServices``; nothing reaches for a process-wide instance.
public final class TaskTimers: Sendable {
    /// Times the waits of tasks that run on the cooperative pool. It runs no jobs unless a task prefers
    /// it, and never spins: it shares the cores with the tasks it wakes.
    public let main: TaskTimer
    /// One timer per slot of ``BlockingSleep/spinSlots``, each spinning to its deadlines when idle.
    public let shards: [TaskTimer]

    /// Timers named `conlab-timer` and `conlab-tasks-N`, threads not yet started.
    ///
    /// - Throws: ``Doorbell/Unavailable`` when the process is out of descriptors.
    public init() throws {
        main = try TaskTimer(name: "conlab-timer", spinning: false)
        shards = try (0..<BlockingSleep.spinSlots).map { try TaskTimer(name: "conlab-tasks-\($0)", spinning: true) }
    }

    /// The timer for a wait of the calling thread: the timer whose thread it is (a shard running a task's
    /// job: the wait is timed where the task will run), else ``main``.
    public var current: TaskTimer { TaskTimer.running ?? main }

    /// Ends the thread of every timer that sleeps with nothing to do; see ``TaskTimer/retireIdleThread()``.
    public func retireIdleThreads() {
        for timer in [main] + shards { timer.retireIdleThread() }
    }
}
