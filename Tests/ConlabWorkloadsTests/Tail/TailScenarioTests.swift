import ConlabCore
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

@Suite("Tail scenarios")
struct TailScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    @Test("A tail workload loads; a missing poll is located and explained")
    func loading() throws {
        let yaml = """
            name: tail
            workload:
              kind: tail
              files: 3
              lines: 10
              pause: 1ms
              poll: 2ms
            strategies: [serial, async]
            """
        guard let workload = try loader.load(yaml: yaml, file: "t.yaml").workload as? TailWorkload else {
            Issue.record("expected a tail workload")
            return
        }
        #expect(workload.files == 3 && workload.lines == 10 && workload.poll == .milliseconds(2))
        #expect(workload.pause == .fixed(.milliseconds(1)) && workload.timeout == .seconds(60))
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: yaml.replacing("  poll: 2ms\n", with: ""), file: "t.yaml")
        }
        #expect(error.description.contains("t.yaml:3:3: workload.poll: missing required key 'poll' (a tailer's pause"))
    }
}
