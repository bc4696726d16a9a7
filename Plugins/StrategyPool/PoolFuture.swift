import Synchronization

/// The result of a job submitted to a ``FixedThreadPool``: awaited without blocking a thread, cancellable
/// until the job starts (Python's `concurrent.futures.Future`).
final class PoolFuture<Value: Sendable>: Sendable {
    private enum State {
        case pending(waiter: CheckedContinuation<Value, any Error>?)
        case running(waiter: CheckedContinuation<Value, any Error>?)
        case finished(Result<Value, any Error>)
        case cancelled
    }

    private let state = Mutex(State.pending(waiter: nil))

    /// Marks the job as started; `false` when it was cancelled first and must not run.
    func start() -> Bool {
        state.withLock { state in
            guard case .pending(let waiter) = state else { return false }
            state = .running(waiter: waiter)
            return true
        }
    }

    /// Stores the job's result and wakes the awaiting task, if any.
    func finish(_ result: Result<Value, any Error>) {
        let waiter: CheckedContinuation<Value, any Error>? = state.withLock { state in
            guard case .running(let waiter) = state else { return nil }
            state = .finished(result)
            return waiter
        }
        waiter?.resume(with: result)
    }

    /// Cancels the job if it has not started; a running job finishes normally.
    func cancel() {
        let waiter: CheckedContinuation<Value, any Error>? = state.withLock { state in
            guard case .pending(let waiter) = state else { return nil }
            state = .cancelled
            return waiter
        }
        waiter?.resume(throwing: CancellationError())
    }

    /// The job's value, or its error; suspends until the job has finished.
    var value: Value {
        get async throws {
            // Most futures are awaited after they finished: no continuation for those.
            let finished: Result<Value, any Error>? = state.withLock { state in
                guard case .finished(let result) = state else { return nil }
                return result
            }
            if let finished { return try finished.get() }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                    let ready: Result<Value, any Error>? = state.withLock { state in
                        switch state {
                        case .pending:
                            state = .pending(waiter: continuation)
                            return nil
                        case .running:
                            state = .running(waiter: continuation)
                            return nil
                        case .finished(let result):
                            return result
                        case .cancelled:
                            return .failure(CancellationError())
                        }
                    }
                    if let ready { continuation.resume(with: ready) }
                }
            } onCancel: {
                cancel()
            }
        }
    }
}
