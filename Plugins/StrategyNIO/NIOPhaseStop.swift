import ConlabCore
import Synchronization

/// Why a phase's loops stop early, shared by them: the first unit failure, or a cancellation (and, for a
/// pipeline on one loop, its cancellation alone).
///
/// Each loop's share registers how to halt it (a hop onto its loop); raising the stop calls every one,
/// once, after the lock is released. A share registered after the stop was raised is halted at once.
final class NIOPhaseStop: Sendable {
    /// What stopped the phase.
    enum Reason: Sendable {
        case failed(UnitFailure)
        case cancelled
    }

    private struct State {
        var reason: Reason?
        var halts: [@Sendable () -> Void] = []
    }

    private let raised = Atomic<Bool>(false)
    private let state = Mutex(State())

    /// Whether the phase is to stop; cheap enough to read before every unit's step.
    var isRaised: Bool { raised.load(ordering: .acquiring) }

    /// The first reason raised.
    var cause: Reason? { state.withLock { $0.reason } }

    /// Calls `halt` when the stop is raised, or now if it already was.
    func onRaise(_ halt: @escaping @Sendable () -> Void) {
        let now = state.withLock { state in
            guard state.reason != nil else {
                state.halts.append(halt)
                return false
            }
            return true
        }
        if now { halt() }
    }

    /// Stops the phase for `cause` (the first cause stays) and halts every share.
    func raise(_ cause: Reason) {
        let halts: [@Sendable () -> Void]? = state.withLock { state in
            guard state.reason == nil else { return nil }
            state.reason = cause
            defer { state.halts = [] }
            return state.halts
        }
        guard let halts else { return }
        raised.store(true, ordering: .releasing)
        for halt in halts { halt() }
    }
}
