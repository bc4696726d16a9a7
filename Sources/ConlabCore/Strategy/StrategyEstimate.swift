/// What a strategy will create for a plan, said before anything runs (`conlab explain`): threads,
/// processes and tasks, how many units it keeps in flight, what that costs in memory, and whether it
/// would refuse.
public struct StrategyEstimate: Sendable, Equatable {
    /// How a strategy's units share time, for the ideal floor.
    public enum Schedule: Sendable, Equatable {
        /// Units in order on this many workers; `nil`: all at once.
        case units(concurrency: Int?)
        /// Each waiting step its own stage of this many workers, units flowing through (`queue`).
        case stages(workersPerStep: Int)
    }

    /// Committed memory per blocked thread: a few pages of stack and the kernel's structures (the same
    /// budget the thread cap is derived from).
    public static let bytesPerThread = 64 * 1024
    /// Per suspended task waiting with its unit: measured at about 1.9 KB for a Life cell (issue 20: a
    /// million cells under `async` peaked at 1,836 MiB, the reference's share included).
    public static let bytesPerTask = 2 * 1024
    /// Per unit parked on conlab's own event loop timer (the default of ``parkedUnitBytes``): the unit's
    /// own state (a Life cell is 16 bytes) and the loop's bookkeeping (its timer, start and output); measured
    /// at about 44 bytes a cell at ten million cells (`loop`, peak RSS 443 MB, the reference run's share
    /// included).
    public static let bytesPerParkedUnit = 48
    /// Per `conlab worker` process: its resident size while it runs Life units, measured at 22 MiB
    /// (release build, `VmRSS` of the workers of `conlab run scenarios/life-glider.yaml --strategies process`).
    public static let bytesPerProcess = 22 * 1024 * 1024

    /// OS threads it starts, at most at once.
    public var threads: Int
    /// Child processes it starts.
    public var processes: Int
    /// Tasks at most at once.
    public var tasks: Int
    /// Units parked at most at once as state machines on an event loop's timers (no thread or task each).
    public var parkedUnits: Int
    /// What one parked unit commits on this strategy's loop (``bytesPerParkedUnit`` unless the strategy
    /// measured its own).
    public var parkedUnitBytes: Int
    /// How units share time.
    public var schedule: Schedule
    /// Why it would refuse the plan; `nil` when it would run it.
    public var refusal: String?

    /// Creates an estimate.
    public init(
        threads: Int,
        processes: Int = 0,
        tasks: Int = 0,
        parkedUnits: Int = 0,
        parkedUnitBytes: Int = Self.bytesPerParkedUnit,
        schedule: Schedule,
        refusal: String? = nil
    ) {
        self.threads = threads
        self.processes = processes
        self.tasks = tasks
        self.parkedUnits = parkedUnits
        self.parkedUnitBytes = parkedUnitBytes
        self.schedule = schedule
        self.refusal = refusal
    }

    /// Memory committed for its threads, tasks, parked units and processes (the constants above, a parked
    /// unit at ``parkedUnitBytes``).
    public var memoryBytes: Int {
        threads * Self.bytesPerThread + tasks * Self.bytesPerTask + parkedUnits * parkedUnitBytes
            + processes * Self.bytesPerProcess
    }

    /// Why the plan would not fit a machine of `memory` bytes: its ``memoryBytes`` past half of them (the
    /// rest is the reference's, the log's and the system's). `nil` when it fits. `conlab explain` says so,
    /// and a run refuses such a strategy before it starts rather than let the kernel end the process partway.
    public func memoryRefusal(memory: Int) -> String? {
        guard memoryBytes > memory / 2 else { return nil }
        return "it would commit about \(Self.describe(bytes: memoryBytes)), over half of this machine's "
            + "\(Self.describe(bytes: memory))"
    }

    private static func describe(bytes: Int) -> String {
        let tenths = (bytes * 10) >> 30
        if bytes >= 1 << 30 { return "\(tenths / 10).\(tenths % 10) GiB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// Units in flight at most; `nil`: every unit of a phase.
    public var concurrency: Int? {
        switch schedule {
        case .units(let concurrency): concurrency
        case .stages(let workers): workers
        }
    }

    /// The ideal floor of one phase with this schedule, as the strategy's session computes it.
    public func idealDuration(of profile: PhaseProfile) -> Duration {
        switch schedule {
        case .units(let concurrency): IdealSchedule.makespan(of: profile.totals, workers: concurrency)
        case .stages(let workers): IdealSchedule.flowShop(profile, workers: workers)
        }
    }

    /// The ideal floor of a pipeline with `stages` under this schedule, as the strategy's session computes it:
    /// a strategy running units on a bounded number of workers narrows every stage to them; one that runs
    /// a stage per step (`queue`) runs a pipeline's stages as written.
    public func idealPipelineDuration(of profile: PhaseProfile, stages: [PipelineStage]) -> Duration {
        switch schedule {
        case .units(let concurrency): IdealSchedule.pipeline(profile, stages: stages, concurrency: concurrency)
        case .stages: IdealSchedule.pipeline(profile, stages: stages, concurrency: nil)
        }
    }
}
