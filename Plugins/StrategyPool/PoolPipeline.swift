import ConlabCore
import ConlabToolkit
import DequeModule
import Synchronization

/// A pipeline on a shared pool (item 55 with item 59's executor): each (stage, item) is a job, and a stage
/// never has more jobs running than its workers, taking its items first come, first served — so with one
/// worker per stage items keep their order. Items wait between stages as pending work, not in bounded
/// queues: a pool has no buffers to bound.
final class PoolPipeline<Work: PipelineWork>: Sendable {
    private struct Item: Sendable {
        var index: Int
        var value: UInt64
        var entered: ContinuousClock.Instant
    }

    private struct State {
        var waiting: [Deque<Item>]
        var running: [Int]
        var settled = 0
        var failure: UnitFailure?
        /// The caller's task was cancelled: items still to run are passed through without running.
        var cancelled = false
        var continuation: CheckedContinuation<Void, any Error>?
        var done = false
    }

    private let work: Work
    private let pool: FixedThreadPool
    private let recorder: PipelineRecorder
    private let services: WaitServices
    private let unitTimings: (any UnitTimings.Sink)?
    private let state: Mutex<State>

    init(
        work: Work,
        pool: FixedThreadPool,
        recorder: PipelineRecorder,
        services: WaitServices,
        unitTimings: (any UnitTimings.Sink)?
    ) {
        self.work = work
        self.pool = pool
        self.recorder = recorder
        self.services = services
        self.unitTimings = unitTimings
        state = Mutex(
            State(
                waiting: Array(repeating: [], count: work.stages.count),
                running: Array(repeating: 0, count: work.stages.count)
            )
        )
    }

    /// Feeds every item to the first stage and suspends until every item has left or failed.
    ///
    /// - Throws: the first ``UnitFailure``; `CancellationError` when the task is cancelled, once the jobs
    ///   running then have ended (no job starts a unit after it).
    func run() async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                state.withLock { $0.continuation = continuation }
                if work.itemCount == 0 { settle(failure: nil) }
                let clock = ContinuousClock()
                for index in 0..<work.itemCount {
                    offer(Item(index: index, value: work.source(item: index), entered: clock.now), to: 0)
                }
            }
        } onCancel: {
            state.withLock { $0.cancelled = true }
        }
    }

    /// Starts `item` in `stage` now if the stage has a free worker, or queues it.
    private func offer(_ item: Item, to stage: Int) {
        let start: Bool = state.withLock { state in
            if state.running[stage] < work.stages[stage].workers {
                state.running[stage] += 1
                return true
            }
            state.waiting[stage].append(item)
            recorder.depth(stage: stage, state.waiting[stage].count)
            return false
        }
        if start { submit(item, in: stage) }
    }

    private func submit(_ item: Item, in stage: Int) {
        pool.execute { [self] in
            let skip = state.withLock { $0.failure != nil || $0.cancelled }
            var outcome: Result<UInt64, UnitFailure> = .success(item.value)
            if !skip {
                let clock = ContinuousClock()
                let started = clock.now
                outcome = Result { () throws(UnitFailure) in
                    try work.unit(stage: stage, item: item.index, input: item.value).runBlocking(
                        using: services,
                        reportingTo: unitTimings
                    )
                }
                recorder.busy(stage: stage, clock.now - started)
            }
            // Hand the item on before freeing this stage's worker: with one worker per stage, the next
            // item cannot overtake it into the next stage.
            switch outcome {
            case .success(let value) where !skip && stage + 1 < work.stages.count:
                offer(Item(index: item.index, value: value, entered: item.entered), to: stage + 1)
            case .success(let value):
                if !skip { recorder.delivered(item: item.index, value: value, entered: item.entered) }
                settle(failure: nil)
            case .failure(let failure):
                settle(failure: failure)
            }
            // The stage's worker is free: its next waiting item starts.
            let next: Item? = state.withLock { state in
                guard let next = state.waiting[stage].popFirst() else {
                    state.running[stage] -= 1
                    return nil
                }
                return next
            }
            if let next { submit(next, in: stage) }
        }
    }

    /// Counts an item that left (or failed); the last one resumes the caller.
    private func settle(failure: UnitFailure?) {
        let finished: (CheckedContinuation<Void, any Error>, (any Error)?)? = state.withLock { state in
            state.failure = state.failure ?? failure
            state.settled += 1
            guard state.settled >= work.itemCount, !state.done, let continuation = state.continuation else {
                return nil
            }
            state.done = true
            return (continuation, state.failure ?? (state.cancelled ? CancellationError() : nil))
        }
        guard let (continuation, error) = finished else { return }
        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
    }
}
