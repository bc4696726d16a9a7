import ConlabCore
import ConlabToolkit
import Synchronization

/// One phase shared by its work items: the next unit to take, the outputs so far, the first failure.
final class DispatchPhase<Batch: UnitBatch>: Sendable {
    /// What the work items have produced.
    private struct Results {
        var outputs: [Batch.Unit.Output?]
        var failure: (any Error)?
    }

    private let batch: Batch
    private let services: WaitServices
    private let unitTimings: (any UnitTimings.Sink)?
    private let next = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let results: Mutex<Results>

    init(_ batch: Batch, services: WaitServices, unitTimings: (any UnitTimings.Sink)?) {
        self.batch = batch
        self.services = services
        self.unitTimings = unitTimings
        results = Mutex(Results(outputs: Array(repeating: nil, count: batch.count)))
    }

    /// Runs units, blocking the calling thread in their waits, until none is left or the phase stops.
    func work() {
        while !stopped.load(ordering: .acquiring) {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < batch.count else { return }
            do {
                let output = try batch.unit(at: index).runBlocking(using: services, reportingTo: unitTimings)
                results.withLock { $0.outputs[index] = output }
            } catch {
                results.withLock { if $0.failure == nil { $0.failure = error } }
                // A failed unit stops the phase: the others still queued never start.
                stopped.store(true, ordering: .releasing)
            }
        }
    }

    /// Stops the phase: no unit starts after this; those in a wait finish it.
    func cancel() {
        stopped.store(true, ordering: .releasing)
    }

    /// The outputs in unit order, or the first failure; a phase stopped early without one was cancelled.
    func result() -> Result<[Batch.Unit.Output], any Error> {
        results.withLock { results in
            if let failure = results.failure { return .failure(failure) }
            let outputs = results.outputs.compactMap { $0 }
            return outputs.count == results.outputs.count ? .success(outputs) : .failure(CancellationError())
        }
    }
}
