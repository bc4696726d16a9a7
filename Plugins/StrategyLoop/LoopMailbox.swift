import ConlabCore
import ConlabToolkit
import Synchronization

/// Where tasks that performed a unit's wait away from the loop hand the unit back: the unit's slot and
/// the wait's failure, if any, then a ring of the loop's doorbell.
final class LoopMailbox: Sendable {
    /// A wait performed elsewhere has ended.
    struct Delivery: Sendable {
        var slot: Int
        var failure: UnitFailure?
    }

    private let deliveries = Mutex<[Delivery]>([])
    private let doorbell: Doorbell

    init(doorbell: Doorbell) {
        self.doorbell = doorbell
    }

    /// Hands the unit in `slot` back to the loop.
    func post(_ delivery: Delivery) {
        deliveries.withLock { $0.append(delivery) }
        doorbell.ring()
    }

    /// Everything posted since the last call.
    func take() -> [Delivery] {
        deliveries.withLock { deliveries in
            defer { deliveries.removeAll(keepingCapacity: true) }
            return deliveries
        }
    }
}
