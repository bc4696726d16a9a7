import ConlabCore
import ConlabToolkit
import Synchronization

/// The stages of a queue session: per waiting step, a blocking queue of jobs and its worker threads.
final class QueueStages: Sendable {
    typealias Job = @Sendable () -> Void

    /// One step's queue and workers.
    private struct Stage {
        var queue: BlockingQueue<Job>
        var threads: [OSThread]
    }

    private enum State {
        case running([String: Stage], order: [String])
        case stopped
    }

    let workersPerStage: Int
    /// What the units' waits are performed with.
    let services: WaitServices
    /// Where the units report their timings.
    let unitTimings: (any UnitTimings.Sink)?
    private let state = Mutex(State.running([:], order: []))

    init(workersPerStage: Int, services: WaitServices, unitTimings: (any UnitTimings.Sink)?) {
        self.workersPerStage = workersPerStage
        self.services = services
        self.unitTimings = unitTimings
    }

    /// Advances `unit` to its next wait and queues it on that step's stage, or delivers its result.
    func forward<Unit: WorkUnit>(
        _ unit: Unit,
        index: Int,
        started: ContinuousClock.Instant = .now,
        results: BlockingQueue<(Int, Result<Unit.Output, UnitFailure>)>,
        cancellation: CancellationFlag
    ) {
        var unit = unit
        // After an interruption, units still queued are handed back at once instead of waiting.
        guard !cancellation.isRaised else {
            results.putUnbounded(
                (index, .failure(UnitFailure(coordinates: unit.coordinates, step: nil, reason: .error("cancelled"))))
            )
            return
        }
        do {
            switch try unit.step() {
            case .finished(let output):
                unitTimings?.finished(unit.coordinates, start: started, end: .now, slices: [])
                results.putUnbounded((index, .success(output)))
            case .wait(let wait):
                let waiting = unit
                do {
                    try queue(for: wait.step).putUnbounded {
                        guard !cancellation.isRaised else {
                            let cancelled = UnitFailure(
                                coordinates: waiting.coordinates,
                                step: wait.step,
                                reason: .error("cancelled")
                            )
                            results.putUnbounded((index, .failure(cancelled)))
                            return
                        }
                        do throws(UnitFailure) {
                            let waitStarted = ContinuousClock.now
                            try wait.performBlocking(at: waiting.coordinates, using: self.services)
                            if case .io = wait {
                                self.unitTimings?.waited(beyond: ContinuousClock.now - waitStarted - wait.duration)
                            }
                            self.forward(
                                waiting,
                                index: index,
                                started: started,
                                results: results,
                                cancellation: cancellation
                            )
                        } catch {
                            results.putUnbounded((index, .failure(error)))
                        }
                    }
                } catch {
                    results.putUnbounded(
                        (
                            index,
                            .failure(
                                UnitFailure(
                                    coordinates: waiting.coordinates,
                                    step: wait.step,
                                    reason: .error("\(error)")
                                )
                            )
                        )
                    )
                }
            }
        } catch {
            results.putUnbounded((index, .failure(error)))
        }
    }

    /// The queue of `step`'s stage, starting its workers the first time.
    private func queue(for step: String) throws -> BlockingQueue<Job> {
        try state.withLock { state in
            guard case .running(var stages, var order) = state else {
                preconditionFailure("a stopped queue session received work")
            }
            if let stage = stages[step] { return stage.queue }
            let queue = BlockingQueue<Job>()
            var threads: [OSThread] = []
            do {
                for number in 1...workersPerStage {
                    threads.append(
                        try OSThread.spawn(name: "conlab-q\(order.count + 1)-\(number)") {
                            while let job = queue.get() { job() }
                        }
                    )
                }
            } catch {
                queue.close()
                for thread in threads { thread.join() }
                throw error
            }
            stages[step] = Stage(queue: queue, threads: threads)
            order.append(step)
            state = .running(stages, order: order)
            return queue
        }
    }

    /// The most jobs each step's queue has held, by step.
    func maximumDepths() -> [(String, Int)] {
        state.withLock { state in
            guard case .running(let stages, let order) = state else { return [] }
            return order.map { ($0, stages[$0]!.queue.maximumDepth) }
        }
    }

    /// Closes every queue and joins every worker: the seed's sentinel per worker.
    @available(*, noasync, message: "Joins the workers.")
    func stop() {
        let stages: [Stage] = state.withLock { state in
            guard case .running(let stages, let order) = state else { return [] }
            state = .stopped
            return order.map { stages[$0]! }
        }
        for stage in stages { stage.queue.close() }
        for stage in stages { for thread in stage.threads { thread.join() } }
    }
}
