/// Runs tasks on the ``ReadinessReactor``'s thread: a task that prefers it (`Task(executorPreference:)`,
/// inherited by its child tasks) resumes on the thread that saw its socket become ready.
///
/// For servers that only ever wait on sockets, as asyncio runs a server's coroutines on its one loop.
/// Such tasks must never block: while one runs, no other socket in the process is attended to.
public final class ReactorExecutor: TaskExecutor {
    init() {}

    /// Queues `job` on the reactor thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        ReadinessReactor.shared.enqueue(UnownedJob(job))
    }
}
