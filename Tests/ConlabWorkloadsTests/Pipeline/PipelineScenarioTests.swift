import ConlabCore
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

@Suite("Pipeline scenarios")
struct PipelineScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    static let pipeline = """
        name: pipe
        workload:
          kind: pipeline
          items: 100
          workers: 2
          buffer: 4
          discipline: polling
          poll_interval: 5ms
          stages:
            - { name: download, latency: 1ms }
            - { name: resize, cpu: 200us, workers: 1 }
            - { name: upload, latency: { exponential: { mean: 2ms } }, failure_rate: 0.01, timeout: 50ms }
        strategies: [serial, thread, queue, pool, async]
        """

    @Test("Every field of a pipeline is read")
    func fields() throws {
        let scenario = try loader.load(yaml: Self.pipeline, file: "pipe.yaml")
        guard let spec = scenario.workload as? PipelineSpec else {
            Issue.record("expected a pipeline")
            return
        }
        #expect(spec.items == 100)
        #expect(spec.buffer == 4)
        #expect(spec.discipline == .polling(interval: .milliseconds(5)))
        #expect(
            spec.stages.map(\.stage) == [
                PipelineStage(name: "download", workers: 2), PipelineStage(name: "resize", workers: 1),
                PipelineStage(name: "upload", workers: 2),
            ]
        )
        #expect(spec.stages[1].io == nil && spec.stages[1].cpu == .microseconds(200))
        #expect(
            spec.stages[2].io
                == IOModel(latency: .exponential(mean: .milliseconds(2)), failureRate: 0.01, timeout: .milliseconds(50))
        )
        #expect(
            spec.summary
                == "100 items through download → resize → upload, workers 2/1/2, buffers of 4 polling every 5ms queues"
        )
    }

    @Test("Defaults: one worker, unbounded blocking queues")
    func defaults() throws {
        let scenario = try loader.load(
            yaml: Self.pipeline,
            file: "pipe.yaml",
            overrides: ["workload={ kind: pipeline, items: 10, stages: [{ name: a, latency: 1ms }] }"].map {
                ScenarioOverride($0)!
            }
        )
        guard let spec = scenario.workload as? PipelineSpec else { return }
        #expect(spec.buffer == nil && spec.discipline == .blocking && spec.stages[0].stage.workers == 1)
    }

    @Test(
        "Malformed pipelines are rejected with their key paths",
        arguments: [
            ("workload.discipline=spinning", "workload.discipline", "blocking or polling"),
            ("workload.buffer=0", "workload.buffer", "or unbounded"),
            ("workload.items=0", "workload.items", "a whole number from 1"),
            ("workload.stages=[]", "workload.stages", "at least one stage"),
            ("workload.stages.1={ name: resize }", "workload.stages.1", "'latency' and/or 'cpu'"),
            ("workload.stages.1={ name: download, latency: 1ms }", "workload.stages.1.name", "unique"),
            ("workload.stages.0.colour=red", "workload.stages.0.colour", "unknown key 'colour'"),
            (
                "workload.stages.1={ name: resize, cpu: 1ms, failure_rate: 0.5 }", "workload.stages.1.failure_rate",
                "expected 'latency'"
            ),
            ("workload.generations=4", "workload.generations", "unknown key 'generations'"),
        ]
    )
    func malformed(override: String, path: String, words: String) throws {
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: Self.pipeline, file: "pipe.yaml", overrides: [ScenarioOverride(override)!])
        }
        #expect(error.issues.contains { $0.path == path && $0.message.contains(words) }, "\(error)")
    }
}
