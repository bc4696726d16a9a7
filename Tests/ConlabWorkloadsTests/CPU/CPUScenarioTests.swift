import ConlabCore
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

@Suite("CPU scenarios")
struct CPUScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    @Test("factorize and gcd workloads load, and malformed ones are rejected")
    func loading() throws {
        let yaml = """
            name: cpu
            workload: { kind: cpu, task: gcd, numbers: [[12, 18], [7, 5]], rounds: 2 }
            strategies: [serial, thread]
            """
        let scenario = try loader.load(yaml: yaml, file: "cpu.yaml")
        guard let workload = scenario.workload as? CPUWorkload else {
            Issue.record("expected a CPU workload")
            return
        }
        #expect(workload.tasks == [.gcd(12, 18), .gcd(7, 5)])
        #expect(workload.rounds == 2)
        for (override, path) in [
            ("workload.task=sort", "workload.task"), ("workload.numbers.1=[7]", "workload.numbers.1"),
            ("workload.rounds=0", "workload.rounds"), ("workload.numbers=[]", "workload.numbers"),
        ] {
            let error = try #require(throws: ScenarioError.self) {
                try loader.load(yaml: yaml, file: "cpu.yaml", overrides: [ScenarioOverride(override)!])
            }
            #expect(error.issues.contains { $0.path == path }, "\(override): \(error)")
        }
    }
}
