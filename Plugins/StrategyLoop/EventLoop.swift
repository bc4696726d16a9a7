import ConlabCore
import ConlabToolkit

/// One event loop thread: it runs the jobs it is given, one at a time, and sleeps on its ``Doorbell``
/// while a job's units wait.
final class EventLoop: Sendable {
    typealias Job = @Sendable () -> Void

    /// Wakes the loop from its sleep: news from another thread, a stop.
    let doorbell: Doorbell
    private let jobs = BlockingQueue<Job>()
    private let thread: OSThread

    /// Starts the loop's thread, named `name`, on core `core` (of those the process may use) for good: it
    /// spins to its deadlines, and a loop that shared a core with another would wait for that one's spin.
    init(name: String, core: Int) throws {
        guard let doorbell = Doorbell() else { throw StrategyRefusal("cannot create an eventfd for an event loop") }
        self.doorbell = doorbell
        let jobs = self.jobs
        thread = try OSThread.spawn(name: name) {
            OSThread.pinToCore(core)
            while let job = jobs.get() { job() }
        }
    }

    /// Runs `body` on the loop's thread and returns what it returns, without blocking the caller.
    func perform<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            jobs.put { continuation.resume(returning: body()) }
        }
    }

    /// Ends the thread after the job in hand.
    @available(*, noasync, message: "Blocks the calling thread until the loop's thread ends.")
    func stop() {
        jobs.close()
        thread.join()
    }
}
