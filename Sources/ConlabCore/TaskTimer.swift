import HeapModule
import Synchronization

/// Suspends tasks until their deadlines, all of them timed by one thread: the modelled waits of tasks.
///
/// `Task.sleep` on Linux gives every sleeping task a Dispatch timer of its own; at a million sleeping
/// tasks that cost more time and memory than the tasks themselves. Here a sleeping task is a
/// continuation in a dictionary and an entry in one heap; the timer thread sleeps on a ``Doorbell``
/// until the earliest deadline and resumes every task that is due, in deadline order. A cancelled task is resumed at once with `CancellationError`.
public final class TaskTimer: Sendable {
    /// The process's timer; its thread starts on first use and is kept.
    public static let shared = TaskTimer()

    private struct Entry: Comparable {
        var deadline: Int64
        var id: UInt64

        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.deadline < rhs.deadline }
    }

    private struct State {
        var entries = Heap<Entry>()
        var waiting: [UInt64: UnsafeContinuation<Void, any Error>] = [:]
        /// The deadline the thread sleeps until (`.max`: until rung); `nil` while it is awake, when it
        /// looks at the heap again before it sleeps.
        var sleepingUntil: Int64?
    }

    private let state = Mutex(State())
    private let nextID = Atomic<UInt64>(0)
    private let doorbell: Doorbell

    private init() {
        // Without its doorbell or thread no task could ever be woken; a process out of descriptors or
        // threads this early cannot run async workloads anyway.
        guard let doorbell = Doorbell() else { preconditionFailure("the task timer needs an eventfd") }
        self.doorbell = doorbell
        do {
            _ = try OSThread.spawn(name: "conlab-timer", stackSize: 256 * 1024) { [self] in loop() }
        } catch {
            preconditionFailure("the task timer needs a thread: \(error)")
        }
    }

    /// Suspends the calling task until `deadline`; throws `CancellationError` if it is cancelled first.
    public func sleep(until deadline: Deadline) async throws {
        try Task.checkCancellation()
        let id = nextID.add(1, ordering: .relaxed).newValue
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let ring = state.withLock { state in
                    state.entries.insert(Entry(deadline: deadline.nanoseconds, id: id))
                    state.waiting[id] = continuation
                    guard let sleepingUntil = state.sleepingUntil, deadline.nanoseconds < sleepingUntil else {
                        return false
                    }
                    state.sleepingUntil = deadline.nanoseconds
                    return true
                }
                if ring { doorbell.ring() }
                // Cancelled before the continuation was registered: the handler found nothing to resume.
                if Task.isCancelled { cancel(id) }
            }
        } onCancel: {
            cancel(id)
        }
    }

    private func cancel(_ id: UInt64) {
        // The heap entry stays until its deadline and is then skipped.
        state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: CancellationError())
    }

    /// Resumes what is due, then sleeps until the next deadline or a ring.
    private func loop() {
        var due: [UnsafeContinuation<Void, any Error>] = []
        while true {
            let next: Int64? = state.withLock { state in
                let now = Deadline.now.nanoseconds
                while let entry = state.entries.min, entry.deadline <= now {
                    _ = state.entries.removeMin()
                    if let continuation = state.waiting.removeValue(forKey: entry.id) { due.append(continuation) }
                }
                guard due.isEmpty else { return nil }
                let next = state.entries.min?.deadline
                state.sleepingUntil = next ?? .max
                return next
            }
            if !due.isEmpty {
                // Resumed outside the lock; then the heap is looked at again, as time has passed.
                for continuation in due { continuation.resume() }
                due.removeAll(keepingCapacity: true)
                continue
            }
            // No spinning: this thread shares the cores with the tasks it wakes.
            _ = doorbell.sleep(until: next.map { Deadline(nanoseconds: $0) }, spinning: false)
            state.withLock { $0.sleepingUntil = nil }
        }
    }
}
