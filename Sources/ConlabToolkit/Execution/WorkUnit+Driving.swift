public import ConlabCore

/// The two ways a unit can be driven through its waits for real: blocking a thread, or suspending a task.
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
        let started = ContinuousClock.now
        var trace = UnitTrace(timings)
        while true {
            let computing = trace.now
            let step = try unit.step()
            trace.computed(since: computing)
            switch step {
            case .finished(let output):
                trace.finished(unit.coordinates, since: started)
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
        var unit = self
        let started = ContinuousClock.now
        var trace = UnitTrace(timings)
        while true {
            let computing = trace.now
            let step = try unit.step()
            trace.computed(since: computing)
            switch step {
            case .finished(let output):
                trace.finished(unit.coordinates, since: started)
                return output
            case .wait(let wait):
                let waiting = trace.now
                try await wait.performSuspending(at: unit.coordinates, using: services)
                trace.waited(wait, since: waiting, blocking: false)
            }
        }
    }
}

/// What a driver collects about one unit: its modelled waits' errors while a run is measured, and its
/// slices while a trace is written; otherwise every call is a branch and nothing more.
struct UnitTrace {
    /// Where the unit reports, read once when it starts.
    let sink: (any UnitTimings.Sink)?
    /// Whether to time modelled waits, and whether to keep slices.
    let timesWaits: Bool
    let keepsSlices: Bool
    private(set) var slices: [UnitTimings.Slice] = []

    init(_ sink: (any UnitTimings.Sink)?) {
        self.sink = sink
        timesWaits = sink != nil
        keepsSlices = sink?.tracesSlices ?? false
    }

    /// Reports the unit, started at `start`, as finished now.
    func finished(_ coordinates: @autoclosure () -> UnitCoordinates, since start: ContinuousClock.Instant) {
        sink?.finished(coordinates(), start: start, end: .now, slices: slices)
    }

    /// Now, when anything is collected; a placeholder otherwise.
    var now: ContinuousClock.Instant { timesWaits ? .now : Self.unused }

    mutating func computed(since start: ContinuousClock.Instant) {
        guard keepsSlices else { return }
        slices.append(.compute(start: start, end: .now, thread: UnitTimings.currentThread))
    }

    /// After `wait`: reports a modelled wait's error, and keeps its slice when tracing.
    mutating func waited(_ wait: Wait, since start: ContinuousClock.Instant, blocking: Bool) {
        guard timesWaits else { return }
        let end = ContinuousClock.now
        if case .io = wait { sink?.waited(beyond: end - start - wait.duration) }
        guard keepsSlices else { return }
        slices.append(
            .wait(step: wait.step, start: start, end: end, thread: blocking ? UnitTimings.currentThread : nil)
        )
    }

    private static let unused = ContinuousClock.Instant.now
}
