import ConlabCore
import ConlabToolkit
import Synchronization

/// Exactly `size` named OS threads taking jobs, first come first served, from one blocking queue
/// (the shape of swift-nio's `NIOThreadPool` and Python's `ThreadPoolExecutor`).
///
/// Jobs block their thread for real; the caller awaits a job's ``PoolFuture`` without blocking any thread.
final class FixedThreadPool: Sendable {
    private enum State {
        case running([OSThread])
        case stopped
    }

    /// The number of threads.
    let size: Int
    private let jobs = BlockingQueue<@Sendable () -> Void>()
    private let state: Mutex<State>

    /// Starts `size` threads named `name-1`, `name-2`, ...
    init(size: Int, name: String, stackSize: Int? = nil) throws {
        self.size = size
        let jobs = self.jobs
        var threads: [OSThread] = []
        do {
            for number in 1...size {
                threads.append(
                    try OSThread.spawn(name: "\(name)-\(number)", stackSize: stackSize) {
                        while let job = jobs.get() { job() }
                    }
                )
            }
        } catch {
            jobs.close()
            for thread in threads { thread.join() }
            throw error
        }
        state = Mutex(.running(threads))
    }

    /// Queues `body` to run on one of the pool's threads.
    func submit<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) -> PoolFuture<Value> {
        let future = PoolFuture<Value>()
        jobs.putUnbounded {
            // A job cancelled while queued is skipped: it is told, and never runs.
            guard future.start() else { return }
            future.finish(Result { try body() })
        }
        return future
    }

    /// Queues `job` to run on one of the pool's threads, with no future to await.
    func execute(_ job: @escaping @Sendable () -> Void) {
        jobs.putUnbounded(job)
    }

    /// The threads running now: `size` until ``shutdown()``, then 0.
    var runningThreads: Int {
        state.withLock { state in
            guard case .running(let threads) = state else { return 0 }
            return threads.count
        }
    }

    /// The most jobs that have waited in the queue at once.
    var maximumQueueDepth: Int { jobs.maximumDepth }

    /// Lets queued jobs finish, then stops and joins every thread.
    @available(*, noasync, message: "Joins the pool's threads.")
    func shutdown() {
        let threads: [OSThread] = state.withLock { state in
            guard case .running(let threads) = state else { return [] }
            state = .stopped
            return threads
        }
        guard !threads.isEmpty else { return }
        jobs.close()
        for thread in threads { thread.join() }
    }
}
