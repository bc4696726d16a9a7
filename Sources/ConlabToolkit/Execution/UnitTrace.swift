import ConlabCore

/// What a driver collects about one unit: its modelled waits' errors while a run is measured, and its
/// slices while a trace is written; otherwise every call is a branch and nothing more.
struct UnitTrace {
    /// Where the unit reports, read once when it starts.
    let sink: (any UnitTimings.Sink)?
    /// Whether to time modelled waits, and whether to keep slices.
    let timesWaits: Bool
    let keepsSlices: Bool
    /// When the unit's first step began: its latency runs from here.
    let started: ContinuousClock.Instant
    private(set) var slices: [UnitTimings.Slice] = []

    init(_ sink: (any UnitTimings.Sink)?) {
        self.sink = sink
        timesWaits = sink != nil
        keepsSlices = sink?.tracesSlices ?? false
        started = .now
    }

    /// Computes `unit` up to its next wait (timed as a compute slice when tracing), and reports it finished
    /// when it has its output: the part of driving a unit that does not depend on how it waits.
    mutating func step<Unit: WorkUnit>(_ unit: inout Unit) throws(UnitFailure) -> UnitStep<Unit.Output> {
        let computing = sliceStart
        let step = try unit.step()
        computed(since: computing)
        if case .finished = step { finished(unit.coordinates) }
        return step
    }

    /// Makes (`starting`) or resumes the unit in `slot` of `slab` and computes it up to its next wait, returned
    /// (`nil`: it finished, its output kept by the slab), as ``step(_:)`` does for a unit of its own.
    mutating func step(_ slab: some UnitSlab, slot: Int, starting: Bool) throws(UnitFailure) -> Wait? {
        let computing = sliceStart
        let wait = starting ? try slab.start(slot) : try slab.resume(slot)
        computed(since: computing)
        if wait == nil { finished(slab.coordinates(of: slot)) }
        return wait
    }

    /// Reports the unit as finished now.
    func finished(_ coordinates: @autoclosure () -> UnitCoordinates) {
        sink?.finished(coordinates(), start: started, end: .now, slices: slices)
    }

    /// Now, when anything is collected; a placeholder otherwise.
    var now: ContinuousClock.Instant { timesWaits ? .now : Self.unused }

    /// Now, when slices are kept (the start of a compute slice is read for nothing else); a placeholder
    /// otherwise. Reading the clock costs about 90 instructions, and a unit computes once per step: under
    /// `thread`, two of a Life cell's 16 readings (callgrind).
    private var sliceStart: ContinuousClock.Instant { keepsSlices ? .now : Self.unused }

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
