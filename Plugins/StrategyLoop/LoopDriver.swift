import ConlabCore
import ConlabToolkit

/// Runs one loop's share of a phase on the loop's thread: starts its units, parks each wait on a timer
/// (or hands it to a task, for waits that are not modelled I/O), and resumes units as their waits end,
/// until every unit has its output.
///
/// Units are started in slices of ``startSlice`` between turns of the timer heap, so that in a phase too
/// large to start within one wait the first units are resumed when due, not after the last one starts.
/// Units and outputs live in the batch's ``UnitSlab``: the driver is generic and not specialised for the
/// workload, and a slab can be (Life's is).
/// While a trace is written, each unit's compute and wait slices are kept too (``ParkedUnitTrace``).
struct LoopDriver<Batch: UnitBatch>: ~Copyable {
    typealias Unit = Batch.Unit

    /// Units started per turn of the loop while some are still to start.
    static var startSlice: Int { 512 }

    private let count: Int
    private let doorbell: Doorbell
    private let stop: LoopStop
    private let mailbox: LoopMailbox
    /// The sink, when it traces: then each unit is reported with its instants, as a trace needs.
    private let tracingSink: (any UnitTimings.Sink)?
    private var reports: UnitReportBuffer

    /// The share's units and outputs; units started so far are in slots `0..<started`.
    private let slab: any UnitSlab<Unit.Output>
    private var started = 0
    private var finished = 0
    /// When each unit started, in monotonic nanoseconds; kept only while untraced reports are collected
    /// (a trace keeps each unit's start in its ``ParkedUnitTrace``).
    private var starts: [Int64] = []
    /// Each unit's slices, kept only while a trace is written, and the loop thread's kernel id for them.
    private var traces: [ParkedUnitTrace] = []
    private let thread = UnitTimings.currentThread
    private var timers: LoopTimers
    /// The loop's last reading of the monotonic clock, in nanoseconds. A wait's deadline and a unit's end are
    /// read fresh; a unit's start and how late a timer is resumed take this one instead, at most one unit's
    /// computation old: the clock was a fifth of a loop's time at ten million cells, read four times a cell.
    private var lastReading: Int64 = 0
    private var deadlines = WaitDeadlines()
    /// The modelled waits that end in a failure, by slot: rare, so not carried in every timer.
    private var failingWaits: [Int32: Wait] = [:]
    /// Tasks performing waits away from the loop, by slot.
    private var elsewhere: [Int: Task<Void, Never>] = [:]
    /// What those tasks perform their waits with.
    private let services: WaitServices

    init(
        batch: Batch,
        range: Range<Int>,
        doorbell: Doorbell,
        stop: LoopStop,
        services: WaitServices,
        sink: (any UnitTimings.Sink)?
    ) {
        self.services = services
        count = range.count
        slab = batch.slab(first: range.lowerBound, count: range.count)
        self.doorbell = doorbell
        self.stop = stop
        mailbox = LoopMailbox(doorbell: doorbell)
        tracingSink = sink?.tracesSlices == true ? sink : nil
        reports = UnitReportBuffer(sink: sink)
        timers = LoopTimers(capacity: count)
        if tracingSink != nil {
            traces.reserveCapacity(count)
        } else if reports.isCollecting {
            starts.reserveCapacity(count)
        }
    }

    deinit {
        for task in elsewhere.values { task.cancel() }
    }

    /// Runs every unit of the share to its output; throws the first unit failure, or `CancellationError`
    /// when the phase is stopped from outside (another loop's failure, a cancelled run).
    @available(*, noasync, message: "Runs on an event loop thread.")
    mutating func run() throws -> [Unit.Output] {
        defer { reports.flush() }
        while finished < count {
            if stop.isRaised { throw CancellationError() }
            try resumeDue(at: Deadline.now.nanoseconds)
            try receiveDeliveries()
            if started < count {
                try startSlice()
                continue
            }
            guard finished < count else { break }
            // Every unit not finished is on a timer or away in a task: sleep until one is due or back.
            precondition(!timers.isEmpty || !elsewhere.isEmpty, "an event loop lost track of a unit")
            _ = doorbell.sleep(until: timers.first.map { Deadline(nanoseconds: $0.deadline) })
        }
        return slab.outputs()
    }

    /// Starts the next ``startSlice`` units.
    private mutating func startSlice() throws(UnitFailure) {
        lastReading = Deadline.now.nanoseconds
        for _ in 0..<min(Self.startSlice, count - started) {
            let slot = started
            started += 1
            if tracingSink != nil {
                traces.append(ParkedUnitTrace())
            } else if reports.isCollecting {
                starts.append(lastReading)
            }
            try advance(slot, starting: true)
        }
    }

    /// Resumes, in deadline order, every unit whose wait was due by `now` (monotonic nanoseconds).
    private mutating func resumeDue(at now: Int64) throws(UnitFailure) {
        lastReading = max(lastReading, now)
        while let timer = timers.popDue(at: now) {
            let slot = Int(timer.slot)
            if reports.isCollecting { reports.waited(beyondNanoseconds: lastReading - timer.deadline) }
            if tracingSink != nil { traces[slot].resumed() }
            if !failingWaits.isEmpty, let wait = failingWaits.removeValue(forKey: timer.slot),
                let failure = wait.failure(at: slab.coordinates(of: slot))
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
            if tracingSink != nil { traces[delivery.slot].resumed() }
            if let failure = delivery.failure { throw failure }
            try advance(delivery.slot)
        }
    }

    /// Makes (`starting`) or resumes the unit in `slot` and computes it up to its next wait, and parks it
    /// there; or counts it finished, its output kept by the slab.
    @inline(__always)
    private mutating func advance(_ slot: Int, starting: Bool = false) throws(UnitFailure) {
        let next: Wait?
        if tracingSink == nil {
            next = starting ? try slab.start(slot) : try slab.resume(slot)
        } else {
            // Only a trace times the computation: an optional instant in this generic code cost a twentieth of
            // an untraced loop's time.
            let computing = ContinuousClock.now
            next = starting ? try slab.start(slot) : try slab.resume(slot)
            traces[slot].computed(since: computing, thread: thread)
        }
        guard let wait = next else {
            finished += 1
            if reports.isCollecting { report(slot) }
            return
        }
        if tracingSink != nil { traces[slot].park(in: wait.step) }
        park(wait, slot: slot)
    }

    private mutating func report(_ slot: Int) {
        if let tracingSink {
            let trace = traces[slot]
            tracingSink.finished(slab.coordinates(of: slot), start: trace.start, end: .now, slices: trace.slices)
        } else {
            lastReading = Deadline.now.nanoseconds
            reports.finished(latencyNanoseconds: lastReading - starts[slot])
        }
    }

    @inline(__always)
    private mutating func park(_ wait: Wait, slot: Int) {
        guard case .io(_, let draw) = wait else { return performElsewhere(wait, slot: slot) }
        if draw.outcome != .completed { failingWaits[Int32(slot)] = wait }
        lastReading = Deadline.now.nanoseconds
        timers.insert(
            LoopTimer(deadline: deadlines.deadline(after: draw.duration, from: lastReading), slot: Int32(slot))
        )
    }

    /// A wait the loop cannot time (a socket, children, an actor, a blocking call): a task performs it
    /// and posts the unit back.
    private mutating func performElsewhere(_ wait: Wait, slot: Int) {
        let coordinates = slab.coordinates(of: slot)
        let mailbox = self.mailbox
        let services = self.services
        elsewhere[slot] = Task {
            do {
                try await wait.performSuspending(at: coordinates, using: services)
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
