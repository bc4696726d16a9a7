import ConlabCore
import ConlabToolkit
import Synchronization

/// Why a phase's loops stop early, shared by them: the first unit failure, or a cancellation.
final class LoopStop: Sendable {
    /// What stopped the phase.
    enum Reason: Sendable {
        case failed(UnitFailure)
        case cancelled
    }

    private let raised = Atomic<Bool>(false)
    private let reason = Mutex<Reason?>(nil)
    private let doorbells: [Doorbell]

    /// A stop that wakes `doorbells` when raised.
    init(doorbells: [Doorbell]) {
        self.doorbells = doorbells
    }

    /// Whether the phase is to stop; cheap enough to read on every turn of a loop.
    var isRaised: Bool { raised.load(ordering: .acquiring) }

    /// The first reason raised.
    var cause: Reason? { reason.withLock { $0 } }

    /// Stops the phase for `cause` (the first cause stays) and wakes every loop.
    func raise(_ cause: Reason) {
        let first = reason.withLock { reason in
            guard reason == nil else { return false }
            reason = cause
            return true
        }
        guard first else { return }
        raised.store(true, ordering: .releasing)
        for doorbell in doorbells { doorbell.ring() }
    }
}
