import ConlabCore
import ConlabLatency
import ConlabScenario
import Foundation
import StrategyDispatch
import Testing
import WorkloadFetch

@Suite("The fetch workload")
struct FetchWorkloadTests {
    let loader = ScenarioLoader(
        registry: StrategyRegistry([DispatchStrategy.self]),
        workloads: WorkloadRegistry([FetchWorkload.self])
    )

    private func yaml(_ workload: String) -> String {
        "name: fetch\nworkload:\n  kind: fetch\n\(workload)\nstrategies: [dispatch]\n"
    }

    @Test("conlab's loader reads `kind: fetch` with this package's reader")
    func reads() throws {
        let scenario = try loader.load(yaml: yaml("  pages: 4\n  rounds: 2\n  io: { latency: 5ms }"), file: "f.yaml")
        let workload = try #require(scenario.workload as? FetchWorkload)
        #expect(workload.pages == 4 && workload.rounds == 2)
        #expect(scenario.workload.summary(seed: scenario.seed) == "4 pages × 2 rounds, fixed 5ms each; seed 1")
    }

    @Test("Its problems carry their place in the file, as conlab's own kinds' do")
    func problems() {
        do {
            _ = try loader.load(yaml: yaml("  pages: 0\n  io: { latency: 5ms, color: red }"), file: "f.yaml")
            Issue.record("a bad fetch workload was accepted")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "f.yaml:4:10: workload.pages: expected a whole number from 1 to 100000, found '0'",
                    "f.yaml:5:23: workload.io.color: unknown key 'color'; expected one of 'latency', 'failure_rate', "
                        + "'timeout'",
                ]
            )
        }
    }

    @Test("A round decoded in another process computes what it computes here")
    func portable() throws {
        let workload = FetchWorkload(
            pages: 5,
            rounds: 1,
            io: IOModel(latency: .fixed(.milliseconds(1))),
            random: CounterRandom(seed: 3)
        )
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let decoded = try JSONDecoder().decode(FetchBatch.self, from: try JSONEncoder().encode(batch))
        let here = try (0..<batch.count).map { try batch.unit(at: $0).runInstantly().result.get() }
        let there = try (0..<decoded.count).map { try decoded.unit(at: $0).runInstantly().result.get() }
        #expect(here == there)
        #expect(Set(here).count == 5)
    }
}
