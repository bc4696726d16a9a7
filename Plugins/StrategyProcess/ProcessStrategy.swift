public import ConlabCore
import ConlabIO
import ConlabToolkit

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
