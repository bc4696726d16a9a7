import ConlabCore
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

@Suite("Counter scenarios")
struct CounterScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    @Test("A counter workload loads; a protection conlab does not have is rejected")
    func loading() throws {
        let yaml = """
            name: counter
            workload: { kind: counter, workers: 5, increments: 100000, sync: lock }
            strategies: [serial, thread]
            """
        guard let workload = try loader.load(yaml: yaml, file: "c.yaml").workload as? CounterWorkload else {
            Issue.record("expected a counter workload")
            return
        }
        #expect(workload.workers == 5 && workload.increments == 100_000 && workload.sync == .lock)
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: yaml, file: "c.yaml", overrides: [ScenarioOverride("workload.sync=semaphore")!])
        }
        #expect(
            error.description.contains("workload.sync: expected one of none, lock, atomic, actor, found 'semaphore'")
        )
    }
}
