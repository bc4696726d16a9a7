import ConlabCore
import ConlabIO
import ConlabLatency
public import ConlabWorkloads

/// Pipelines, for strategies that run them: every item delivered once with the reference's values, in order
/// with one worker per stage, buffers held to their bound, and a failing stage reaching the caller.
extension StrategyConformance {
    /// Pipelines small enough for a unit test: orders kept, bounded buffers, polling, several workers.
    public static func referencePipelines() -> [(String, PipelineWorkload)] {
        let io = IOModel(latency: .uniform(min: .microseconds(50), max: .microseconds(400)))
        func stages(_ workers: [Int]) -> [PipelineWorkload.StageWork] {
            workers.enumerated().map { index, count in
                .init(stage: PipelineStage(name: "stage\(index)", workers: count), io: io)
            }
        }
        let random = CounterRandom(seed: 5)
        return [
            (
                "one worker per stage",
                PipelineWorkload(
                    itemCount: 60,
                    work: stages([1, 1, 1]),
                    buffer: nil,
                    discipline: .blocking,
                    random: random
                )
            ),
            (
                "several workers, buffers of 1",
                PipelineWorkload(
                    itemCount: 80,
                    work: stages([2, 3, 1]),
                    buffer: 1,
                    discipline: .blocking,
                    random: random
                )
            ),
            (
                "polling",
                PipelineWorkload(
                    itemCount: 40,
                    work: stages([1, 2]),
                    buffer: nil,
                    discipline: .polling(interval: .microseconds(200)),
                    random: random
                )
            ),
            (
                "CPU only",
                PipelineWorkload(
                    itemCount: 20,
                    work: [.init(stage: PipelineStage(name: "cpu", workers: 2), io: nil, cpu: .microseconds(50))],
                    buffer: 2,
                    discipline: .blocking,
                    random: random
                )
            ),
        ]
    }

    static func pipelineProblems(
        of strategy: any Strategy,
        workerExecutable: String,
        services: WaitServices
    ) async -> [String] {
        var problems: [String] = []
        let label = strategy.label
        for (name, work) in referencePipelines() {
            let expected = (0..<work.itemCount).map { item in
                work.stages.indices.reduce(work.source(item: item)) { value, stage in
                    try! work.unit(stage: stage, item: item, input: value).runInstantly().result.get()
                }
            }
            let recorder = PipelineRecorder(items: work.itemCount, stages: work.stages.count)
            do {
                let session = try await strategy.makeSession(
                    context: StrategyContext(
                        seed: 5,
                        cores: 2,
                        plan: WorkPlan(phases: 1, largestPhase: 6),
                        workerExecutable: workerExecutable,
                        services: services
                    )
                )
                try await closing(session) { try await $0.runPipeline(work, recorder: recorder) }
            } catch {
                problems.append("\(label) on pipeline '\(name)': unexpected error \(error)")
                continue
            }
            let recorded = recorder.snapshot
            if recorded.deliveries != Array(repeating: 1, count: work.itemCount) {
                problems.append("\(label) on pipeline '\(name)': items in ≠ items out \(recorded.deliveries)")
            }
            if recorded.values != expected.map(Optional.some) {
                problems.append("\(label) on pipeline '\(name)': values differ from the reference")
            }
            if work.keepsOrder && recorded.order != Array(0..<work.itemCount) {
                problems.append("\(label) on pipeline '\(name)': one worker per stage, yet items left out of order")
            }
            if let buffer = work.buffer, let deepest = recorded.maximumDepths.max(), deepest > buffer,
                type(of: strategy).boundsPipelineBuffers
            {
                problems.append("\(label) on pipeline '\(name)': a buffer of \(buffer) held \(deepest)")
            }
        }
        // A failing stage must reach the caller, and the pipeline must drain rather than hang.
        let failing = PipelineWorkload(
            itemCount: 30,
            work: [
                .init(
                    stage: PipelineStage(name: "fetch", workers: 2),
                    io: IOModel(latency: .fixed(.microseconds(100)))
                ),
                .init(
                    stage: PipelineStage(name: "store", workers: 1),
                    io: IOModel(latency: .fixed(.microseconds(100)), failureRate: 0.2)
                ),
            ],
            buffer: 1,
            discipline: .blocking,
            random: CounterRandom(seed: 8)
        )
        do {
            let session = try await strategy.makeSession(
                context: StrategyContext(
                    seed: 8,
                    cores: 2,
                    plan: WorkPlan(phases: 1, largestPhase: 3),
                    workerExecutable: workerExecutable,
                    services: services
                )
            )
            do {
                try await closing(session) {
                    try await $0.runPipeline(failing, recorder: PipelineRecorder(items: 30, stages: 2))
                }
                problems.append("\(label): a failing pipeline stage never reached the caller")
            } catch let failure as UnitFailure {
                if failure.step != "store" { problems.append("\(label): pipeline failure blamed \(failure)") }
            }
        } catch {
            problems.append("\(label): failing pipeline: unexpected error \(error)")
        }
        return problems
    }
}
