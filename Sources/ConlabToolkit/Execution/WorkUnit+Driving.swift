public import ConlabCore

/// The two ways a unit can be driven through its waits for real: blocking a thread, or suspending a task.
///
/// The two loops differ only in how they wait; stepping the unit and collecting its timings is
/// ``UnitTrace``'s. They stay two loops because one blocks and one suspends: a single loop over the way
/// of waiting would have to be `async`, and so could not serve a thread that blocks.
extension WorkUnit {
    /// Runs the unit on the calling thread, blocking it for every wait (a modelled one in `services`'
    /// timer, a real `clock_nanosleep`).
    ///
    /// For strategies that own their threads. Never call it from a task: it would block a thread of the
    /// cooperative pool. The unit reports its timings to `timings`, the session's
    /// ``StrategyContext/unitTimings``; `nil` reports nothing.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public consuming func runBlocking(
        using services: WaitServices,
        reportingTo timings: (any UnitTimings.Sink)?
    ) throws(UnitFailure) -> Output {
        var unit = self
        var trace = UnitTrace(timings)
        while true {
            switch try trace.step(&unit) {
            case .finished(let output):
                return output
            case .wait(let wait):
                let waiting = trace.now
                try wait.performBlocking(at: unit.coordinates, using: services)
                trace.waited(wait, since: waiting, blocking: true)
            }
        }
    }

    /// Runs the unit in the current task, suspending (never blocking a thread) for every wait, with
    /// `services` for the waits that need them.
    ///
    /// Throws ``UnitFailure`` when the unit fails, `CancellationError` when the task is cancelled. The unit
    /// reports its timings to `timings`, the session's ``StrategyContext/unitTimings``; `nil` reports nothing.
    public consuming func runSuspending(
        using services: WaitServices,
        reportingTo timings: (any UnitTimings.Sink)?
    ) async throws -> Output {
        // The unit waits in an object, whose loop keeps a small frame: see SteppedUnit.
        let stepped = SteppedUnit(self, reportingTo: timings)
        try await stepped.run(using: services)
        return try stepped.finished()
    }
}
