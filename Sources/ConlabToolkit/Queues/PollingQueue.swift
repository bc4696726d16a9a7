import DequeModule
import Synchronization

/// The seed's hand-made `MyQueue`: a deque behind a lock, whose consumers check it and sleep while it is
/// empty instead of blocking — kept to measure what polling costs. Every check is counted.
public final class PollingQueue<Element: Sendable>: Sendable {
    /// The most elements the queue holds (producers poll for room too); `nil` when unbounded.
    public let capacity: Int?
    /// How long a consumer (or producer, when full) sleeps between checks.
    public let interval: Duration
    private let state = Mutex(State())

    private struct State {
        var elements: Deque<Element> = []
        var maximumDepth = 0
        var checks = 0
        var emptyChecks = 0
    }

    /// Creates an empty queue.
    public init(capacity: Int?, interval: Duration) {
        self.capacity = capacity
        self.interval = interval
    }

    /// Appends `element`, polling for room while a bounded queue is full.
    @available(*, noasync, message: "Sleeps the calling thread while the queue is full.")
    public func put(_ element: Element) {
        while true {
            let added = state.withLock { state in
                if let capacity, state.elements.count >= capacity { return false }
                state.elements.append(element)
                state.maximumDepth = max(state.maximumDepth, state.elements.count)
                return true
            }
            if added { return }
            BlockingSleep.sleep(for: interval)
        }
    }

    /// Removes the oldest element, checking every `interval` until there is one.
    @available(*, noasync, message: "Sleeps the calling thread while the queue is empty.")
    public func get() -> Element {
        while true {
            let element: Element? = state.withLock { state in
                state.checks += 1
                guard let element = state.elements.popFirst() else {
                    state.emptyChecks += 1
                    return nil
                }
                return element
            }
            if let element { return element }
            BlockingSleep.sleep(for: interval)
        }
    }

    /// Checks made by consumers, and how many of them found the queue empty.
    public var checks: (all: Int, empty: Int) { state.withLock { ($0.checks, $0.emptyChecks) } }

    /// The most elements the queue has held at once.
    public var maximumDepth: Int { state.withLock { $0.maximumDepth } }
}
