import ConlabCore
import ConlabIO
import ConlabToolkit
import Foundation

/// Sends each phase to the worker processes and collects their outputs.
struct ProcessSession: StrategySession {
    let workers: [ChildProcess]
    /// Where each worker notes the unit it is running (see ``WorkerProgress``); `nil` where none could be made.
    let progress: [WorkerProgress?]
    let chunkSize: Int?

    var concurrency: Int? { workers.count }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        guard let portable = batch as? any PortableBatch else {
            throw StrategyRefusal("process: this workload's units cannot be sent to another process")
        }
        let payload = String(decoding: try JSONEncoder().encode(portable), as: UTF8.self)
        let kind = type(of: portable).batchKind
        let workers = self.workers
        let progress = self.progress
        let chunkSize = self.chunkSize
        return try await endingWorkersOnCancel {
            try await Self.run(
                batch,
                kind: kind,
                payload: payload,
                workers: workers,
                progress: progress,
                chunkSize: chunkSize
            )
        }
    }

    /// Runs `body`; when the task is cancelled meanwhile, ends every worker (SIGTERM: a worker ends its
    /// jobs and exits), so that the chunks they run and the ones queued behind them stop at once instead
    /// of running out, and the threads waiting for their replies see them end. The session is spent: the
    /// run it belonged to is over, and ``close()`` reaps the workers.
    private func endingWorkersOnCancel<Result: Sendable>(
        _ body: () async throws -> Result
    ) async throws -> Result {
        let workers = self.workers
        return try await withTaskCancellationHandler {
            try await body()
        } onCancel: {
            for worker in workers { worker.kill(SIGTERM) }
        }
    }

    private static func run<Batch: UnitBatch>(
        _ batch: Batch,
        kind: String,
        payload: String,
        workers: [ChildProcess],
        progress: [WorkerProgress?],
        chunkSize: Int?
    ) async throws -> [Batch.Unit.Output] {
        try await OSThread.run(name: "conlab-process") { cancellation in
            let chunks = ChunkSchedule(count: batch.count, workers: workers.count, fixedSize: chunkSize)
            let outcome = ProcessPhaseOutcome<Batch.Unit.Output>(count: batch.count)
            let threads = try workers.enumerated().map { number, worker in
                try OSThread.spawn(name: "conlab-proc-\(number + 1)") {
                    func failure(running units: Range<Int>?) -> ProcessWorkerError {
                        ProcessWorkerError(worker: worker, progress: progress[number], units: units, batch: batch)
                    }
                    guard worker.send(.batch(kind: kind, payload: payload)) else {
                        outcome.fail(failure(running: nil))
                        return
                    }
                    // One chunk waits in the worker's pipe behind the one it runs, as ProcessPoolExecutor
                    // queues a call beyond its workers: the worker starts it as soon as it replies, instead
                    // of idling for this thread's round trip (two wake-ups) between chunks.
                    func take(ahead: Bool) -> Range<Int>? {
                        guard !outcome.isFinished && !cancellation.isRaised else { return nil }
                        return chunks.take(ahead: ahead)
                    }
                    func send(_ units: Range<Int>) -> Bool {
                        worker.send(.run(first: units.lowerBound, count: units.count))
                    }
                    // A worker that cannot take a chunk while idle died idle.
                    var running = take(ahead: false)
                    if let units = running, !send(units) {
                        outcome.fail(failure(running: nil))
                        return
                    }
                    while let units = running {
                        let queued = take(ahead: true)
                        // A worker that cannot take the queued chunk died while running `units`.
                        if let queued, !send(queued) {
                            outcome.fail(failure(running: units))
                            return
                        }
                        // A queued chunk's reply is read even after a failure, so the next phase starts in step.
                        guard let reply = worker.receive() else {
                            outcome.fail(failure(running: units))
                            return
                        }
                        outcome.record(reply, for: units, batch: batch)
                        if let queued {
                            running = queued
                        } else {
                            // None was queued near the end of the phase: ask for what is left.
                            running = take(ahead: false)
                            if let units = running, !send(units) {
                                outcome.fail(failure(running: nil))
                                return
                            }
                        }
                    }
                }
            }
            for thread in threads { thread.join() }
            if cancellation.isRaised { throw CancellationError() }
            return try outcome.outputs()
        }
    }

    /// Item 55's structure in this process — a thread per stage worker and the scenario's queues — with each
    /// (stage, item) computed by whichever worker process is free, so at most `workers` run at once.
    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        guard let portable = work as? any PortablePipeline else {
            throw StrategyRefusal("process: this pipeline cannot be sent to another process")
        }
        let payload = String(decoding: try JSONEncoder().encode(portable), as: UTF8.self)
        let kind = type(of: portable).pipelineKind
        let workers = self.workers
        try await endingWorkersOnCancel {
            try await Self.runPipeline(work, kind: kind, payload: payload, workers: workers, recorder: recorder)
        }
    }

    private static func runPipeline<Work: PipelineWork>(
        _ work: Work,
        kind: String,
        payload: String,
        workers: [ChildProcess],
        recorder: PipelineRecorder
    ) async throws {
        try await OSThread.run(name: "conlab-process") { cancellation in
            let free = BlockingQueue<ChildProcess>()
            for worker in workers {
                guard worker.send(.batch(kind: kind, payload: payload)) else {
                    throw ProcessProtocolError(
                        message: "worker process \(worker.pid) ended before the pipeline started"
                    )
                }
                free.putUnbounded(worker)
            }
            defer { free.close() }
            try ThreadedPipeline.run(work, recorder: recorder, cancellation: cancellation) {
                stage,
                item,
                input throws(UnitFailure) in
                let worker = free.get()!
                defer { free.putUnbounded(worker) }
                let coordinates = work.unit(stage: stage, item: item, input: input).coordinates
                guard worker.send(.runStage(stage: stage, item: item, input: input)), let reply = worker.receive()
                else {
                    throw UnitFailure(
                        coordinates: coordinates,
                        step: nil,
                        reason: .error("worker process \(worker.pid) ended (\(worker.wait())) while running it")
                    )
                }
                switch reply {
                case .output(item, let value):
                    guard let next = UInt64(value) else { break }
                    return next
                case .failure(item, let failure):
                    throw failure
                default:
                    break
                }
                throw UnitFailure(coordinates: coordinates, step: nil, reason: .error("unexpected reply: \(reply)"))
            }
        }
    }

    /// The stages' flow shop, but never faster than the worker processes can do all the waits.
    func idealPipelineDuration(of profile: PhaseProfile, stages: [PipelineStage]) -> Duration {
        IdealSchedule.pipeline(profile, stages: stages, concurrency: workers.count)
    }

    func metrics() -> [String: Double] { ["worker_processes": Double(workers.count)] }

    func close() async {
        let workers = self.workers
        _ = try? await OSThread.run(name: "conlab-reap") { _ in for worker in workers { worker.wait() } }
    }
}
