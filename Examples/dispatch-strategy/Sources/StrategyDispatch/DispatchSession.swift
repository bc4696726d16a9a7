import ConlabCore
import Dispatch

/// Runs each phase as `width` work items on the global queue, each taking units until none is left.
struct DispatchSession: StrategySession {
    let width: Int
    /// What the units' waits are performed with: the context's timer and services.
    let services: WaitServices
    /// Where the units report their timings: the context's, so that the run's histograms and trace see them.
    let unitTimings: (any UnitTimings.Sink)?

    /// At most `width` units wait at once.
    var concurrency: Int? { width }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        let phase = DispatchPhase(batch, services: services, unitTimings: unitTimings)
        // The task only waits for the group: the units block Dispatch's threads, never the cooperative pool.
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let group = DispatchGroup()
                for _ in 0..<min(width, batch.count) {
                    DispatchQueue.global().async(group: group) { phase.work() }
                }
                group.notify(queue: .global()) { continuation.resume(with: phase.result()) }
            }
        } onCancel: {
            phase.cancel()
        }
    }
}
