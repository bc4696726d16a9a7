import Synchronization

/// Wakes a phase's fan-in once: when every job has finished, or as soon as one has failed.
///
/// Awaiting 10,000 futures in order suspended and resumed the fan-in task once per job, a wake-up of a
/// cooperative thread every 100 µs that took the cores from the pool's own threads. Waiting for the
/// phase first leaves the ordered walk over the futures with nothing to wait for, unless a job failed:
/// then the walk awaits the futures before it, so the error that reaches the caller is still the first
/// in submission order, as `future.result()` in order would raise it.
final class PhaseCompletion: Sendable {
    /// Jobs still to finish; counted without a lock, since 100 workers finish jobs in the same instant.
    private let remaining: Atomic<Int>
    private let state: Mutex<State>

    private enum State {
        case waiting(CheckedContinuation<Void, Never>?)
        case released
    }

    /// A phase of `jobs` jobs.
    init(jobs: Int) {
        remaining = Atomic(jobs)
        state = Mutex(jobs > 0 ? .waiting(nil) : .released)
    }

    /// Counts a job as finished; the last one, or the first that `failed`, wakes the fan-in.
    func jobFinished(failed: Bool) {
        let last = remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0
        if last || failed { release() }
    }

    /// Suspends until the phase is done, a job has failed, or the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let released: Bool = state.withLock { state in
                    guard case .waiting = state else { return true }
                    state = .waiting(continuation)
                    return false
                }
                if released { continuation.resume() }
            }
        } onCancel: {
            release()
        }
    }

    private func release() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard case .waiting(let waiter) = state else { return nil }
            state = .released
            return waiter
        }
        waiter?.resume()
    }
}
