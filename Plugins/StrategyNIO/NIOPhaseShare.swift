import ConlabCore
import ConlabToolkit
import NIOCore

/// One event loop's share of a phase: it starts its units on the loop, parks each modelled wait on a task
/// scheduled for the wait's deadline, and resumes the unit from that task, until every unit has its
/// output; then it fulfils its promise.
///
/// Confined to its loop: every method runs there (scheduled tasks and `execute` hops), so its state needs
/// no lock, and the isolated loop API (`assumeIsolatedUnsafeUnchecked()`) takes its non-`Sendable`
/// closures. Units are started in slices of ``startSlice``, each slice a task of its own, so that in a
/// phase too large to start within one wait the first units are resumed when due, not after the last
/// one starts. Units and outputs live in plain buffers rather than arrays: the share is generic and not
/// specialised for the workload, and every array access would look up the array type's metadata.
final class NIOPhaseShare<Batch: UnitBatch> {
    typealias Unit = Batch.Unit

    /// Units started per task while some are still to start.
    static var startSlice: Int { 512 }
    /// Pending timers cancelled one by one when the share halts; past this many, they are left to fire
    /// as no-ops instead: NIO finds each cancelled task in its timer heap by a linear search, so cancelling
    /// all of a million would cost the square.
    static var cancellationLimit: Int { 4096 }

    private let loop: any EventLoop
    private let batch: Batch
    private let first: Int
    private let count: Int
    private let promise: EventLoopPromise<[Unit.Output]>
    private let stop: NIOPhaseStop
    /// What the waits performed away from the loop are performed with.
    private let services: WaitServices
    /// The sink, when it traces: then each unit is reported with its slices, as a trace needs.
    private let tracingSink: (any UnitTimings.Sink)?
    private var reports: UnitReportBuffer

    /// The units started so far, in slots `0..<started`.
    private let units: UnsafeMutablePointer<Unit>
    private var started = 0
    /// The outputs, initialised where `hasOutput` says.
    private let outputs: UnsafeMutablePointer<Unit.Output>
    private var hasOutput: [Bool]
    private var finished = 0
    /// When each unit started, in monotonic nanoseconds; kept only while untraced reports are collected.
    private var starts: [Int64] = []
    /// Each unit's slices, kept only while a trace is written, and the loop thread's kernel id for them.
    private var traces: [ParkedUnitTrace] = []
    private let thread = UnitTimings.currentThread
    /// Whether waits are scheduled callbacks (`scheduleCallback(at:handler:)`) rather than tasks.
    private let callbacks: Bool
    /// Each parked unit's scheduled task, by slot, for cancelling it (tasks only).
    private var scheduled: [Scheduled<Void>?]
    /// Each parked unit's scheduled callback's id, by slot, for cancelling it (callbacks only): the id
    /// alone, not the handle, which would hold the loop again for every unit.
    private var callbackIDs: [UInt64?]
    /// Units parked on a scheduled task now.
    private var parked = 0
    /// The modelled waits that end in a failure, by slot: rare, so not carried in every task.
    private var failingWaits: [Int: Wait] = [:]
    /// Tasks performing waits away from the loop, by slot.
    private var elsewhere: [Int: Task<Void, Never>] = [:]
    /// The promise is fulfilled: every unit finished, or the share halted. Nothing resumes after.
    private var over = false

    /// A share of `range` of `batch` on `loop`, fulfilling `promise`. Call on `loop`.
    init(
        batch: Batch,
        range: Range<Int>,
        loop: any EventLoop,
        promise: EventLoopPromise<[Unit.Output]>,
        stop: NIOPhaseStop,
        callbacks: Bool,
        services: WaitServices,
        sink: (any UnitTimings.Sink)?
    ) {
        self.callbacks = callbacks
        self.batch = batch
        first = range.lowerBound
        count = range.count
        self.loop = loop
        self.promise = promise
        self.stop = stop
        self.services = services
        tracingSink = sink?.tracesSlices == true ? sink : nil
        reports = UnitReportBuffer(sink: sink)
        units = .allocate(capacity: count)
        outputs = .allocate(capacity: count)
        hasOutput = Array(repeating: false, count: count)
        scheduled = callbacks ? [] : Array(repeating: nil, count: count)
        callbackIDs = callbacks ? Array(repeating: nil, count: count) : []
        if tracingSink != nil {
            traces.reserveCapacity(count)
        } else if reports.isCollecting {
            starts.reserveCapacity(count)
        }
    }

    deinit {
        units.deinitialize(count: started)
        units.deallocate()
        if finished == count {
            outputs.deinitialize(count: count)
        } else {
            for slot in 0..<count where hasOutput[slot] { (outputs + slot).deinitialize(count: 1) }
        }
        outputs.deallocate()
    }

    /// Registers the share with the phase's stop and starts its first units. Call on the loop.
    func start() {
        let bound = NIOLoopBound(self, eventLoop: loop)
        stop.onRaise { bound.eventLoop.execute { bound.value.halt() } }
        startSlice()
    }

    /// Starts the next ``startSlice`` units, and queues the slice after it behind the tasks now due.
    private func startSlice() {
        guard !over, !stop.isRaised else { return }
        do {
            for _ in 0..<min(Self.startSlice, count - started) {
                let slot = started
                (units + slot).initialize(to: batch.unit(at: first + slot))
                started += 1
                if tracingSink != nil {
                    traces.append(ParkedUnitTrace())
                } else if reports.isCollecting {
                    starts.append(Deadline.now.nanoseconds)
                }
                try advance(slot)
                if over { return }
            }
        } catch {
            return fail(error)
        }
        if started < count { loop.assumeIsolatedUnsafeUnchecked().execute { self.startSlice() } }
    }

    /// Computes the unit in `slot` up to its next wait, and parks it there; or keeps its output.
    @inline(__always)
    private func advance(_ slot: Int) throws(UnitFailure) {
        let computing = tracingSink == nil ? nil : ContinuousClock.now
        let step = try units[slot].step()
        if let computing { traces[slot].computed(since: computing, thread: thread) }
        switch step {
        case .finished(let output):
            (outputs + slot).initialize(to: output)
            hasOutput[slot] = true
            finished += 1
            if reports.isCollecting { report(slot) }
            if finished == count { complete() }
        case .wait(let wait):
            if tracingSink != nil { traces[slot].park(in: wait.step) }
            park(wait, slot: slot)
        }
    }

    private func report(_ slot: Int) {
        if let tracingSink {
            let trace = traces[slot]
            tracingSink.finished(units[slot].coordinates, start: trace.start, end: .now, slices: trace.slices)
        } else {
            reports.finished(latencyNanoseconds: Deadline.now.nanoseconds - starts[slot])
        }
    }

    /// Parks a modelled wait on a task scheduled for its deadline; hands any other wait to a task.
    @inline(__always)
    private func park(_ wait: Wait, slot: Int) {
        guard case .io(_, let draw) = wait else { return performElsewhere(wait, slot: slot) }
        if draw.outcome != .completed { failingWaits[slot] = wait }
        let due = (Deadline.now + draw.duration).nanoseconds
        parked += 1
        let deadline = NIODeadline.uptimeNanoseconds(UInt64(due))
        guard callbacks else {
            scheduled[slot] = loop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) {
                self.resume(slot, due: due)
            }
            return
        }
        do {
            let handler = NIOResumeCallback(share: self, slot: slot, due: due)
            callbackIDs[slot] = try loop.assumeIsolatedUnsafeUnchecked().scheduleCallback(
                at: deadline,
                handler: handler
            )
            .customCallbackID
        } catch {
            // The loop is shutting down: the session is being closed under the phase.
            fail(UnitFailure(coordinates: units[slot].coordinates, step: wait.step, reason: .error("\(error)")))
        }
    }

    /// The scheduled task or callback of the unit in `slot`: its wait, due at `due`, is over.
    func resume(_ slot: Int, due: Int64) {
        if callbacks { callbackIDs[slot] = nil } else { scheduled[slot] = nil }
        parked -= 1
        guard !over, !stop.isRaised else { return }
        if reports.isCollecting { reports.waited(beyondNanoseconds: Deadline.now.nanoseconds - due) }
        if tracingSink != nil { traces[slot].resumed() }
        if !failingWaits.isEmpty, let wait = failingWaits.removeValue(forKey: slot),
            let failure = wait.failure(at: units[slot].coordinates)
        {
            return fail(failure)
        }
        do {
            try advance(slot)
        } catch {
            fail(error)
        }
    }

    /// A wait the loop cannot time (children, a blocking call, sockets, an actor): a task of the
    /// cooperative pool performs it and hands the unit back to the loop.
    private func performElsewhere(_ wait: Wait, slot: Int) {
        let coordinates = units[slot].coordinates
        let services = self.services
        let bound = NIOLoopBound(self, eventLoop: loop)
        elsewhere[slot] = NIOElsewhereWait.start(wait, at: coordinates, using: services) { failure in
            bound.eventLoop.execute { bound.value.delivered(slot: slot, failure: failure) }
        }
    }

    /// The task performing the wait of the unit in `slot` is done.
    private func delivered(slot: Int, failure: UnitFailure?) {
        elsewhere[slot] = nil
        guard !over, !stop.isRaised else { return }
        if tracingSink != nil { traces[slot].resumed() }
        if let failure { return fail(failure) }
        do {
            try advance(slot)
        } catch {
            fail(error)
        }
    }

    /// Every unit has its output.
    private func complete() {
        over = true
        reports.flush()
        promise.succeed(Array(UnsafeBufferPointer(start: outputs, count: count)))
    }

    /// A unit failed: the phase stops on every loop, this one first.
    private func fail(_ failure: UnitFailure) {
        stop.raise(.failed(failure))
        halt()
    }

    /// Stops the share: no unit resumes, the timers pending are cancelled, the tasks away cancelled.
    func halt() {
        guard !over else { return }
        over = true
        if parked <= Self.cancellationLimit {
            for slot in 0..<started {
                if callbacks {
                    if let id = callbackIDs[slot] { NIOScheduledCallback(loop, id: id).cancel() }
                    callbackIDs[slot] = nil
                } else if let task = scheduled[slot] {
                    task.cancel()
                    scheduled[slot] = nil
                }
            }
        }
        for task in elsewhere.values { task.cancel() }
        elsewhere.removeAll()
        reports.flush()
        promise.fail(CancellationError())
    }
}
