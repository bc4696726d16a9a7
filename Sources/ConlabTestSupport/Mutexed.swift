import Synchronization

/// A value set once by one thread and read by another.
final class Mutexed<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    init() {}

    func set(_ value: Value) { storage.withLock { $0 = value } }

    var value: Value? { storage.withLock { $0 } }

    var isSet: Bool { value != nil }
}
