import ConlabCore
import ConlabToolkit

/// Runs one loop's share of a phase on the loop's thread: starts its units, parks each wait on a timer
/// (or hands it to a task, for waits that are not modelled I/O), and resumes units as their waits end,
/// until every unit has its output.
///
/// Units are started in slices of ``startSlice`` between turns of the timer heap, so that in a phase too
/// large to start within one wait the first units are resumed when due, not after the last one starts.
/// Units and outputs live in plain buffers rather than arrays: the driver is generic and not
/// specialised for the workload, and every array access would look up the array type's metadata.
/// While a trace is written, each unit's compute and wait slices are kept too (``ParkedUnitTrace``).
struct LoopDriver<Batch: UnitBatch>: ~Copyable {
    typealias Unit = Batch.Unit

    /// Units started per turn of the loop while some are still to start.
    static var startSlice: Int { 512 }

    private let batch: Batch
    private let first: Int
    private let count: Int
    private let doorbell: Doorbell
    private let stop: LoopStop
    private let mailbox: LoopMailbox
    /// The sink, when it traces: then each unit is reported with its instants, as a trace needs.
    private let tracingSink: (any UnitTimings.Sink)?
    private var reports: UnitReportBuffer

    /// The units started so far, in slots `0..<started`.
    private let units: UnsafeMutablePointer<Unit>
    private var started = 0
    /// The outputs, initialised where `hasOutput` says.
    private let outputs: UnsafeMutablePointer<Unit.Output>
    private var hasOutput: [Bool]
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
        self.batch = batch
        self.services = services
        first = range.lowerBound
        count = range.count
        self.doorbell = doorbell
        self.stop = stop
        mailbox = LoopMailbox(doorbell: doorbell)
        tracingSink = sink?.tracesSlices == true ? sink : nil
        reports = UnitReportBuffer(sink: sink)
        units = .allocate(capacity: count)
        outputs = .allocate(capacity: count)
        hasOutput = Array(repeating: false, count: count)
        timers = LoopTimers(capacity: count)
        if tracingSink != nil {
            traces.reserveCapacity(count)
        } else if reports.isCollecting {
            starts.reserveCapacity(count)
        }
    }

    deinit {
        for task in elsewhere.values { task.cancel() }
        units.deinitialize(count: started)
        units.deallocate()
        if finished == count {
            outputs.deinitialize(count: count)
        } else {
            for slot in 0..<count where hasOutput[slot] { (outputs + slot).deinitialize(count: 1) }
        }
        outputs.deallocate()
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
        return Array(UnsafeBufferPointer(start: outputs, count: count))
    }

    /// Starts the next ``startSlice`` units.
    private mutating func startSlice() throws(UnitFailure) {
        lastReading = Deadline.now.nanoseconds
        for _ in 0..<min(Self.startSlice, count - started) {
            let slot = started
            (units + slot).initialize(to: batch.unit(at: first + slot))
            started += 1
            if tracingSink != nil {
                traces.append(ParkedUnitTrace())
            } else if reports.isCollecting {
                starts.append(lastReading)
            }
            try advance(slot)
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
            if tracingSink != nil { traces[delivery.slot].resumed() }
            if let failure = delivery.failure { throw failure }
            try advance(delivery.slot)
        }
    }

    /// Computes the unit in `slot` up to its next wait, and parks it there; or keeps its output.
    @inline(__always)
    private mutating func advance(_ slot: Int) throws(UnitFailure) {
        let step: UnitStep<Unit.Output>
        if tracingSink == nil {
            step = try units[slot].step()
        } else {
            // Only a trace times the computation: an optional instant in this generic code cost a twentieth of
            // an untraced loop's time.
            let computing = ContinuousClock.now
            step = try units[slot].step()
            traces[slot].computed(since: computing, thread: thread)
        }
        switch consume step {
        case .finished(let output):
            (outputs + slot).initialize(to: output)
            hasOutput[slot] = true
            finished += 1
            if reports.isCollecting { report(slot) }
        case .wait(let wait):
            if tracingSink != nil { traces[slot].park(in: wait.step) }
            park(wait, slot: slot)
        }
    }

    private mutating func report(_ slot: Int) {
        if let tracingSink {
            let trace = traces[slot]
            tracingSink.finished(units[slot].coordinates, start: trace.start, end: .now, slices: trace.slices)
        } else {
            lastReading = Deadline.now.nanoseconds
            reports.finished(latencyNanoseconds: lastReading - starts[slot])
        }
    }

    @inline(__always)
    private mutating func park(_ wait: Wait, slot: Int) {
        guard case .io(_, let draw) = wait else { return performElsewhere(wait, slot: slot) }
        if draw.outcome != .completed { failingWaits[Int32(slot)] = wait }
        let now = Deadline.now
        lastReading = now.nanoseconds
        timers.insert(LoopTimer(deadline: (now + draw.duration).nanoseconds, slot: Int32(slot)))
    }

    /// A wait the loop cannot time (a socket, children, an actor, a blocking call): a task performs it
    /// and posts the unit back.
    private mutating func performElsewhere(_ wait: Wait, slot: Int) {
        let coordinates = units[slot].coordinates
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
