public import ConlabCore
import ConlabIO
import ConlabToolkit
import Foundation
import Synchronization

/// Worker processes (item 64's `ProcessPoolExecutor`): the `conlab` binary re-executed in a hidden worker
/// mode, fed chunks of units by index over pipes as length-prefixed JSON.
///
/// Each phase's batch is sent once to every worker, which rebuilds the units from it, so draws and results
/// are identical to in-process strategies. Chunks (``ChunkSchedule``) go to whichever worker is free, each
/// worker with one more queued behind the one it runs, as `ProcessPoolExecutor` queues calls. A worker that
/// dies is reported with the unit it was running (``WorkerProgress``); every worker is reaped when the
/// session closes.
public struct ProcessStrategy: Strategy {
    /// `process`.
    public static let name = "process"
    /// `processes`.
    public static let aliases = ["processes"]
    /// What it does.
    public static let summary =
        "Worker processes (conlab re-executed), fed chunks of units over pipes as length-prefixed JSON; true parallelism."
    /// `workers`: worker processes.
    static let workersOption = StrategyOption<Int?>(
        "workers",
        .integer(in: 1...256),
        unset: "one per core",
        inLabel: .unlessDefault,
        help: "worker processes"
    )
    /// `chunk_size`: units per message to a worker.
    static let chunkSizeOption = StrategyOption<Int?>(
        "chunk_size",
        .integer(in: 1...1_000_000),
        unset: "guided, chunks that shrink as the phase runs out",
        inLabel: .unlessDefault,
        help: "units sent to a worker at a time, like ProcessPoolExecutor.map's chunksize"
    )
    /// `workers`, `chunk_size`.
    public static let options: [any OptionDeclaration] = [workersOption, chunkSizeOption]
    /// Phases and pipelines (each (stage, item) computed by whichever worker process is free).
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]
    /// Units run in worker processes: only portable work (``PortableBatch``, ``PortablePipeline``).
    public static let runsUnitsElsewhere = true

    /// Worker processes; `nil` for one per core.
    public let workers: Int?
    /// Units sent to a worker at a time; `nil` for guided chunks (see ``ChunkSchedule``).
    public let chunkSize: Int?

    /// `process`, `process(workers: 2, chunk_size: 1)`: the options that are set.
    public let label: String

    /// Reads `workers` and `chunk_size`.
    public init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        workers = values[Self.workersOption]
        chunkSize = values[Self.chunkSizeOption]
        label = values.label(Self.name)
    }

    /// `workers` worker processes (the cores by default), each fed by a thread of this process.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        let count = workers ?? max(1, context.cores)
        return StrategyEstimate(threads: count, processes: count, schedule: .units(concurrency: count))
    }

    /// Starts the worker processes.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        let count = workers ?? max(1, context.cores)
        let executable = context.workerExecutable
        var children: [ChildProcess] = []
        var progress: [WorkerProgress?] = []
        do {
            for _ in 0..<count {
                let page = WorkerProgress.create()
                children.append(
                    try ChildProcess.spawn(
                        executable,
                        arguments: ["worker"],
                        passing: page.map { [$0.descriptor] } ?? []
                    )
                )
                page?.closeDescriptor()
                progress.append(page)
            }
        } catch {
            let started = children
            _ = try? await OSThread.run(name: "conlab-reap") { _ in for child in started { child.wait() } }
            throw error
        }
        return ProcessSession(workers: children, progress: progress, chunkSize: chunkSize)
    }
}

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
        let flow = IdealSchedule.flowShop(
            profile,
            workers: Dictionary(uniqueKeysWithValues: stages.map { ($0.name, min($0.workers, workers.count)) })
        )
        return max(flow, profile.totals.reduce(.zero, +) / workers.count)
    }

    func metrics() -> [String: Double] { ["worker_processes": Double(workers.count)] }

    func close() async {
        let workers = self.workers
        _ = try? await OSThread.run(name: "conlab-reap") { _ in for worker in workers { worker.wait() } }
    }
}

extension ChildProcess {
    @available(*, noasync)
    func send(_ message: WorkerMessage) -> Bool { message.write(to: input) }

    @available(*, noasync)
    func receive() -> WorkerMessage? { WorkerMessage.read(from: output) }
}

/// A worker process that stopped answering: it crashed, or said something that is not a message.
struct ProcessWorkerError: Error, CustomStringConvertible {
    let description: String

    /// Reaps the worker to learn how it ended; the session's own wait then returns the same answer. The unit
    /// it died in is the last one of `units` it noted in `progress` as started.
    @available(*, noasync)
    init<Batch: UnitBatch>(worker: ChildProcess, progress: WorkerProgress?, units: Range<Int>?, batch: Batch) {
        let ended = worker.wait()
        let running: String
        if let units {
            let noted = progress?.unit.flatMap { units.contains($0) ? $0 : nil }
            if let index = noted ?? (units.count == 1 ? units.lowerBound : nil) {
                running = " while running \(batch.unit(at: index).coordinates)"
            } else {
                // It died before noting any of them, or no page could be shared with it.
                let first = batch.unit(at: units.lowerBound).coordinates
                let last = batch.unit(at: units.upperBound - 1).coordinates
                running =
                    " while running \(first.phaseName) \(first.phase), one of its \(units.count) units from "
                    + "\(first.name) to \(last.name)"
            }
        } else {
            running = " while idle, before its next unit"
        }
        description = "worker process \(worker.pid) ended (\(ended))\(running)"
    }
}

/// The outputs of one phase as workers report them, and the first failure.
final class ProcessPhaseOutcome<Output: Codable & Sendable>: Sendable {
    private struct State {
        var outputs: [Output?]
        var failure: (index: Int, error: any Error)?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(outputs: Array(repeating: nil, count: count)))
    }

    var isFinished: Bool { state.withLock { $0.failure != nil } }

    func fail(_ error: any Error) {
        state.withLock { $0.failure = $0.failure ?? (Int.max, error) }
    }

    func record<Batch: UnitBatch>(_ reply: WorkerMessage, for units: Range<Int>, batch: Batch) {
        // Decoded before taking the lock: the other workers' threads record beside this one.
        let decoded: Result<[Output], any Error>?
        if case .outputs(units.lowerBound, let payloads) = reply, payloads.count == units.count {
            let decoder = JSONDecoder()
            decoded = Result { try payloads.map { try decoder.decode(Output.self, from: Data($0.utf8)) } }
        } else {
            decoded = nil
        }
        state.withLock { state in
            switch (reply, decoded) {
            case (_, .success(let outputs)?):
                for (index, output) in zip(units, outputs) { state.outputs[index] = output }
            case (_, .failure(let error)?):
                state.failure = state.failure ?? (units.lowerBound, error)
            case (.failure(let index, let failure), nil) where units.contains(index):
                // The lowest index wins, as in the serial reference.
                if state.failure.map({ index < $0.index }) ?? true { state.failure = (index, failure) }
            case (.protocolError(let message), nil):
                state.failure = state.failure ?? (units.lowerBound, ProcessProtocolError(message: message))
            default:
                state.failure =
                    state.failure
                    ?? (units.lowerBound, ProcessProtocolError(message: "unexpected reply for units \(units)"))
            }
        }
    }

    func outputs() throws -> [Output] {
        try state.withLock { state in
            if let failure = state.failure { throw failure.error }
            return state.outputs.map { $0! }
        }
    }
}

/// A worker said something the protocol does not allow.
struct ProcessProtocolError: Error, CustomStringConvertible {
    let message: String
    var description: String { "worker protocol error: \(message)" }
}
