/// The three ways a unit can be driven through its waits.
extension WorkUnit {
    /// Runs the unit on the calling thread, blocking it in a real `clock_nanosleep` for every wait.
    ///
    /// For strategies that own their threads. Never call it from a task: it would block a thread of the
    /// cooperative pool.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public consuming func runBlocking() throws(UnitFailure) -> Output {
        var unit = self
        let started = ContinuousClock.now
        var trace = UnitTrace(enabled: UnitTimings.tracing)
        while true {
            let computing = trace.now
            let step = try unit.step()
            trace.computed(since: computing)
            switch step {
            case .finished(let output):
                UnitTimings.finished(unit.coordinates, since: started, slices: trace.slices)
                return output
            case .wait(let wait):
                let waiting = trace.now
                try wait.performBlocking(at: unit.coordinates)
                trace.waited(wait.step, since: waiting, blocking: true)
            }
        }
    }

    /// Runs the unit in the current task, suspending (never blocking a thread) for every wait.
    ///
    /// Throws ``UnitFailure`` when the unit fails, `CancellationError` when the task is cancelled.
    public consuming func runSuspending() async throws -> Output {
        var unit = self
        let started = ContinuousClock.now
        var trace = UnitTrace(enabled: UnitTimings.tracing)
        while true {
            let computing = trace.now
            let step = try unit.step()
            trace.computed(since: computing)
            switch step {
            case .finished(let output):
                UnitTimings.finished(unit.coordinates, since: started, slices: trace.slices)
                return output
            case .wait(let wait):
                let waiting = trace.now
                try await wait.performSuspending(at: unit.coordinates)
                trace.waited(wait.step, since: waiting, blocking: false)
            }
        }
    }

    /// Runs the unit without waiting at all: the reference result, and the time it would have waited.
    public consuming func runInstantly() -> (result: Result<Output, UnitFailure>, waited: Duration) {
        var waited = Duration.zero
        let result = runInstantly { waited += $0.duration }
        return (result, waited)
    }

    /// Runs the unit without waiting, telling `record` about every wait it asks for, in order.
    public consuming func runInstantly(recording record: (Wait) -> Void) -> Result<Output, UnitFailure> {
        var unit = self
        while true {
            do {
                switch try unit.step() {
                case .finished(let output):
                    return .success(output)
                case .wait(let wait):
                    record(wait)
                    if case .external(_, let job) = wait { job.work.performInstantly() }
                    if let failure = wait.failure(at: unit.coordinates) { return .failure(failure) }
                }
            } catch {
                return .failure(error)
            }
        }
    }

    /// `advance()`, with any error it throws turned into this unit's ``UnitFailure``.
    public mutating func step() throws(UnitFailure) -> UnitStep<Output> {
        do {
            return try advance()
        } catch let failure as UnitFailure {
            throw failure
        } catch {
            throw UnitFailure(coordinates: coordinates, step: nil, reason: .error(String(describing: error)))
        }
    }
}

/// A unit's slices as a driver sees them, collected only while a trace is written: otherwise every
/// call is a branch on `enabled` and nothing more.
struct UnitTrace {
    let enabled: Bool
    private(set) var slices: [UnitTimings.Slice] = []

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Now, when tracing; a placeholder otherwise.
    var now: ContinuousClock.Instant { enabled ? .now : Self.unused }

    mutating func computed(since start: ContinuousClock.Instant) {
        guard enabled else { return }
        slices.append(.compute(start: start, end: .now, thread: UnitTimings.currentThread))
    }

    mutating func waited(_ step: String, since start: ContinuousClock.Instant, blocking: Bool) {
        guard enabled else { return }
        slices.append(.wait(step: step, start: start, end: .now, thread: blocking ? UnitTimings.currentThread : nil))
    }

    private static let unused = ContinuousClock.Instant.now
}
