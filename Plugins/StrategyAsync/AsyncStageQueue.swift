import ConlabCore
import ConlabToolkit
import DequeModule

/// A first-in first-out queue between tasks, optionally bounded: `put` suspends while it is full and
/// `get` suspends while it is empty, so a stage's workers wait without blocking a thread.
///
/// Several workers may take from one queue (a stage with several workers), which is why this is not
/// swift-async-algorithms' single-consumer channel. A task suspended in `put` or `get` that is cancelled
/// is resumed at once with `CancellationError`: when a stage fails or the run is interrupted, the task
/// group cancels its workers, and a worker left waiting for an item that will never come would hold the
/// whole pipeline (and the run) forever.
actor AsyncStageQueue {
    private let capacity: Int?
    private var elements: Deque<PipelineEnvelope> = []
    /// Resumes a `get` with its element.
    private typealias Delivery = CheckedContinuation<PipelineEnvelope, any Error>
    /// Resumes a `put` once its element is in.
    private typealias Admission = CheckedContinuation<Void, any Error>
    private var receivers: Deque<(id: Int, continuation: Delivery)> = []
    private var senders: Deque<(id: Int, envelope: PipelineEnvelope, continuation: Admission)> = []
    /// Identifies a suspended caller, so that its cancellation finds it.
    private var nextWaiter = 0
    /// The most elements held at once.
    private(set) var maximumDepth = 0
    /// Checks by ``poll()``, and how many found nothing.
    private(set) var checks = (all: 0, empty: 0)

    init(capacity: Int?) {
        self.capacity = capacity
    }

    /// Appends `envelope`, suspending while a bounded queue is full.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while it waits; the element is not added.
    func put(_ envelope: PipelineEnvelope) async throws {
        if let receiver = receivers.popFirst() {
            receiver.continuation.resume(returning: envelope)
            return
        }
        guard let capacity, elements.count >= capacity else { return append(envelope) }
        let id = waiterID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Admission) in
                guard !Task.isCancelled else { return continuation.resume(throwing: CancellationError()) }
                senders.append((id, envelope, continuation))
            }
        } onCancel: {
            // The handler runs outside the actor, maybe before the continuation is stored: the hop to the
            // actor queues behind the suspension, which the check above covers if it came first.
            Task { await self.cancel(id) }
        }
    }

    /// Removes the oldest element, suspending until there is one.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while it waits.
    func get() async throws -> PipelineEnvelope {
        if let envelope = take() { return envelope }
        let id = waiterID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Delivery) in
                guard !Task.isCancelled else { return continuation.resume(throwing: CancellationError()) }
                receivers.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Removes the oldest element if there is one, counting the check (the polling discipline).
    func poll() -> PipelineEnvelope? {
        checks.all += 1
        guard let envelope = take() else {
            checks.empty += 1
            return nil
        }
        return envelope
    }

    private func waiterID() -> Int {
        nextWaiter += 1
        return nextWaiter
    }

    /// Resumes the waiter `id` with `CancellationError`, if it still waits.
    private func cancel(_ id: Int) {
        if let index = receivers.firstIndex(where: { $0.id == id }) {
            receivers.remove(at: index).continuation.resume(throwing: CancellationError())
        } else if let index = senders.firstIndex(where: { $0.id == id }) {
            senders.remove(at: index).continuation.resume(throwing: CancellationError())
        }
    }

    private func take() -> PipelineEnvelope? {
        guard let envelope = elements.popFirst() else { return nil }
        // Room was made: the longest-waiting sender's element goes in.
        if let sender = senders.popFirst() {
            append(sender.envelope)
            sender.continuation.resume()
        }
        return envelope
    }

    private func append(_ envelope: PipelineEnvelope) {
        elements.append(envelope)
        maximumDepth = max(maximumDepth, elements.count)
    }
}
