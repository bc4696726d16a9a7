import ConlabCore

/// A unit driven through its waits by a task, kept in an object so that the task's suspended frames are small.
///
/// A million units waiting at once are a million suspended tasks, and each keeps every async frame between its
/// entry and the timer. The runtime takes those frames from the task's own slabs of about a kilobyte, and a
/// frame of generic code holds the unit, its step and its output besides what it needs. Measured with perf
/// probes on `malloc` and `swift_task_alloc` over 20,000 cells of `async`: a generic driving loop's frame of
/// 688 bytes and its generic buffers took every task to three 1,016-byte slabs. Here the unit and its trace
/// live in one object, and the loop that suspends (``drive(using:)``) is not generic.
protocol SuspendedUnit: AnyObject {
    /// Steps the unit to its next wait and returns how long to sleep for it when it is modelled I/O (the
    /// wait kept for ``waited()``), or `nil` when it is another kind (in ``pendingWait``); at its end (its
    /// output kept), returns `nil` with no wait pending.
    func next() throws(UnitFailure) -> Duration?
    /// The wait ``next()`` stepped to and did not sleep for, until ``waited()``.
    var pendingWait: Wait? { get }
    /// Where the unit is, for its failures.
    var coordinates: UnitCoordinates { get }
    /// After the pending wait: throws its failure, reports its error, keeps its slice when tracing.
    func waited() throws(UnitFailure)
}

extension SuspendedUnit {
    /// Runs the unit to its end, suspending (never blocking a thread) for every wait.
    func drive(using services: WaitServices) async throws {
        // conlab's own timer is called directly, not through the WaitTimer existential: that saves two frames
        // (the protocol witness's and PreciseWaitTimer's forwarding one) in every suspended task.
        let timers = (services.timer as? PreciseWaitTimer)?.timers
        while true {
            // Only a duration is held across the suspension: the wait, its failure and its timing stay in the
            // object, so this frame stays small.
            if let sleep = try next() {
                if sleep <= .zero {
                } else if let timers {
                    try await timers.current.sleep(until: .after(sleep))
                } else {
                    try await services.timer.sleep(for: sleep)
                }
            } else if pendingWait != nil {
                try await performPending(using: services)
            } else {
                return
            }
            try waited()
        }
    }

    /// Performs a wait that is not modelled I/O, out of ``drive(using:)``'s frame.
    @inline(never)
    private func performPending(using services: WaitServices) async throws {
        guard let wait = pendingWait else { return }
        try await wait.performSuspending(at: coordinates, using: services)
    }
}

/// A ``SuspendedUnit`` of a given unit type: the unit, its trace and, once it has finished, its output.
final class SteppedUnit<Unit: WorkUnit>: SuspendedUnit {
    private var unit: Unit
    private var trace: UnitTrace
    /// The unit's output, once ``next()`` has returned `nil` with no wait pending.
    private var output: Unit.Output?
    private(set) var pendingWait: Wait?
    /// When the pending wait began.
    private var waiting: ContinuousClock.Instant

    init(_ unit: consuming Unit, reportingTo timings: (any UnitTimings.Sink)?) {
        self.unit = unit
        trace = UnitTrace(timings)
        waiting = trace.started
    }

    func next() throws(UnitFailure) -> Duration? {
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

    var coordinates: UnitCoordinates { unit.coordinates }

    func waited() throws(UnitFailure) {
        guard let wait = pendingWait else { return }
        pendingWait = nil
        if let failure = wait.failure(at: unit.coordinates) { throw failure }
        trace.waited(wait, since: waiting, blocking: false)
    }

    /// The unit's output, after ``SuspendedUnit/drive(using:)`` returned.
    func finished() throws(UnitFailure) -> Unit.Output {
        guard let output else {
            // drive(using:) returns only once the unit has finished, with its output.
            throw UnitFailure(coordinates: unit.coordinates, step: nil, reason: .error("ended without an output"))
        }
        return output
    }
}
