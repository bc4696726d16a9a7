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
    /// Per suspended task waiting with its unit: measured at about 6.5 KB for a Life cell (issue 7).
    public static let bytesPerTask = 6 * 1024
    /// Per unit parked on an event loop's timer: the unit's own state (a Life cell is about 150 bytes)
    /// and the loop's bookkeeping; measured at about 200 bytes at a million cells (peak RSS, less the
    /// reference run's share).
    public static let bytesPerParkedUnit = 200
    /// Per `conlab worker` process: its resident size while it runs Life units, measured at 22 MiB
    /// (release build, `VmRSS` of the workers of `conlab run scenarios/life-glider.yaml --strategies process`).
    public static let bytesPerProcess = 22 * 1024 * 1024

    /// Descriptors this process keeps per process of the strategy's own: the ends of the two pipes it talks
    /// to a worker over (`ChildProcess.spawn(_:arguments:passing:)` in ConlabIO).
    public static let descriptorsPerProcess = 2

    /// OS threads it starts, at most at once.
    public var threads: Int
    /// Child processes it starts.
    public var processes: Int
    /// Tasks at most at once.
    public var tasks: Int
    /// Units parked at most at once as state machines on an event loop's timers (no thread or task each).
    public var parkedUnits: Int
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
        schedule: Schedule,
        refusal: String? = nil
    ) {
        self.threads = threads
        self.processes = processes
        self.tasks = tasks
        self.parkedUnits = parkedUnits
        self.schedule = schedule
        self.refusal = refusal
    }

    /// Memory committed for its threads, tasks, parked units and processes (the constants above).
    public var memoryBytes: Int {
        threads * Self.bytesPerThread + tasks * Self.bytesPerTask + parkedUnits * Self.bytesPerParkedUnit
            + processes * Self.bytesPerProcess
    }

    /// Units in flight at most; `nil`: every unit of a phase.
    public var concurrency: Int? {
        switch schedule {
        case .units(let concurrency): concurrency
        case .stages(let workers): workers
        }
    }

    /// Units in flight at most for `plan`: the schedule's concurrency (under ``Schedule/stages(workersPerStep:)``
    /// the workers of every waiting step), never more than the largest phase.
    public func unitsInFlight(of plan: WorkPlan) -> Int {
        let declared: Int?
        switch schedule {
        case .units(let concurrency): declared = concurrency
        case .stages(let workers): declared = workers * max(1, plan.waitingSteps)
        }
        return max(0, min(plan.largestPhase, declared ?? plan.largestPhase))
    }

    /// Processes at once for `plan`: the strategy's own (worker processes), and the children of the units
    /// in flight that run the most, wherever those units run.
    public func processesAtOnce(for plan: WorkPlan) -> Int {
        processes + plan.children.processes(units: unitsInFlight(of: plan))
    }

    /// Descriptors this process holds at once for `plan`: the pipes to its own processes, and — when the
    /// units run in this process (`unitsRunHere`; a worker process holds its own units' pipes) — the units
    /// in flight's ends of their children's pipes, with every pipe of a job counted on each thread that
    /// may be starting one at that moment: the strategy's threads, plus the one reactor thread that starts
    /// the jobs of suspending waits.
    public func descriptorsAtOnce(for plan: WorkPlan, unitsRunHere: Bool) -> Int {
        let own = processes * Self.descriptorsPerProcess
        guard unitsRunHere, plan.children.startsProcesses else { return own }
        let units = unitsInFlight(of: plan)
        return own + plan.children.descriptors(units: units)
            + plan.children.startingSurplus(units: min(units, threads + 1))
    }

    /// The ideal floor of one phase with this schedule, as the strategy's session computes it.
    public func idealDuration(of profile: PhaseProfile) -> Duration {
        switch schedule {
        case .units(let concurrency): IdealSchedule.makespan(of: profile.totals, workers: concurrency)
        case .stages(let workers): IdealSchedule.flowShop(profile, workers: workers)
        }
    }
}
