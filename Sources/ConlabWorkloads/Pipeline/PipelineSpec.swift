public import ConlabCore
import ConlabLatency
public import ConlabScenario

/// A pipeline workload as written in a scenario (`kind: pipeline`).
public struct PipelineSpec: ScenarioWorkload {
    /// `pipeline`.
    public static let kind = "pipeline"
    /// A pipeline, portable to worker processes.
    public static let traits = WorkloadTraits.pipeline(PipelineWorkload.self)
    /// The pipeline itself.
    public static let portablePipelines: [any PortablePipeline.Type] = [PipelineWorkload.self]
    /// A pipeline's pace is its throughput.
    public static let paceColumn = "items/s"

    /// Items entering the pipeline.
    public var items: Int
    /// The stages' work.
    public var stages: [PipelineWorkload.StageWork]
    /// Each stage's input queue capacity; `nil` for unbounded.
    public var buffer: Int?
    /// How workers wait for input.
    public var discipline: QueueDiscipline

    /// Creates a workload as a scenario describes it.
    public init(items: Int, stages: [PipelineWorkload.StageWork], buffer: Int?, discipline: QueueDiscipline) {
        self.items = items
        self.stages = stages
        self.buffer = buffer
        self.discipline = discipline
    }

    /// The runnable workload for `seed`.
    public func workload(seed: UInt64) -> PipelineWorkload {
        PipelineWorkload(
            itemCount: items,
            work: stages,
            buffer: buffer,
            discipline: discipline,
            random: CounterRandom(seed: seed)
        )
    }

    /// ``workload(seed:)``.
    public func runnable(seed: UInt64) -> RunnableWorkload { .pipeline(workload(seed: seed)) }

    /// Stages start no process.
    public var childDemand: ChildDemand { .none }

    /// `1000 items through download → resize → upload, 1 worker each, unbounded blocking queues`.
    public var summary: String {
        let names = stages.map(\.stage.name).joined(separator: " → ")
        let workers =
            Set(stages.map(\.stage.workers)).count == 1
            ? "\(stages[0].stage.workers) worker\(stages[0].stage.workers == 1 ? "" : "s") each"
            : "workers " + stages.map { String($0.stage.workers) }.joined(separator: "/")
        let queue: String
        switch discipline {
        case .blocking: queue = "blocking"
        case .polling(let interval): queue = "polling every \(DurationFormat.short(interval))"
        }
        return
            "\(items) items through \(names), \(workers), \(buffer.map { "buffers of \($0)" } ?? "unbounded") \(queue) queues"
    }

    /// ``summary`` and the seed.
    public func summary(seed: UInt64) -> String { "\(summary); seed \(seed)" }
}
