import ConlabCore

/// Runs one loop's share of a phase on the loop's thread: starts its units, parks each wait on a timer
/// (or hands it to a task, for waits that are not modelled I/O), and resumes units as their waits end,
/// until every unit has its output.
///
/// Units are started in slices of ``startSlice`` between turns of the timer heap, so that in a phase too
/// large to start within one wait the first units are resumed when due, not after the last one starts.
struct LoopDriver<Batch: UnitBatch> {
    typealias Unit = Batch.Unit

    /// Units started per turn of the loop while some are still to start.
    static var startSlice: Int { 512 }

    private let batch: Batch
    private let range: Range<Int>
    private let doorbell: Doorbell
    private let stop: LoopStop
    private let mailbox: LoopMailbox
    private let sink: (any UnitTimings.Sink)?

    private var units: [Unit] = []
    private var outputs: [Unit.Output?]
    /// When each unit started, in monotonic nanoseconds; kept only while a sink wants unit latencies.
    private var starts: [Int64] = []
    private var timers: LoopTimers
    /// The modelled waits that end in a failure, by slot: rare, so not carried in every timer.
    private var failingWaits: [Int32: Wait] = [:]
    /// Tasks performing waits away from the loop, by slot.
    private var elsewhere: [Int: Task<Void, Never>] = [:]
    private var finished = 0

    init(
        batch: Batch,
        range: Range<Int>,
        doorbell: Doorbell,
        stop: LoopStop,
        sink: (any UnitTimings.Sink)?
    ) {
        self.batch = batch
        self.range = range
        self.doorbell = doorbell
        self.stop = stop
        self.mailbox = LoopMailbox(doorbell: doorbell)
        self.sink = sink
        self.outputs = Array(repeating: nil, count: range.count)
        units.reserveCapacity(range.count)
        timers = LoopTimers(capacity: range.count)
        if sink != nil { starts.reserveCapacity(range.count) }
    }

    /// Runs every unit of the share to its output; throws the first unit failure, or `CancellationError`
    /// when the phase is stopped from outside (another loop's failure, a cancelled run).
    @available(*, noasync, message: "Runs on an event loop thread.")
    mutating func run() throws -> [Unit.Output] {
        defer { for task in elsewhere.values { task.cancel() } }
        let count = range.count
        while finished < count {
            if stop.isRaised { throw CancellationError() }
            try resumeDue(at: .now)
            try receiveDeliveries()
            if units.count < count {
                try startSlice()
                continue
            }
            guard finished < count else { break }
            // Every unit not finished is on a timer or away in a task: sleep until one is due or back.
            precondition(!timers.isEmpty || !elsewhere.isEmpty, "an event loop lost track of a unit")
            _ = doorbell.sleep(until: timers.first.map { Deadline(nanoseconds: $0.deadline) })
        }
        return outputs.map { $0! }
    }

    /// Starts the next ``startSlice`` units.
    private mutating func startSlice() throws(UnitFailure) {
        for _ in 0..<min(Self.startSlice, range.count - units.count) { try startNext() }
    }

    @inline(__always)
    private mutating func startNext() throws(UnitFailure) {
        let slot = units.count
        units.append(batch.unit(at: range.lowerBound + slot))
        if sink != nil { starts.append(Deadline.now.nanoseconds) }
        try advance(slot)
    }

    /// Resumes, in deadline order, every unit whose wait was due by `now`.
    private mutating func resumeDue(at now: Deadline) throws(UnitFailure) {
        while let timer = timers.popDue(at: now.nanoseconds) {
            let slot = Int(timer.slot)
            if let sink { sink.waited(beyond: Deadline.now - Deadline(nanoseconds: timer.deadline)) }
            if !failingWaits.isEmpty, let wait = failingWaits.removeValue(forKey: timer.slot),
                let failure = wait.failure(at: units[slot].coordinates)
            {
                throw failure
            }
            try advance(slot)
        }
    }

    /// Takes back the units whose waits tasks performed.
    private mutating func receiveDeliveries() throws(UnitFailure) {
        guard !elsewhere.isEmpty else { return }
        for delivery in mailbox.take() {
            elsewhere[delivery.slot] = nil
            if let failure = delivery.failure { throw failure }
            try advance(delivery.slot)
        }
    }

    /// Computes the unit in `slot` up to its next wait, and parks it there; or keeps its output.
    @inline(__always)
    private mutating func advance(_ slot: Int) throws(UnitFailure) {
        switch try units[slot].step() {
        case .finished(let output):
            outputs[slot] = output
            finished += 1
            if let sink {
                let end = ContinuousClock.now
                let start = end - (Deadline.now - Deadline(nanoseconds: starts[slot]))
                sink.finished(units[slot].coordinates, start: start, end: end, slices: [])
            }
        case .wait(let wait):
            park(wait, slot: slot)
        }
    }

    @inline(__always)
    private mutating func park(_ wait: Wait, slot: Int) {
        guard case .io(_, let draw) = wait else { return performElsewhere(wait, slot: slot) }
        if draw.outcome != .completed { failingWaits[Int32(slot)] = wait }
        timers.insert(LoopTimer(deadline: (Deadline.now + draw.duration).nanoseconds, slot: Int32(slot)))
    }

    /// A wait the loop cannot time (a socket, children, an actor, a blocking call): a task performs it
    /// and posts the unit back.
    private mutating func performElsewhere(_ wait: Wait, slot: Int) {
        let coordinates = units[slot].coordinates
        let mailbox = self.mailbox
        elsewhere[slot] = Task {
            do {
                try await wait.performSuspending(at: coordinates)
                mailbox.post(.init(slot: slot, failure: nil))
            } catch let failure as UnitFailure {
                mailbox.post(.init(slot: slot, failure: failure))
            } catch {
                let reason = UnitFailure.Reason.error(String(describing: error))
                mailbox.post(
                    .init(slot: slot, failure: UnitFailure(coordinates: coordinates, step: wait.step, reason: reason))
                )
            }
        }
    }
}
