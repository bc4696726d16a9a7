import Synchronization

/// A flag that a task's cancellation handler raises and threads blocked in work of their own poll.
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Creates a lowered flag.
    public init() {}

    /// Raises the flag.
    public func raise() { raised.store(true, ordering: .relaxed) }

    /// Whether the flag has been raised.
    public var isRaised: Bool { raised.load(ordering: .relaxed) }
}
