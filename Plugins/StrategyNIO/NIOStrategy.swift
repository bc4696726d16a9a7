public import ConlabCore

/// SwiftNIO's event loops: a `MultiThreadedEventLoopGroup`, one loop per core, with every wait a task
/// scheduled on the unit's loop — the strategy a Swift server engineer would reach for.
///
/// A phase is split into one contiguous share per loop. A unit runs on its loop until it waits; a
/// modelled wait is `scheduleTask(deadline:)` on that loop, whose task resumes the unit when the
/// deadline has passed (NIO's loops sleep in `epoll_wait` on a `timerfd`, so the deadline is kept to the
/// microsecond, and a task never runs before it). Units must not block, as nothing on an event loop may.
/// Waits that are not modelled I/O (child processes, a blocking `poll`, sockets, an actor) are performed
/// by a task of the cooperative pool, which hands the unit back with `execute` on its loop: the loops
/// never block on them. A pipeline runs on one loop of the group: its stage workers are state machines
/// there and its bounded buffers plain queues, with no lock between them.
///
/// `timers: callback` schedules a phase's waits with `scheduleCallback(at:handler:)` instead: no promise
/// and no closure per wait, only the handler (a unit's slot and deadline) in the loop's heap.
///
/// The first failing unit stops its phase on every loop; a cancelled phase stops the same way. No unit
/// resumes after either: the timers still pending are cancelled (or, past a few thousand on one loop,
/// left to fire as no-ops: NIO finds a cancelled task in its timer heap by a linear search).
public struct NIOStrategy: Strategy {
    /// `nio`.
    public static let name = "nio"
    /// `swift-nio`, `swiftnio`.
    public static let aliases = ["swift-nio", "swiftnio"]
    /// What it does.
    public static let summary =
        "SwiftNIO: an event loop per core (MultiThreadedEventLoopGroup); every wait a task scheduled on its loop."
    /// Phases, and pipelines on one loop.
    public static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]

    /// `loops`: the group's event loops.
    static let loopsOption = StrategyOption<Int?>(
        "loops",
        .integer(in: 1...256),
        unset: "one per core",
        inLabel: .unlessDefault,
        help: "event loops in the MultiThreadedEventLoopGroup, each running a share of every phase"
    )
    /// `timers`: how a phase's waits are scheduled.
    static let timersOption = StrategyOption<String>(
        "timers",
        .choice(["task", "callback"]),
        default: "task",
        inLabel: .unlessDefault,
        help: "how a phase's waits are scheduled: task, scheduleTask(deadline:) with its promise and closure "
            + "(what most NIO code writes); callback, scheduleCallback(at:handler:), NIO's lighter timer"
    )
    /// `loops`, `timers`.
    public static let options: [any OptionDeclaration] = [loopsOption, timersOption]

    /// The number of loops the scenario asked for; `nil`: one per core.
    public let loops: Int?
    /// Whether a phase's waits are scheduled callbacks rather than scheduled tasks.
    public let callbacks: Bool
    /// `nio`, or `nio(loops: N, timers: callback)` with what is set.
    public let label: String

    /// Reads `loops` and `timers`.
    public init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        loops = values[Self.loopsOption]
        callbacks = values[Self.timersOption] == "callback"
        label = values.label(Self.name)
    }

    /// The group's threads, and every unit of the largest phase parked at once on a scheduled task or
    /// callback.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(
            threads: loops ?? max(1, context.cores),
            parkedUnits: context.plan.largestPhase,
            parkedUnitBytes: callbacks ? Self.bytesPerCallbackUnit : Self.bytesPerScheduledUnit,
            schedule: .units(concurrency: nil)
        )
    }

    /// What a unit parked on a NIO scheduled task commits: its task in the loop's heap, the task's promise
    /// and closures, and the `Scheduled` handle kept to cancel it. Measured with every cell of one
    /// generation waiting at once (4 s waits; the command in BENCHMARKS.md, seventeenth session): 500,000 and
    /// 1,000,000 cells peaked at 211 and 403 MiB, 404 bytes a cell, where `loop` takes 44 (37 and 58 MiB).
    static let bytesPerScheduledUnit = 416
    /// The same with `timers: callback`: 100 and 182 MiB, 172 bytes a cell.
    static let bytesPerCallbackUnit = 176

    /// Starts the event loop group.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        NIOSession(
            loops: loops ?? max(1, context.cores),
            callbacks: callbacks,
            services: context.services,
            unitTimings: context.unitTimings
        )
    }
}
