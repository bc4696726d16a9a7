import ConlabCore
import DequeModule

/// A first-in first-out queue between tasks, optionally bounded: `put` suspends while it is full and
/// `get` suspends while it is empty, so a stage's workers wait without blocking a thread.
///
/// Several workers may take from one queue (a stage with several workers), which is why this is not
/// swift-async-algorithms' single-consumer channel.
actor AsyncStageQueue {
    private let capacity: Int?
    private var elements: Deque<PipelineEnvelope> = []
    private var receivers: Deque<CheckedContinuation<PipelineEnvelope, Never>> = []
    private var senders: Deque<(PipelineEnvelope, CheckedContinuation<Void, Never>)> = []
    /// The most elements held at once.
    private(set) var maximumDepth = 0
    /// Checks by ``poll()``, and how many found nothing.
    private(set) var checks = (all: 0, empty: 0)

    init(capacity: Int?) {
        self.capacity = capacity
    }

    /// Appends `envelope`, suspending while a bounded queue is full.
    func put(_ envelope: PipelineEnvelope) async {
        if let receiver = receivers.popFirst() {
            receiver.resume(returning: envelope)
            return
        }
        if let capacity, elements.count >= capacity {
            await withCheckedContinuation { senders.append((envelope, $0)) }
            return
        }
        append(envelope)
    }

    /// Removes the oldest element, suspending until there is one.
    func get() async -> PipelineEnvelope {
        if let envelope = take() { return envelope }
        return await withCheckedContinuation { receivers.append($0) }
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

    private func take() -> PipelineEnvelope? {
        guard let envelope = elements.popFirst() else { return nil }
        // Room was made: the longest-waiting sender's element goes in.
        if let (waiting, sender) = senders.popFirst() {
            append(waiting)
            sender.resume()
        }
        return envelope
    }

    private func append(_ envelope: PipelineEnvelope) {
        elements.append(envelope)
        maximumDepth = max(maximumDepth, elements.count)
    }
}
