import Synchronization

/// Measures how late the cooperative thread pool runs a tiny periodic task: the symptom of blocking
/// inside async code (item 63's lesson). While running, a task sleeps 1 ms again and again and records
/// how much later than asked it woke up.
public final class PoolLagProbe: Sendable {
    private struct State {
        var task: Task<Void, Never>?
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

    /// Starts probing.
    public func start() {
        let period = self.period
        let task = Task.detached { [self] in
            let clock = ContinuousClock()
            while !Task.isCancelled {
                let asked = clock.now + period
                do { try await clock.sleep(until: asked, tolerance: nil) } catch { return }
                let lag = clock.now - asked
                state.withLock {
                    $0.worst = max($0.worst, lag)
                    $0.total += lag
                    $0.samples += 1
                }
            }
        }
        state.withLock { $0.task = task }
    }

    /// Stops probing.
    public func stop() {
        state.withLock { $0.task }?.cancel()
    }

    /// The worst and the mean lag so far.
    public var lag: (worst: Duration, mean: Duration) {
        state.withLock { ($0.worst, $0.samples > 0 ? $0.total / $0.samples : .zero) }
    }
}
