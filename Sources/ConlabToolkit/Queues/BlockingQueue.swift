import DequeModule
import Synchronization

/// A first-in first-out queue between OS threads whose `get` blocks until an element arrives or the queue
/// is closed: the seed's `ClosableQueue`, optionally bounded for back-pressure.
///
/// Blocking happens in the kernel (semaphores), never by spinning. Elements put before ``close()`` are all
/// delivered; after the last one every `get` returns `nil`, which is how workers learn to stop.
///
/// ```swift
/// let queue = BlockingQueue<Int>(capacity: 1)
/// queue.put(1)            // blocks while the queue is full
/// queue.close()
/// while let item = queue.get() { ... }
/// ```
public final class BlockingQueue<Element: Sendable>: Sendable {
    /// The most elements the queue holds; `nil` when unbounded.
    public let capacity: Int?
    private let state: Mutex<State>
    /// One permit per element waiting, plus one once closed (handed on by every getter that sees the end).
    private let available = Semaphore(value: 0)
    /// One permit per free slot, when bounded.
    private let space: Semaphore?

    private struct State {
        var elements: Deque<Element> = []
        var closed = false
        var maximumDepth = 0
    }

    /// Creates an empty, open queue.
    public init(capacity: Int? = nil) {
        precondition(capacity.map { $0 > 0 } ?? true, "a bounded queue needs room for at least one element")
        self.capacity = capacity
        state = Mutex(State())
        space = capacity.map { Semaphore(value: $0) }
    }

    /// Appends `element`, first blocking while a bounded queue is full. Putting into a closed queue is a
    /// programming error.
    @available(*, noasync, message: "Blocks the calling thread while the queue is full.")
    public func put(_ element: Element) {
        space?.wait()
        enqueue(element)
    }

    /// Appends `element` to an unbounded queue; never blocks.
    public func putUnbounded(_ element: Element) {
        precondition(capacity == nil, "putUnbounded on a bounded queue would not wait for room")
        enqueue(element)
    }

    private func enqueue(_ element: Element) {
        state.withLock { state in
            precondition(!state.closed, "put into a closed queue")
            state.elements.append(element)
            state.maximumDepth = max(state.maximumDepth, state.elements.count)
        }
        available.signal()
    }

    /// Removes and returns the oldest element, blocking until there is one; `nil` once the queue is closed
    /// and empty.
    @available(*, noasync, message: "Blocks the calling thread until an element arrives.")
    public func get() -> Element? {
        available.wait()
        let element: Element? = state.withLock { state in
            state.elements.popFirst()
        }
        guard let element else {
            // Closed and drained: hand the close permit on to the next getter.
            available.signal()
            return nil
        }
        space?.signal()
        return element
    }

    /// Closes the queue: elements already in it are still delivered, then every `get` returns `nil`.
    public func close() {
        let wasOpen = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        if wasOpen { available.signal() }
    }

    /// The most elements the queue has held at once.
    public var maximumDepth: Int { state.withLock { $0.maximumDepth } }

    /// The elements in the queue now.
    public var count: Int { state.withLock { $0.elements.count } }
}
