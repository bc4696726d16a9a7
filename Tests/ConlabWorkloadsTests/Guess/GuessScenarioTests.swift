import ConlabCore
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

@Suite("Guessing-game scenarios")
struct GuessScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    @Test("A guess workload loads with the seed's defaults; a bad server or count is located and explained")
    func loading() throws {
        let yaml = """
            name: guess
            workload:
              kind: guess
              server: async
            strategies: [serial, async]
            """
        guard let workload = try loader.load(yaml: yaml, file: "g.yaml").workload as? GuessWorkload else {
            Issue.record("expected a guess workload")
            return
        }
        #expect(workload.server == .async && workload.clients == 1 && workload.sessions == 2)
        #expect(!workload.badPeers && workload.timeout == .seconds(5))
        let server = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: yaml.replacing("server: async", with: "server: forked"), file: "g.yaml")
        }
        #expect(
            server.description.contains("g.yaml:4:11: workload.server: expected one of threaded, async, found 'forked'")
        )
        let clients = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: yaml, file: "g.yaml", overrides: [ScenarioOverride("workload.clients=0")!])
        }
        #expect(clients.description.contains("workload.clients"))
    }
}
