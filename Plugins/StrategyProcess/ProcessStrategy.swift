public import ConlabCore
import Foundation
import Synchronization

/// Worker processes (item 64's `ProcessPoolExecutor`): the `conlab` binary re-executed in a hidden worker
/// mode, fed units by index over pipes as length-prefixed JSON.
///
/// Each phase's batch is sent once to every worker, which rebuilds the units from it, so draws and results
/// are identical to in-process strategies. Units go to whichever worker is free, each worker with one more
/// queued behind the one it runs, as `ProcessPoolExecutor` queues calls. A worker that dies is reported
/// with the unit it was running; every worker is reaped when the session closes.
public struct ProcessStrategy: Strategy {
    /// `process`.
    public static let name = "process"
    /// `processes`.
    public static let aliases = ["processes"]
    /// What it does.
    public static let summary =
        "Worker processes (conlab re-executed), fed units over pipes as length-prefixed JSON; true parallelism."
    /// Options.
    public static let optionHelp = [OptionHelp("workers", "worker processes (default: the number of cores)")]
    /// Phases and pipelines (each (stage, item) computed by whichever worker process is free).
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]

    /// Worker processes; `nil` for one per core.
    public let workers: Int?

    /// Reads `workers`.
    public init(options: StrategyOptions) throws(OptionError) {
        var options = options
        let count = try options.integer("workers", default: 0, in: 1...256)
        workers = count > 0 ? count : nil
        try options.finish(strategy: Self.name)
    }

    /// `workers` worker processes (the cores by default), each fed by a thread of this process.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        let count = workers ?? max(1, context.cores)
        return StrategyEstimate(threads: count, processes: count, schedule: .units(concurrency: count))
    }

    /// `process(workers: 2)`.
    public var label: String { workers.map { "process(workers: \($0))" } ?? "process" }

    /// Starts the worker processes.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        let count = workers ?? max(1, context.cores)
        let executable = context.workerExecutable
        var children: [ChildProcess] = []
        do {
            for _ in 0..<count { children.append(try ChildProcess.spawn(executable, arguments: ["worker"])) }
        } catch {
            let started = children
            _ = try? await OSThread.run(name: "conlab-reap") { _ in for child in started { child.wait() } }
            throw error
        }
        return ProcessSession(workers: children)
    }
}

/// Sends each phase to the worker processes and collects their outputs.
struct ProcessSession: StrategySession {
    let workers: [ChildProcess]

    var concurrency: Int? { workers.count }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        guard let portable = batch as? any PortableBatch else {
            throw StrategyRefusal("process: this workload's units cannot be sent to another process")
        }
        let payload = String(decoding: try JSONEncoder().encode(portable), as: UTF8.self)
        let kind = type(of: portable).batchKind
        let workers = self.workers
        return try await OSThread.run(name: "conlab-process") { cancellation in
            let next = Atomic<Int>(0)
            let outcome = ProcessPhaseOutcome<Batch.Unit.Output>(count: batch.count)
            let threads = try workers.enumerated().map { number, worker in
                try OSThread.spawn(name: "conlab-proc-\(number + 1)") {
                    guard worker.send(.batch(kind: kind, payload: payload)) else {
                        outcome.fail(ProcessWorkerError(worker: worker, index: nil, batch: batch))
                        return
                    }
                    // One unit waits in the worker's pipe behind the one it runs, as ProcessPoolExecutor
                    // queues a call beyond its workers: the worker starts it as soon as it replies, instead
                    // of idling for this thread's round trip (two wake-ups) between units.
                    func take() -> Int? {
                        guard !outcome.isFinished && !cancellation.isRaised else { return nil }
                        let index = next.add(1, ordering: .relaxed).oldValue
                        return index < batch.count ? index : nil
                    }
                    var running = take()
                    if let index = running, !worker.send(.run(index: index)) {
                        outcome.fail(ProcessWorkerError(worker: worker, index: index, batch: batch))
                        return
                    }
                    while let index = running {
                        let queued = take()
                        // A worker that cannot take the queued unit died while running `index`.
                        if let queued, !worker.send(.run(index: queued)) {
                            outcome.fail(ProcessWorkerError(worker: worker, index: index, batch: batch))
                            return
                        }
                        // A queued unit's reply is read even after a failure, so the next phase starts in step.
                        guard let reply = worker.receive() else {
                            outcome.fail(ProcessWorkerError(worker: worker, index: index, batch: batch))
                            return
                        }
                        outcome.record(reply, for: index, batch: batch)
                        running = queued
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

    /// Reaps the worker to learn how it ended; the session's own wait then returns the same answer.
    @available(*, noasync)
    init<Batch: UnitBatch>(worker: ChildProcess, index: Int?, batch: Batch) {
        let unit =
            index.map { " while running \(batch.unit(at: $0).coordinates)" } ?? " while idle, before its next unit"
        description = "worker process \(worker.pid) ended (\(worker.wait()))\(unit)"
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

    func record<Batch: UnitBatch>(_ reply: WorkerMessage, for index: Int, batch: Batch) {
        state.withLock { state in
            switch reply {
            case .output(let replyIndex, let payload) where replyIndex == index:
                do {
                    state.outputs[index] = try JSONDecoder().decode(Output.self, from: Data(payload.utf8))
                } catch {
                    state.failure = state.failure ?? (index, error)
                }
            case .failure(let replyIndex, let failure) where replyIndex == index:
                // The lowest index wins, as in the serial reference.
                if state.failure.map({ index < $0.index }) ?? true { state.failure = (index, failure) }
            case .protocolError(let message):
                state.failure = state.failure ?? (index, ProcessProtocolError(message: message))
            default:
                state.failure =
                    state.failure ?? (index, ProcessProtocolError(message: "unexpected reply for unit \(index)"))
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
