import ConlabCore
import ConlabLog
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Testing

@testable import ConlabRunner

@Suite("A large reference keeps digests, not states")
struct ReferenceDigestsTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    private func scenario() throws -> Scenario {
        try loader.load(
            yaml: """
                name: digests
                seed: 8
                workload:
                  kind: life
                  rows: 9
                  columns: 11
                  generations: 4
                  pattern: { random: { density: 0.35 } }
                  io: { step: game_logic, latency: { uniform: { min: 100us, max: 500us } } }
                strategies: [serial, async, loop]
                """,
            file: "digests.yaml"
        )
    }

    @Test("Past its budget the reference keeps the first state and a digest of each, equal to the kept states'")
    func digests() throws {
        let grid = LifePattern.random(density: 0.35).grid(rows: 9, columns: 11, seed: 8)
        let workload = LifeWorkload(initial: grid, generations: 4, io: .none(seed: 8))
        let kept = ReferenceRun(workload)
        let digested = ReferenceRun(workload, stateBudget: 0)
        #expect(kept.keepsEveryState && kept.states.count == 5)
        #expect(!digested.keepsEveryState && digested.states.count == 1 && digested.digests.count == 5)
        #expect(digested.digests == kept.states.map(workload.digest))
        #expect(digested.finalDigest(of: workload) == kept.finalDigest(of: workload))
        #expect(digested.profiles == kept.profiles)
        for phase in 0..<4 {
            #expect(digested.matches(kept.states[phase + 1], afterPhase: phase, of: workload))
            #expect(!digested.matches(kept.states[phase], afterPhase: phase, of: workload))
        }
    }

    @Test("Strategies checked against digests pass, and a wrong one fails with the same words as against states")
    func checked() async throws {
        let scenario = try scenario()
        var runner = ScenarioRunner(events: [], cores: 2, services: TestServices.shared)
        let liar = StrategySpec(strategy: try WrongStrategy(options: StrategyOptions()), location: .unknown)
        let kept = await runner.run(scenario, strategies: scenario.strategies + [liar])
        runner.referenceStateBudget = 0
        let digested = await runner.run(scenario, strategies: scenario.strategies + [liar])
        #expect(digested.referenceDigest == kept.referenceDigest)
        let byLabel = Dictionary(uniqueKeysWithValues: digested.results.map { ($0.label, $0) })
        let keptByLabel = Dictionary(uniqueKeysWithValues: kept.results.map { ($0.label, $0) })
        #expect(byLabel.mapValues(\.correct) == ["serial": true, "async": true, "loop": true, "wrong": false])
        #expect(byLabel.mapValues(\.finalGridSHA256) == keptByLabel.mapValues(\.finalGridSHA256))
        #expect(byLabel["wrong"]?.error == keptByLabel["wrong"]?.error)
        #expect(byLabel["wrong"]?.error?.isEmpty == false)
    }

    @Test("A failing unit is judged against the phase it started from when the reference kept only digests")
    func failure() async throws {
        let scenario = try loader.load(
            yaml: """
                name: digests-failing
                seed: 3
                workload:
                  kind: life
                  rows: 6
                  columns: 6
                  generations: 3
                  pattern: { random: { density: 0.35 } }
                  io: { step: game_logic, latency: 1ms, failure_rate: 0.01 }
                strategies: [serial, loop]
                """,
            file: "digests-failing.yaml"
        )
        var runner = ScenarioRunner(events: [], cores: 2, services: TestServices.shared)
        runner.referenceStateBudget = 0
        let report = await runner.run(scenario)
        // Seed 3's first failing cell is in generation 2: the phase started from a state only the strategy kept.
        #expect(report.referenceFailure?.coordinates.phase == 2)
        #expect(
            report.results.allSatisfy { $0.outcome == .unitFailure && $0.correct },
            "\(report.results.map(\.error))"
        )
    }
}
