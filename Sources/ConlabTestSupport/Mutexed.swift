import Synchronization

/// A value set once by one thread and read by another.
public final class Mutexed<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    /// Nothing set yet.
    public init() {}

    /// Sets the value.
    public func set(_ value: Value) { storage.withLock { $0 = value } }

    /// The value, or nil before it is set.
    public var value: Value? { storage.withLock { $0 } }

    /// Whether the value was set.
    public var isSet: Bool { value != nil }
}
