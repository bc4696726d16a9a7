public import ConlabCore
import Synchronization

/// Runs a pipeline the way item 55 builds it: a thread per stage worker, queues between the stages,
/// a sentinel per worker to stop them, and a source thread feeding the first queue.
///
/// A worker of the last stage records each delivery itself, as item 55's last stage leaves its items in a
/// done queue that nobody waits on; the calling thread returns when every worker has stopped, or throws
/// the first unit failure (after letting the pipeline drain, so no thread is left).
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
        guard !stages.isEmpty else {
            // Nothing to pass through: each item leaves as its source made it.
            for item in 0..<work.itemCount {
                recorder.delivered(item: item, value: work.source(item: item), latency: .zero)
            }
            return
        }
        // A queue before each stage. None after the last: a thread draining one was woken for every item
        // (a thousand more wake-ups and context switches in a 1,000-item pipeline, on the same cores).
        let queues = stages.indices.map { _ in StageQueue(discipline: work.discipline, capacity: work.buffer) }
        let failure = FirstFailure()
        var threads: [OSThread] = []
        defer {
            for thread in threads { thread.join() }
            for (stage, queue) in queues.enumerated() {
                recorder.depth(stage: stage, queue.maximumDepth)
                let checks = queue.checks
                recorder.polls(checks.all, empty: checks.empty)
            }
        }
        for (stage, spec) in stages.enumerated() {
            let remaining = Countdown(spec.workers)
            let input = queues[stage]
            let output = stage + 1 < stages.count ? queues[stage + 1] : nil
            let stopsForNext = stage + 1 < stages.count ? stages[stage + 1].workers : 0
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
                                if let output {
                                    output.put(.item(index: index, value: next, entered: entered))
                                } else {
                                    recorder.delivered(item: index, value: next, entered: entered)
                                }
                            } catch {
                                failure.record(error)
                            }
                        }
                        recorder.busy(stage: stage, busy)
                        // The last worker of a stage to stop passes one sentinel per worker of the next.
                        if remaining.countDown(), let output {
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
        for thread in threads { thread.join() }
        threads = []
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
