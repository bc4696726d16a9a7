public import ConlabCore
import Synchronization

/// Keeps the first unit failure that any of several threads or tasks reports; later ones are dropped.
public final class FirstFailure: Sendable {
    private let failure = Mutex<UnitFailure?>(nil)

    /// Creates an empty slot.
    public init() {}

    /// Records `failure` unless one was recorded before.
    public func record(_ failure: UnitFailure) {
        self.failure.withLock { $0 = $0 ?? failure }
    }

    /// The first failure recorded, if any.
    public var value: UnitFailure? { failure.withLock { $0 } }

    /// Whether a failure has been recorded.
    public var isSet: Bool { value != nil }
}
