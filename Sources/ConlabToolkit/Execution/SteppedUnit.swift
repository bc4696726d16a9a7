public import ConlabCore

/// A unit to be driven through its waits by one task, suspending (never blocking a thread), kept in an object
/// so that the task stays small while it waits.
///
/// For a strategy that starts a task per unit and has very many waiting at once: make it outside the task, have
/// the task only ``run(using:)`` it, and take ``finished()`` once the task has ended (after its task group has
/// been awaited). Use it from one task at a time.
///
/// Why an object: a million units waiting at once are a million suspended tasks, and each keeps every async
/// frame between its entry and the timer, taken from the task's own slabs of about a kilobyte. Generic frames
/// hold buffers for the unit, its step and its output. Measured with perf probes on `malloc` and
/// `swift_task_alloc` over 20,000 cells of `async`: a generic driving loop in the task kept 1,200 bytes of frames
/// and three slabs a task; with the unit, its trace and output here and the task running only ``run(using:)``,
/// the frames at a wait are those of ``run(using:)`` and the timer. (``WorkUnit/runSuspending(using:reportingTo:)``
/// does it all in the calling task, for strategies that do not keep many tasks.)
// @unchecked: its state is touched by one task at a time, the one that runs it, and by its maker only before that
// task starts and after it has ended (a task group's end orders them), as the documentation asks.
public final class SteppedUnit<Unit: WorkUnit>: @unchecked Sendable {
    private var unit: Unit
    private var trace: UnitTrace
    /// The unit's output, once ``next()`` has returned `nil` with no wait pending.
    private var output: Unit.Output?
    /// The wait ``next()`` stepped to and did not sleep for, until ``waited()``.
    private var pendingWait: Wait?
    /// When the pending wait began.
    private var waiting: ContinuousClock.Instant

    /// Takes `unit`, which will report its timings to `timings` (the session's ``StrategyContext/unitTimings``;
    /// `nil` reports nothing).
    public init(_ unit: consuming Unit, reportingTo timings: (any UnitTimings.Sink)?) {
        self.unit = unit
        trace = UnitTrace(timings)
        waiting = trace.started
    }

    /// Runs the unit to its end in the current task, suspending for every wait, with `services` for the waits
    /// that need them. Throws ``UnitFailure`` when the unit fails, `CancellationError` when the task is cancelled.
    public func run(using services: WaitServices) async throws {
        // conlab's own timer is called directly, not through the WaitTimer existential: that saves two frames
        // (the protocol witness's and PreciseWaitTimer's forwarding one) in every suspended task.
        let timers = (services.timer as? PreciseWaitTimer)?.timers
        while true {
            // Only a duration is held across the suspension: the wait, its failure and its timing stay in the
            // object, so that this frame, which every suspended task keeps, stays small.
            if let sleep = try next() {
                if let timers {
                    if sleep > .zero { try await timers.current.sleep(until: .after(sleep)) }
                } else {
                    try await Self.sleep(for: sleep, using: services)
                }
            } else if pendingWait != nil {
                try await performPending(using: services)
            } else {
                return
            }
            try waited()
        }
    }

    /// The unit's output, after ``run(using:)`` returned.
    public func finished() throws(UnitFailure) -> Unit.Output {
        guard let output else {
            // run(using:) returns only once the unit has finished, with its output.
            throw UnitFailure(coordinates: unit.coordinates, step: nil, reason: .error("ended without an output"))
        }
        return output
    }

    /// Steps the unit to its next wait and returns how long to sleep for it when it is modelled I/O (the wait kept
    /// for ``waited()``), or `nil` when it is another kind (in ``pendingWait``); at its end (its output kept),
    /// returns `nil` with no wait pending.
    // Untyped throws here and in waited(): a typed UnitFailure is returned in a buffer of its size in the caller's
    // frame, and the loop's frame, which every suspended task keeps, held two of them (336 bytes; 240 without).
    private func next() throws -> Duration? {
        switch try trace.step(&unit) {
        case .finished(let output):
            self.output = output
            pendingWait = nil
            return nil
        case .wait(let wait):
            pendingWait = wait
            waiting = trace.now
            if case .io(_, let draw) = wait { return draw.duration }
            return nil
        }
    }

    /// After the pending wait: throws its failure, reports its error, keeps its slice when tracing.
    private func waited() throws {
        guard let wait = pendingWait else { return }
        pendingWait = nil
        if let failure = wait.failure(at: unit.coordinates) { throw failure }
        trace.waited(wait, since: waiting, blocking: false)
    }

    /// Sleeps in a timer other than conlab's own, out of ``run(using:)``'s frame: a call through the existential
    /// there made that frame larger.
    @inline(never)
    private static func sleep(for duration: Duration, using services: WaitServices) async throws {
        try await services.timer.sleep(for: duration)
    }

    /// Performs a wait that is not modelled I/O, out of ``run(using:)``'s frame.
    @inline(never)
    private func performPending(using services: WaitServices) async throws {
        guard let wait = pendingWait else { return }
        try await wait.performSuspending(at: unit.coordinates, using: services)
    }
}
