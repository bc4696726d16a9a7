public import ConlabCore
import Synchronization

/// Runs a pipeline the way item 55 builds it: a thread per stage worker, queues between the stages,
/// a sentinel per worker to stop them, and a source thread feeding the first queue.
///
/// The calling thread drains the last queue and records each delivery; it returns when every worker has
/// stopped, or throws the first unit failure (after letting the pipeline drain, so no thread is left).
public enum ThreadedPipeline {
    /// Runs `work` to completion on threads of its own, recording into `recorder`, waiting with `services`;
    /// each unit reports its timings to `unitTimings` (the session's ``StrategyContext/unitTimings``).
    @available(*, noasync, message: "Blocks the calling thread until the pipeline has drained.")
    public static func run<Work: PipelineWork>(
        _ work: Work,
        recorder: PipelineRecorder,
        services: WaitServices,
        cancellation: CancellationFlag? = nil,
        unitTimings: (any UnitTimings.Sink)?
    ) throws {
        try run(work, recorder: recorder, cancellation: cancellation) { stage, item, input throws(UnitFailure) in
            try work.unit(stage: stage, item: item, input: input).runBlocking(using: services, reportingTo: unitTimings)
        }
    }

    /// Runs `work` with `execute` computing each (stage, item, input) — locally, or in another process.
    @available(*, noasync, message: "Blocks the calling thread until the pipeline has drained.")
    public static func run<Work: PipelineWork>(
        _ work: Work,
        recorder: PipelineRecorder,
        cancellation: CancellationFlag? = nil,
        execute: @escaping @Sendable (_ stage: Int, _ item: Int, _ input: UInt64) throws(UnitFailure) -> UInt64
    ) throws {
        let stages = work.stages
        let queues = (0...stages.count).map { index in
            // The last queue is the sink's; it is never bounded, so the pipeline cannot back up into itself.
            StageQueue(discipline: work.discipline, capacity: index < stages.count ? work.buffer : nil)
        }
        let failure = FirstFailure()
        var threads: [OSThread] = []
        defer {
            for thread in threads { thread.join() }
            for (stage, queue) in queues.dropLast().enumerated() {
                recorder.depth(stage: stage, queue.maximumDepth)
                let checks = queue.checks
                recorder.polls(checks.all, empty: checks.empty)
            }
        }
        for (stage, spec) in stages.enumerated() {
            let remaining = Countdown(spec.workers)
            let input = queues[stage]
            let output = queues[stage + 1]
            let stopsForNext = stage + 1 < stages.count ? stages[stage + 1].workers : 1
            for number in 1...spec.workers {
                threads.append(
                    try OSThread.spawn(name: "conlab-\(spec.name.prefix(6))-\(number)") {
                        let clock = ContinuousClock()
                        // Summed here and recorded once: fifteen workers taking the recorder's lock for every
                        // item met on it (2.3 % of a 5-worker pipeline's samples in `Mutex._lockSlow`, perf).
                        var busy = Duration.zero
                        while case .item(let index, let value, let entered) = input.get() {
                            // After a failure the rest of the items pass through unprocessed, so every
                            // queue drains and every worker reaches its sentinel.
                            guard !failure.isSet, !(cancellation?.isRaised ?? false) else { continue }
                            let started = clock.now
                            do throws(UnitFailure) {
                                let next = try execute(stage, index, value)
                                busy += clock.now - started
                                output.put(.item(index: index, value: next, entered: entered))
                            } catch {
                                failure.record(error)
                            }
                        }
                        recorder.busy(stage: stage, busy)
                        // The last worker of a stage to stop passes one sentinel per worker of the next.
                        if remaining.countDown() {
                            for _ in 0..<stopsForNext { output.put(.stop) }
                        }
                    }
                )
            }
        }
        let firstStageWorkers = stages.first?.workers ?? 0
        threads.append(
            try OSThread.spawn(name: "conlab-source") {
                for item in 0..<work.itemCount where !(cancellation?.isRaised ?? false) {
                    queues[0].put(.item(index: item, value: work.source(item: item), entered: .now))
                }
                for _ in 0..<firstStageWorkers { queues[0].put(.stop) }
            }
        )
        while case .item(let index, let value, let entered) = queues[stages.count].get() {
            recorder.delivered(item: index, value: value, entered: entered)
        }
        if let failure = failure.value { throw failure }
        if cancellation?.isRaised ?? false { throw CancellationError() }
    }
}

/// A stage's input queue under either discipline.
private struct StageQueue: Sendable {
    private let blocking: BlockingQueue<PipelineEnvelope>?
    private let polling: PollingQueue<PipelineEnvelope>?

    init(discipline: QueueDiscipline, capacity: Int?) {
        switch discipline {
        case .blocking:
            blocking = BlockingQueue(capacity: capacity)
            polling = nil
        case .polling(let interval):
            blocking = nil
            polling = PollingQueue(capacity: capacity, interval: interval)
        }
    }

    @available(*, noasync)
    func put(_ envelope: PipelineEnvelope) {
        if let blocking { blocking.put(envelope) } else { polling!.put(envelope) }
    }

    @available(*, noasync)
    func get() -> PipelineEnvelope {
        if let blocking { return blocking.get() ?? .stop }
        return polling!.get()
    }

    var maximumDepth: Int { blocking?.maximumDepth ?? polling!.maximumDepth }

    var checks: (all: Int, empty: Int) { polling?.checks ?? (0, 0) }
}
