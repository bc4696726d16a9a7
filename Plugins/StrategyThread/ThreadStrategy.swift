public import ConlabCore
import ConlabToolkit
import Synchronization

/// A new OS thread per unit, joined for fan-in (item 57's `simulate_threaded`).
///
/// Every unit gets a thread of its own that blocks in its waits; the phase ends when all are joined.
/// Each thread runs its unit in a slot of a slab of the batch's, and keeps its failure in a slot of its own
/// (``ThreadSlab``), the only state the threads share.
/// Before starting, a plan that needs more threads at once than the cap is refused with the numbers.
public struct ThreadStrategy: Strategy {
    /// `thread`.
    public static let name = "thread"
    /// `threads`.
    public static let aliases = ["threads"]
    /// What it does.
    public static let summary = "A new OS thread per unit, joined for fan-in; refuses plans over the thread cap."
    /// Phases and pipelines (a thread per stage worker, queues between the stages).
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]
    /// `max_threads`: the cap; it decides whether a plan is refused, not how one runs, so not in the label.
    static let maxThreadsOption = StrategyOption<Int?>(
        "max_threads",
        .integer(in: 1...1_000_000),
        unset: "derived from the system's limits",
        help: "the cap on threads started at once"
    )
    /// `stack_size`: each thread's stack.
    static let stackSizeOption = StrategyOption<Int>(
        "stack_size",
        .bytes(minimum: 64 * 1024),
        default: 512 * 1024,
        help: "stack size of each thread"
    )
    /// `max_threads`, `stack_size`.
    public static let options: [any OptionDeclaration] = [maxThreadsOption, stackSizeOption]

    /// Item 57's lesson: here the failure reaches the caller.
    public static let pythonFailureNote: String? =
        "the seed's threading.Thread would have swallowed this: it prints the traceback and join() returns "
        + "normally (item 57)"

    /// The cap given in the scenario, if any.
    public let maxThreads: Int?
    /// Each thread's stack size in bytes.
    public let stackSize: Int

    /// Reads `max_threads` and `stack_size`; neither shows in the label, `thread`.
    public init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        maxThreads = values[Self.maxThreadsOption]
        stackSize = values[Self.stackSizeOption]
    }

    /// A thread per unit of the largest phase, or the refusal over the cap.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(
            threads: context.plan.largestPhase,
            schedule: .units(concurrency: nil),
            refusal: refusal(for: context.plan)
        )
    }

    /// Why `plan` needs more threads at once than the cap, or `nil`.
    private func refusal(for plan: WorkPlan) -> String? {
        let limits = ThreadLimits.current()
        let cap = maxThreads ?? limits.cap
        let needed = plan.largestPhase
        guard needed > cap else { return nil }
        let source = maxThreads.map { "max_threads \($0)" } ?? "derived from this machine: \(limits)"
        return "thread needs \(needed) threads at once (one per unit of the largest phase) but the cap is "
            + "\(cap) (\(source)); use pool or async, a smaller grid, or raise the cap with "
            + "'thread: { max_threads: N }'"
    }

    /// Refuses a plan over the cap; otherwise a session.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        if let refusal = refusal(for: context.plan) { throw StrategyRefusal(refusal) }
        return ThreadSession(stackSize: stackSize, services: context.services, unitTimings: context.unitTimings)
    }
}

/// Starts a thread per unit and joins them all, recording what the threads cost.
///
/// The threads' stacks are kept from phase to phase (`ThreadStacks`): each unit still gets a new OS
/// thread, but not a freshly mapped stack, which past glibc's small cache costs more than the thread.
struct ThreadSession: StrategySession {
    let stackSize: Int
    /// What the units' waits are performed with.
    let services: WaitServices
    /// Where the units report their timings.
    let unitTimings: (any UnitTimings.Sink)?
    private let costs = ThreadCostLedger()
    private let stacks: ThreadStacks

    init(stackSize: Int, services: WaitServices, unitTimings: (any UnitTimings.Sink)?) {
        self.stackSize = stackSize
        self.services = services
        self.unitTimings = unitTimings
        stacks = ThreadStacks(stackSize: stackSize)
    }

    var concurrency: Int? { nil }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        let ledger = self.costs
        let stacks = self.stacks
        let services = self.services
        let unitTimings = self.unitTimings
        // The unit threads keep this thread's name: naming each would cost a system call per unit.
        return try await OSThread.run(name: "conlab-thread") { _ in
            let units = ThreadSlab(batch.slab(first: 0, count: batch.count), count: batch.count)
            let before = ProcessMemory.read()
            let clock = ContinuousClock()
            var threads: [OSThread] = []
            threads.reserveCapacity(batch.count)
            var spawnTotal = Duration.zero
            var spawnMax = Duration.zero
            var spawnError: OSThread.SpawnError?
            // All of the phase's stacks at once, so that none are mapped beyond what it needs.
            do throws(OSThread.SpawnError) { try stacks.reserve(batch.count) } catch { spawnError = error }
            for index in 0..<batch.count where spawnError == nil {
                let started = clock.now
                do throws(OSThread.SpawnError) {
                    threads.append(
                        try OSThread.spawn(stacks: stacks) {
                            units.run(slot: index, using: services, reportingTo: unitTimings)
                        }
                    )
                } catch {
                    spawnError = error
                    break
                }
                let spent = clock.now - started
                spawnTotal += spent
                spawnMax = max(spawnMax, spent)
            }
            let spawned = ProcessMemory.read()
            for thread in threads { thread.join() }
            ledger.costs.withLock {
                $0.record(
                    started: threads.count,
                    spawnTotal: spawnTotal,
                    spawnMax: spawnMax,
                    before: before,
                    after: spawned
                )
            }
            if let spawnError {
                throw StrategyRefusal("the system refused thread \(threads.count + 1) of \(batch.count): \(spawnError)")
            }
            return try units.outputs()
        }
    }

    /// Item 55's structure: a thread per stage worker, the scenario's queues between stages.
    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        let unitTimings = self.unitTimings
        try await OSThread.run(name: "conlab-pipeline") { cancellation in
            try ThreadedPipeline.run(
                work,
                recorder: recorder,
                services: services,
                cancellation: cancellation,
                unitTimings: unitTimings
            )
        }
    }

    func metrics() -> [String: Double] {
        costs.costs.withLock { costs in
            // Pipelines start their workers through ThreadedPipeline, not a thread per unit.
            guard costs.started > 0 else { return [:] }
            var figures: [String: Double] = [
                "threads_started": Double(costs.started),
                "thread_spawn_seconds_mean": costs.started > 0 ? costs.spawnTotal.inSeconds / Double(costs.started) : 0,
                "thread_spawn_seconds_max": costs.spawnMax.inSeconds,
                "peak_live_threads": Double(costs.peakLive),
                "stack_size_bytes": Double(stackSize),
            ]
            if let perThread = costs.memoryPerThread { figures["memory_per_thread_bytes"] = perThread }
            return figures
        }
    }
}

/// Holds the costs behind a lock, shared by the session's copies.
final class ThreadCostLedger: Sendable {
    let costs = Mutex(ThreadCosts())
}

/// What starting threads cost, over all phases.
struct ThreadCosts {
    var started = 0
    var spawnTotal = Duration.zero
    var spawnMax = Duration.zero
    var peakLive = 0
    var memorySamples: [Double] = []

    /// Resident memory added per thread started, measured when all of a phase's threads had been started.
    ///
    /// The largest sample: later phases reuse the first phase's stacks, whose pages are already resident.
    var memoryPerThread: Double? { memorySamples.max() }

    mutating func record(
        started count: Int,
        spawnTotal: Duration,
        spawnMax: Duration,
        before: ProcessMemory.Reading?,
        after: ProcessMemory.Reading?
    ) {
        started += count
        self.spawnTotal += spawnTotal
        self.spawnMax = max(self.spawnMax, spawnMax)
        guard let before, let after else { return }
        peakLive = max(peakLive, after.threads - before.threads)
        // Kept stacks stay resident after their threads end, so the memory is per thread started.
        if count > 0 { memorySamples.append(Double(after.residentBytes - before.residentBytes) / Double(count)) }
    }
}
