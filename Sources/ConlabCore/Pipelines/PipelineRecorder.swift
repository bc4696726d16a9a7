import Synchronization

/// Collects what a strategy's pipeline run delivered and what it cost, handed to the strategy by the runner
/// so every strategy is measured the same way.
public final class PipelineRecorder: Sendable {
    private let state: Mutex<State>

    /// What has been recorded.
    public struct State: Sendable {
        /// Item indices in the order they left the last stage.
        public var order: [Int] = []
        /// Each delivered item's value, by item index (`nil`: not delivered).
        public var values: [UInt64?]
        /// How many times each item was delivered.
        public var deliveries: [Int]
        /// Time from entering the first queue to leaving the last stage, in delivery order.
        public var latencies: [Duration] = []
        /// Per stage, the time its workers spent working on units (waits included).
        public var busy: [Duration]
        /// Per stage, the most items its input queue held.
        public var maximumDepths: [Int]
        /// Every check of an input queue under the polling discipline (the seed's `polled_count`).
        public var polls = 0
        /// Checks that found the queue empty.
        public var emptyPolls = 0
    }

    /// Creates a recorder for `items` items and `stages` stages.
    public init(items: Int, stages: Int) {
        state = Mutex(
            State(
                values: Array(repeating: nil, count: items),
                deliveries: Array(repeating: 0, count: items),
                busy: Array(repeating: .zero, count: stages),
                maximumDepths: Array(repeating: 0, count: stages)
            )
        )
    }

    /// Records an item leaving the last stage.
    public func delivered(item: Int, value: UInt64, entered: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.order.append(item)
            state.latencies.append(now - entered)
            if state.values.indices.contains(item) {
                state.values[item] = value
                state.deliveries[item] += 1
            }
        }
    }

    /// Records an item leaving the last stage `latency` after it entered the first queue, as a program outside
    /// conlab measured it (the strategy protocol's pipelines): conlab sees the items leave only when the
    /// program answers.
    public func delivered(item: Int, value: UInt64, latency: Duration) {
        state.withLock { state in
            state.order.append(item)
            state.latencies.append(latency)
            if state.values.indices.contains(item) {
                state.values[item] = value
                state.deliveries[item] += 1
            }
        }
    }

    /// Adds time a stage's worker spent on a unit.
    public func busy(stage: Int, _ duration: Duration) {
        state.withLock { $0.busy[stage] += duration }
    }

    /// Records the deepest a stage's input queue got.
    public func depth(stage: Int, _ depth: Int) {
        state.withLock { $0.maximumDepths[stage] = max($0.maximumDepths[stage], depth) }
    }

    /// Adds queue checks made under the polling discipline.
    public func polls(_ checks: Int, empty: Int) {
        state.withLock {
            $0.polls += checks
            $0.emptyPolls += empty
        }
    }

    /// Everything recorded so far.
    public var snapshot: State { state.withLock { $0 } }
}
