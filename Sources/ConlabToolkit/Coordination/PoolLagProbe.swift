import Synchronization

/// Measures how late the threads that run a strategy's tasks run a tiny periodic task: the symptom of
/// blocking inside async code (item 63's lesson). While running, a task on each of those executors
/// sleeps 1 ms again and again and records how much later than asked it woke up.
public final class PoolLagProbe: Sendable {
    private struct State {
        var tasks: [Task<Void, Never>] = []
        var worst = Duration.zero
        var total = Duration.zero
        var samples = 0
    }

    private let state = Mutex(State())
    private let period: Duration

    /// A probe that wakes every `period`.
    public init(period: Duration = .milliseconds(1)) {
        self.period = period
    }

    /// Starts probing the cooperative pool.
    public func start() {
        let period = self.period
        let task = Task.detached { [self] in
            let clock = ContinuousClock()
            while !Task.isCancelled {
                let asked = clock.now + period
                do { try await clock.sleep(until: asked, tolerance: nil) } catch { return }
                record(lag: clock.now - asked)
            }
        }
        state.withLock { $0.tasks = [task] }
    }

    /// Starts probing each of the timer shards `executors`, each probe timed by its shard: no thread
    /// besides the shards' own is woken, so the probe does not preempt the tasks it watches. The probe's
    /// waits are not precise ones: an idle shard sleeps in the kernel to them instead of spinning its last
    /// 300 µs (in a fan-out of 2,000 `/bin/true` under `async`, the shards' spinning was 17 % of the run's
    /// CPU samples, `perf record`; 3 % without it).
    public func start(on executors: [TaskTimer]) {
        let period = self.period
        let tasks = executors.map { executor in
            Task.detached(executorPreference: executor) { [self] in
                while !Task.isCancelled {
                    let asked = Deadline.after(period)
                    do { try await executor.sleep(until: asked, precisely: false) } catch { return }
                    record(lag: .nanoseconds(Deadline.now.nanoseconds - asked.nanoseconds))
                }
            }
        }
        state.withLock { $0.tasks = tasks }
    }

    private func record(lag: Duration) {
        state.withLock {
            $0.worst = max($0.worst, lag)
            $0.total += lag
            $0.samples += 1
        }
    }

    /// Stops probing.
    public func stop() {
        for task in state.withLock({ $0.tasks }) { task.cancel() }
    }

    /// The worst and the mean lag so far.
    public var lag: (worst: Duration, mean: Duration) {
        state.withLock { ($0.worst, $0.samples > 0 ? $0.total / $0.samples : .zero) }
    }
}
