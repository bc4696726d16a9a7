import ConlabCore
import ConlabToolkit
import Synchronization

/// One event loop thread: it runs the jobs it is given, one at a time, and sleeps on its ``Doorbell``
/// between them, as while a job's units wait.
///
/// Its thread's state is the ``ReactorCore`` conlab's timers and reactors share, behind a `Mutex`: a job
/// that arrives while the thread sleeps rings it, one that arrives while it works is seen before it
/// sleeps again.
final class EventLoop: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var core = ReactorCore<Job, OSThread>()
        /// ``stop()`` was called: the thread ends once the jobs queued have run.
        var stopping = false
    }

    /// What the thread does next.
    private enum Round {
        case run
        case sleep
        case end
    }

    /// Wakes the loop from its sleep: a job, news from another thread, a stop.
    let doorbell: Doorbell
    private let state = Mutex(State())

    /// Starts the loop's thread, named `name`, on core `core` (of those the process may use) for good: it
    /// spins to its deadlines, and a loop that shared a core with another would wait for that one's spin.
    init(name: String, core: Int) throws {
        guard let doorbell = Doorbell() else { throw StrategyRefusal("cannot create an eventfd for an event loop") }
        self.doorbell = doorbell
        // Started now, not on the first job: a loop that cannot have its thread refuses the session.
        guard state.withLock({ $0.core.arrive(dueBy: .max) }) == .startThread else { return }
        let thread = try OSThread.spawn(name: name) { [self] in
            OSThread.pinToCore(core)
            serve()
        }
        state.withLock { $0.core.started(thread) }
    }

    /// The thread: runs the jobs queued, in order, and sleeps on the doorbell while there are none.
    @available(*, noasync)
    private func serve() {
        var jobs: [Job] = []
        while true {
            let round: Round = state.withLock { state in
                state.core.takeJobs(into: &jobs)
                if !jobs.isEmpty { return .run }
                if state.stopping { return .end }
                state.core.sleep(until: .max)
                return .sleep
            }
            switch round {
            case .run:
                for job in jobs { job() }
                jobs.removeAll(keepingCapacity: true)
            case .sleep:
                _ = doorbell.sleep(until: nil, spinning: false)
                state.withLock { $0.core.woke() }
            case .end:
                return
            }
        }
    }

    /// Runs `body` on the loop's thread and returns what it returns, without blocking the caller.
    func perform<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let action = state.withLock { $0.core.enqueue { continuation.resume(returning: body()) } }
            if action == .ring { doorbell.ring() }
        }
    }

    /// Ends the thread after the jobs queued.
    @available(*, noasync, message: "Blocks the calling thread until the loop's thread ends.")
    func stop() {
        let (action, thread) = state.withLock { state in
            state.stopping = true
            return (state.core.arrive(dueBy: .min), state.core.thread)
        }
        if action == .ring { doorbell.ring() }
        thread?.join()
    }
}
