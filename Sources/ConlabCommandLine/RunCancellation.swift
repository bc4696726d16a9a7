import Synchronization

/// What the first Ctrl-C or SIGTERM cancels: the task that runs the scenarios, whether or not it exists yet.
///
/// Registered with ``Interrupts`` before the log is opened and until `run_finished` is written, so that a
/// signal at any moment in between — before the scenarios start, while they run, while the summary and the
/// trace are written — ends the run cleanly: the log gets its `run_finished` and conlab exits 130. A
/// cancellation that comes before the task is attached cancels it as it is attached.
final class RunCancellation: Sendable {
    private enum State {
        /// Not cancelled; the way to cancel the attached task, once there is one.
        case running(cancelTask: (@Sendable () -> Void)?)
        case cancelled
    }

    private let state = Mutex(State.running(cancelTask: nil))

    /// Cancels the attached task, and any attached later.
    func cancel() {
        let cancelTask: (@Sendable () -> Void)? = state.withLock { state in
            defer { state = .cancelled }
            guard case .running(let cancelTask) = state else { return nil }
            return cancelTask
        }
        cancelTask?()
    }

    /// Makes `task` the one to cancel; cancels it at once when the cancellation came first.
    func attach<Success: Sendable>(_ task: Task<Success, Never>) {
        let cancelledAlready = state.withLock { state in
            guard case .running = state else { return true }
            state = .running(cancelTask: { task.cancel() })
            return false
        }
        if cancelledAlready { task.cancel() }
    }
}
