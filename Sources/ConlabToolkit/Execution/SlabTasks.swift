public import ConlabCore

/// The units of a slab, each run by a task of its own that suspends (never blocks) for every wait: what
/// ``SteppedUnit`` does for one unit, for a share of a batch whose tasks all run on one thread at a time (the
/// tasks that prefer one of ``TaskTimers``' shards as their executor).
///
/// Why a slab: the strategy that starts the tasks is generic and not compiled for the workload, so a
/// ``SteppedUnit`` of each unit reached its unit, its step and its output through the unit type's metadata at
/// run time, a cache lookup under a lock several times a wait, and took an object of its own per unit. Here
/// the units live in the batch's ``UnitSlab`` (Life's is compiled for its cell), the reports go to the sink in
/// batches (``UnitReportBuffer``), and a task keeps only its slot and its deadline while it waits.
///
/// Not for a traced run: a trace needs each unit's slices, which ``SteppedUnit`` keeps.
// @unchecked: every task of a slab runs on one thread at a time (the documentation's contract), so the report
// buffer, the failing waits, the deadlines and the next slot are touched by one thread at a time; a slot's
// start by its own task; the maker reads the outputs only after the tasks' group has ended, which orders their
// writes. `cancel()` touches only the wait group, which is Sendable.
public final class SlabTasks<Output>: @unchecked Sendable {
    private let slab: any UnitSlab<Output>
    private let count: Int
    private let services: WaitServices
    /// The tasks' modelled waits in conlab's own timers, cancelled together: `nil` with another timer.
    private let waits: TimerWaitGroup?
    private var reports: UnitReportBuffer
    /// When each unit started, in monotonic nanoseconds; allocated only when reports are collected.
    private let starts: UnsafeMutablePointer<Int64>?
    /// The modelled waits that end in a failure, and the waits that are not modelled I/O, by slot: rare, so not
    /// carried by every task.
    private var failing: [Int: Wait] = [:]
    private var elsewhere: [Int: Wait] = [:]
    private var deadlines = WaitDeadlines()
    /// The slot ``runNext()`` runs next.
    private var nextSlot = 0

    /// What a unit does next.
    private enum Next {
        /// Sleep until the deadline (monotonic nanoseconds), then resume.
        case sleep(until: Int64)
        /// Its wait is already due (a zero duration): resume at once.
        case due(Int64)
        /// Perform its wait in ``elsewhere``, then resume.
        case elsewhere
        case finished
    }

    /// The units of `slab`, slots `0..<count`, waiting with `services` and reporting to `sink` (which must not
    /// trace slices).
    public init(
        _ slab: any UnitSlab<Output>,
        count: Int,
        using services: WaitServices,
        reportingTo sink: (any UnitTimings.Sink)?
    ) {
        precondition(sink?.tracesSlices != true, "a traced run keeps each unit's slices: use SteppedUnit")
        self.slab = slab
        self.count = count
        self.services = services
        // conlab's own timer is called directly, as SteppedUnit does: the waits are timed by the shard whose
        // thread runs the task.
        waits = ((services.timer as? PreciseWaitTimer)?.timers).map(TimerWaitGroup.init(timers:))
        reports = UnitReportBuffer(sink: sink)
        starts = sink == nil ? nil : .allocate(capacity: count)
    }

    deinit {
        starts?.deallocate()
    }

    /// Runs every unit, a child task each in a discarding group (the gathering task is not resumed as each
    /// child ends: callgrind put the group's `next()` at a tenth of the instructions), and throws the first
    /// failure, which cancels the rest. Call it from a task that prefers a timer shard: the children do too.
    ///
    /// The tasks' waits have no cancellation handler each: the slab's one is here, and a failing unit cancels
    /// the slab. A task takes its slot in the order the tasks start, so that its closure holds only the slab
    /// (a `malloc` histogram of a run: 320, 1,016 and 64 bytes a task with its slot captured; 40 without).
    public func runAll() async throws {
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<count {
                    group.addTask { try await self.runNext() }
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Runs the unit of the next slot not yet run (from 0): ``run(_:)`` for a task that is handed no slot.
    private func runNext() async throws {
        let slot = nextSlot
        nextSlot += 1
        try await run(slot)
    }

    /// Runs the unit of `slot` to its end in the current task, suspending for every wait. Call it once per
    /// slot, from a task that prefers the same timer shard as every other task of this slab. Throws
    /// ``UnitFailure`` when the unit fails, `CancellationError` once ``cancel()`` was called.
    ///
    /// A task's own cancellation does not end its waits (they have no handler each): call ``cancel()`` when
    /// the tasks are cancelled. A unit's failure cancels the others itself.
    public func run(_ slot: Int) async throws {
        do {
            try await step(slot)
        } catch {
            cancel()
            throw error
        }
    }

    /// Ends every task's wait, now or later, with `CancellationError`. Safe from any thread (a cancellation
    /// handler's).
    public func cancel() {
        waits?.cancel()
    }

    private func step(_ slot: Int) async throws {
        if let starts { starts[slot] = Deadline.now.nanoseconds }
        var next = try advance(slot, starting: true)
        while true {
            // Only the slot and a deadline are held across a suspension: every suspended task keeps this frame.
            switch next {
            case .finished:
                return
            case .sleep(let deadline):
                if let waits {
                    try await waits.sleep(until: Deadline(nanoseconds: deadline))
                } else {
                    try await Self.sleep(until: deadline, using: services)
                }
                next = try resume(slot, due: deadline)
            case .due(let deadline):
                next = try resume(slot, due: deadline)
            case .elsewhere:
                try await performElsewhere(slot)
                next = try advance(slot, starting: false)
            }
        }
    }

    /// Every output in slot order, and the reports handed to the sink; call once, after every task has ended.
    public func finish() -> [Output] {
        reports.flush()
        return slab.outputs()
    }

    /// Makes (`starting`) or resumes the unit of `slot` and computes it up to its next wait.
    private func advance(_ slot: Int, starting: Bool) throws(UnitFailure) -> Next {
        guard let wait = starting ? try slab.start(slot) : try slab.resume(slot) else {
            if let starts { reports.finished(latencyNanoseconds: Deadline.now.nanoseconds - starts[slot]) }
            return .finished
        }
        guard case .io(_, let draw) = wait else {
            elsewhere[slot] = wait
            return .elsewhere
        }
        if draw.outcome != .completed { failing[slot] = wait }
        let now = Deadline.now.nanoseconds
        guard draw.duration > .zero else { return .due(now) }
        return .sleep(until: deadlines.deadline(after: draw.duration, from: now))
    }

    /// After the modelled wait of `slot`, due at `deadline`: reports how late it ended, throws its failure, and
    /// computes the unit up to its next wait.
    private func resume(_ slot: Int, due deadline: Int64) throws(UnitFailure) -> Next {
        if reports.isCollecting { reports.waited(beyondNanoseconds: Deadline.now.nanoseconds - deadline) }
        if !failing.isEmpty, let wait = failing.removeValue(forKey: slot),
            let failure = wait.failure(at: slab.coordinates(of: slot))
        {
            throw failure
        }
        return try advance(slot, starting: false)
    }

    /// Performs a wait that is not modelled I/O (a socket, children, an actor), out of ``run(_:)``'s frame.
    @inline(never)
    private func performElsewhere(_ slot: Int) async throws {
        guard let wait = elsewhere.removeValue(forKey: slot) else { return }
        try await wait.performSuspending(at: slab.coordinates(of: slot), using: services)
    }

    /// Sleeps in a timer other than conlab's own, out of ``run(_:)``'s frame.
    @inline(never)
    private static func sleep(until deadline: Int64, using services: WaitServices) async throws {
        let remaining = deadline - Deadline.now.nanoseconds
        if remaining > 0 { try await services.timer.sleep(for: .nanoseconds(remaining)) }
    }
}
