import ConlabCore
import ConlabToolkit
import DequeModule
import NIOCore

/// A pipeline run on one event loop: stage workers are state machines on the loop, the stages' bounded
/// buffers plain queues there, and every wait a task scheduled on the loop (item 55's threads and queues,
/// as a NIO server would run them: no thread per worker, no lock between the stages).
///
/// Confined to its loop like ``NIOPhaseShare``. A worker that finds its input queue empty waits in the
/// queue's line of takers (or, under the polling discipline, checks again after the interval, on a
/// scheduled task); one whose output queue is full waits in its line of putters, its envelope put in
/// when a taker makes room. Hand-offs go through `execute`, so that a long run of items whose units do
/// not wait unwinds the stack between items. A sentinel per worker stops the workers, as the seed's
/// `SENTINEL` does; after a unit fails, the workers drain their queues without running units, and the
/// first failure reaches the caller.
final class NIOPipelineRun<Work: PipelineWork> {
    /// Who put an envelope: the source of items, or a stage's worker.
    private enum Producer {
        case source
        case worker(Int)
    }

    /// One stage worker.
    private struct Worker {
        var stage: Int
        /// The unit it runs, with its item, and when the item entered the pipeline and this stage.
        var current: (unit: Work.Unit, item: Int, entered: ContinuousClock.Instant, started: ContinuousClock.Instant)?
        /// Sentinels it still has to put into the next stage's queue (the last of its stage to stop does).
        var stopsToSend = 0
        /// Its trace, while a trace is written.
        var trace: ParkedUnitTrace?
    }

    private let work: Work
    private let loop: any EventLoop
    private let promise: EventLoopPromise<Void>
    private let recorder: PipelineRecorder
    private let services: WaitServices
    private let tracingSink: (any UnitTimings.Sink)?
    private var reports: UnitReportBuffer
    private let thread = UnitTimings.currentThread
    private let stages: [PipelineStage]
    private let clock = ContinuousClock()

    private var queues: [Deque<PipelineEnvelope>]
    private var deepest: [Int]
    /// Per stage, the workers waiting for an item.
    private var takers: [Deque<Int>]
    /// Per stage, the producers waiting for room, with what they put.
    private var putters: [Deque<(producer: Producer, envelope: PipelineEnvelope)>]
    private var workers: [Worker] = []
    /// Per stage, its workers not yet stopped.
    private var running: [Int]
    /// Envelopes the source has put: items, then a sentinel per first-stage worker.
    private var sourced = 0
    private var polls = 0
    private var emptyPolls = 0
    private var failure: UnitFailure?
    /// Each worker's scheduled task (a wait, or a poll's interval), for cancelling it.
    private var scheduled: [Int: Scheduled<Void>] = [:]
    /// Tasks performing waits away from the loop, by worker.
    private var elsewhere: [Int: Task<Void, Never>] = [:]
    private var over = false

    /// A run of `work` on `loop`, fulfilling `promise`. Call on `loop`.
    init(
        work: Work,
        loop: any EventLoop,
        promise: EventLoopPromise<Void>,
        recorder: PipelineRecorder,
        services: WaitServices,
        sink: (any UnitTimings.Sink)?
    ) {
        self.work = work
        self.loop = loop
        self.promise = promise
        self.recorder = recorder
        self.services = services
        tracingSink = sink?.tracesSlices == true ? sink : nil
        reports = UnitReportBuffer(sink: sink)
        stages = work.stages
        queues = stages.map { _ in [] }
        deepest = stages.map { _ in 0 }
        takers = stages.map { _ in [] }
        putters = stages.map { _ in [] }
        running = stages.map(\.workers)
        for (stage, spec) in stages.enumerated() {
            for _ in 0..<spec.workers { workers.append(Worker(stage: stage)) }
        }
    }

    private var isolated: NIOIsolatedEventLoop { loop.assumeIsolatedUnsafeUnchecked() }

    /// Starts the workers and the source. Call on the loop; `halt()` stops the run.
    func start() {
        guard !stages.isEmpty else { return finish() }
        for worker in workers.indices { next(worker) }
        pump()
    }

    // MARK: Queues

    /// Puts `envelope` into `stage`'s queue for `producer`: `true` when it went in (or to a waiting
    /// worker); `false` when the queue is full and the producer waits for room.
    private func put(_ envelope: PipelineEnvelope, into stage: Int, by producer: Producer) -> Bool {
        if let taker = takers[stage].popFirst() {
            isolated.execute { self.take(envelope, worker: taker) }
            return true
        }
        if let capacity = work.buffer, queues[stage].count >= capacity {
            putters[stage].append((producer, envelope))
            return false
        }
        append(envelope, to: stage)
        return true
    }

    /// The next envelope in `stage`'s queue, letting the longest-waiting putter's envelope in.
    private func pop(from stage: Int) -> PipelineEnvelope? {
        guard let envelope = queues[stage].popFirst() else { return nil }
        if let putter = putters[stage].popFirst() {
            append(putter.envelope, to: stage)
            isolated.execute { self.admitted(putter.producer) }
        }
        return envelope
    }

    private func append(_ envelope: PipelineEnvelope, to stage: Int) {
        queues[stage].append(envelope)
        deepest[stage] = max(deepest[stage], queues[stage].count)
    }

    /// A producer that waited for room has had its envelope put in.
    private func admitted(_ producer: Producer) {
        guard !over else { return }
        switch producer {
        case .source:
            sourced += 1
            pump()
        case .worker(let worker):
            if workers[worker].stopsToSend > 0 {
                workers[worker].stopsToSend -= 1
                sendStops(worker)
            } else {
                next(worker)
            }
        }
    }

    // MARK: The source

    /// Puts the items, then a sentinel per first-stage worker, until the first queue is full.
    private func pump() {
        let total = work.itemCount + stages[0].workers
        while !over, sourced < total {
            let envelope: PipelineEnvelope =
                sourced < work.itemCount
                ? .item(index: sourced, value: work.source(item: sourced), entered: clock.now) : .stop
            guard put(envelope, into: 0, by: .source) else { return }
            sourced += 1
        }
    }

    // MARK: Workers

    /// The worker takes its next envelope, or waits for one.
    private func next(_ worker: Int) {
        guard !over else { return }
        let stage = workers[worker].stage
        switch work.discipline {
        case .blocking:
            guard let envelope = pop(from: stage) else { return takers[stage].append(worker) }
            take(envelope, worker: worker)
        case .polling(let interval):
            polls += 1
            guard let envelope = pop(from: stage) else {
                emptyPolls += 1
                scheduled[worker] = isolated.scheduleTask(in: .nanoseconds(interval.wholeNanoseconds)) {
                    self.scheduled[worker] = nil
                    self.next(worker)
                }
                return
            }
            take(envelope, worker: worker)
        }
    }

    /// The worker runs `envelope`'s item through its stage, or stops.
    private func take(_ envelope: PipelineEnvelope, worker: Int) {
        guard !over else { return }
        let stage = workers[worker].stage
        switch envelope {
        case .stop:
            running[stage] -= 1
            if stage + 1 < stages.count {
                if running[stage] == 0 {
                    workers[worker].stopsToSend = stages[stage + 1].workers
                    sendStops(worker)
                }
            } else if running[stage] == 0 {
                finish()
            }
        case .item(let item, let value, let entered):
            // After a failure the workers drain their queues without running units.
            guard failure == nil else { return isolated.execute { self.next(worker) } }
            let unit = work.unit(stage: stage, item: item, input: value)
            workers[worker].current = (unit, item, entered, clock.now)
            if tracingSink != nil { workers[worker].trace = ParkedUnitTrace() }
            advance(worker)
        }
    }

    /// The last worker of a stage to stop puts a sentinel per worker of the next stage.
    private func sendStops(_ worker: Int) {
        let stage = workers[worker].stage
        while !over, workers[worker].stopsToSend > 0 {
            guard put(.stop, into: stage + 1, by: .worker(worker)) else { return }
            workers[worker].stopsToSend -= 1
        }
    }

    /// Steps the worker's unit to its next wait, or hands its output on.
    private func advance(_ worker: Int) {
        guard let current = workers[worker].current else { return }
        let computing = tracingSink == nil ? nil : ContinuousClock.now
        let step: UnitStep<UInt64>
        do {
            step = try workers[worker].current!.unit.step()
        } catch {
            return failed(error, worker: worker)
        }
        if let computing { workers[worker].trace?.computed(since: computing, thread: thread) }
        switch step {
        case .finished(let output):
            let stage = workers[worker].stage
            recorder.busy(stage: stage, clock.now - current.started)
            report(worker, since: current.started)
            workers[worker].current = nil
            if stage + 1 < stages.count {
                let envelope = PipelineEnvelope.item(index: current.item, value: output, entered: current.entered)
                guard put(envelope, into: stage + 1, by: .worker(worker)) else { return }
            } else {
                recorder.delivered(item: current.item, value: output, entered: current.entered)
            }
            isolated.execute { self.next(worker) }
        case .wait(let wait):
            workers[worker].trace?.park(in: wait.step)
            park(wait, worker: worker)
        }
    }

    private func report(_ worker: Int, since started: ContinuousClock.Instant) {
        guard reports.isCollecting, let current = workers[worker].current else { return }
        if let tracingSink, let trace = workers[worker].trace {
            tracingSink.finished(current.unit.coordinates, start: trace.start, end: .now, slices: trace.slices)
        } else {
            reports.finished(latencyNanoseconds: (clock.now - started).wholeNanoseconds)
        }
    }

    /// Parks a modelled wait on a task scheduled for its deadline; hands any other wait to a task.
    private func park(_ wait: Wait, worker: Int) {
        guard case .io(_, let draw) = wait else { return performElsewhere(wait, worker: worker) }
        let due = (Deadline.now + draw.duration).nanoseconds
        scheduled[worker] = isolated.scheduleTask(deadline: .uptimeNanoseconds(UInt64(due))) {
            self.scheduled[worker] = nil
            self.resume(worker, after: wait, due: due)
        }
    }

    /// The worker's modelled wait, due at `due`, is over.
    private func resume(_ worker: Int, after wait: Wait, due: Int64) {
        guard !over, let current = workers[worker].current else { return }
        if reports.isCollecting { reports.waited(beyondNanoseconds: Deadline.now.nanoseconds - due) }
        workers[worker].trace?.resumed()
        if let failure = wait.failure(at: current.unit.coordinates) { return failed(failure, worker: worker) }
        advance(worker)
    }

    /// A wait the loop cannot time: a task of the cooperative pool performs it and hands the worker back.
    private func performElsewhere(_ wait: Wait, worker: Int) {
        guard let coordinates = workers[worker].current?.unit.coordinates else { return }
        let services = self.services
        let bound = NIOLoopBound(self, eventLoop: loop)
        elsewhere[worker] = NIOElsewhereWait.start(wait, at: coordinates, using: services) { failure in
            bound.eventLoop.execute { bound.value.delivered(worker: worker, failure: failure) }
        }
    }

    private func delivered(worker: Int, failure: UnitFailure?) {
        elsewhere[worker] = nil
        guard !over else { return }
        workers[worker].trace?.resumed()
        if let failure { return failed(failure, worker: worker) }
        advance(worker)
    }

    /// The worker's unit failed: the first failure is kept, the item dropped, and the worker goes on.
    private func failed(_ failure: UnitFailure, worker: Int) {
        if self.failure == nil { self.failure = failure }
        workers[worker].current = nil
        isolated.execute { self.next(worker) }
    }

    // MARK: Ending

    /// Every worker of the last stage has stopped: every item left the pipeline, or was dropped.
    private func finish() {
        guard !over else { return }
        over = true
        reports.flush()
        for (stage, depth) in deepest.enumerated() { recorder.depth(stage: stage, depth) }
        recorder.polls(polls, empty: emptyPolls)
        if let failure {
            promise.fail(failure)
        } else {
            promise.succeed()
        }
    }

    /// Stops the run: no worker goes on, its timers are cancelled, the tasks away cancelled.
    func halt() {
        guard !over else { return }
        over = true
        for task in scheduled.values { task.cancel() }
        scheduled.removeAll()
        for task in elsewhere.values { task.cancel() }
        elsewhere.removeAll()
        reports.flush()
        promise.fail(CancellationError())
    }
}
