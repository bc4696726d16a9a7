public import ConlabCore

/// An event loop per core: every unit is a state machine parked on its loop's timer heap while it waits.
///
/// What asyncio does under item 60's coroutines, without an interpreter: a coroutine is a suspended
/// state machine and the loop a heap of timers, so a waiting unit costs its own state and a heap entry —
/// no thread, no task, no stack. Each unit waits on a timer of its own; the loops sleep until the
/// earliest is due (to the microsecond: ``Doorbell``), then resume every unit whose wait is over, in
/// deadline order. Units run on the loop threads and must not block, as coroutines must not.
///
/// Waits that are not modelled I/O (sockets, child processes, an actor, a blocking system call) are
/// performed by a task of the cooperative pool (`Wait.performSuspending(at:using:)`, in ConlabToolkit), which hands the unit
/// back to its loop when done: the loop never blocks on them.
public struct LoopStrategy: Strategy {
    /// `loop`.
    public static let name = "loop"
    /// `event-loop`.
    public static let aliases = ["event-loop", "eventloop"]
    /// What it does.
    public static let summary =
        "An event loop thread per core; every unit is a state machine parked on a timer of its own while it waits."
    /// `loops`: event loop threads.
    static let loopsOption = StrategyOption<Int?>(
        "loops",
        .integer(in: 1...256),
        unset: "one per core",
        inLabel: .unlessDefault,
        help: "event loop threads, each running a share of every phase"
    )
    /// `loops`.
    public static let options: [any OptionDeclaration] = [loopsOption]

    /// The number of loops the scenario asked for; `nil`: one per core.
    public let loops: Int?
    /// `loop`, or `loop(loops: N)` when set.
    public let label: String

    /// Reads `loops`.
    public init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        loops = values[Self.loopsOption]
        label = values.label(Self.name)
    }

    /// Its loop threads, and every unit of the largest phase parked at once.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(
            threads: loops ?? context.cores,
            parkedUnits: context.plan.largestPhase,
            schedule: .units(concurrency: nil)
        )
    }

    /// Starts the loop threads.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        try LoopSession(
            loops: loops ?? max(1, context.cores),
            services: context.services,
            unitTimings: context.unitTimings
        )
    }
}
