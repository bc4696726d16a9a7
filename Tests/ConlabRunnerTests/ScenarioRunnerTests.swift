import ConlabCore
import ConlabLog
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Foundation
import Testing

@testable import ConlabRunner

@Suite("Running scenarios against the reference")
struct ScenarioRunnerTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    private func scenario(_ extra: [String] = []) throws -> Scenario {
        let yaml = """
            name: runner-test
            seed: 4
            workload:
              kind: life
              rows: 6
              columns: 7
              generations: 3
              pattern: { random: { density: 0.35 } }
              io: { step: both, latency: { uniform: { min: 100us, max: 1ms } } }
            strategies: [serial, async]
            """
        return try loader.load(yaml: yaml, file: "runner.yaml", overrides: extra.map { ScenarioOverride($0)! })
    }

    private func events(_ run: (EventLog) async throws -> Void) async throws -> [LogRecord] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("log.jsonl").path
        try await run(try EventLog(.file(path)))
        return try LogReader.records(atPath: path)
    }

    @Test("Both strategies agree with the reference and the log records every phase and result")
    func correctRun() async throws {
        let scenario = try scenario()
        var report: ScenarioReport?
        let lines = try await events { log in
            report = await ScenarioRunner(events: [log], cores: 2, services: TestServices.shared).run(scenario)
        }
        let results = try #require(report).results
        #expect(results.map(\.strategy) == ["serial", "async"])
        #expect(results.allSatisfy { $0.correct && $0.outcome == .success && $0.phases == 3 })
        #expect(Set(results.compactMap(\.finalGridSHA256)) == [try #require(report?.referenceDigest)])
        #expect(report?.passed == true)
        // Every line declares conlab.v1 and its time, or the reader would have refused it.
        #expect(lines.allSatisfy { !$0.time.isEmpty })
        #expect(
            lines.map(\.event.name) == ["reference_frames"] + Array(repeating: "phase_finished", count: 3) + ["result"]
                + Array(repeating: "phase_finished", count: 3) + ["result"]
        )
        // Serial waits every unit in turn: its ideal is the sum of the waits; async's is the longest per phase.
        #expect(results[0].idealSeconds > results[1].idealSeconds * 10)
        #expect(results.allSatisfy { ($0.overheadRatio ?? 0) >= 0.99 })
    }

    @Test("A strategy whose grid differs is marked incorrect and fails the scenario")
    func incorrect() async throws {
        let scenario = try scenario()
        let liar = StrategySpec(strategy: try WrongStrategy(options: StrategyOptions()), location: .unknown)
        var report: ScenarioReport?
        _ = try await events { log in
            report = await ScenarioRunner(events: [log], cores: 2, services: TestServices.shared).run(
                scenario,
                strategies: [liar]
            )
        }
        let result = try #require(report?.results.first)
        #expect(result.outcome == .incorrect)
        #expect(result.correct == false)
        #expect(result.finalGridSHA256 == nil)
        #expect(result.error == "generation 0 differs from the serial reference")
        #expect(report?.passed == false)
    }

    @Test("A failing I/O call reaches the caller with its coordinates and is logged as unit_failed")
    func unitFailure() async throws {
        let scenario = try scenario(["workload.io.failure_rate=1"])
        var report: ScenarioReport?
        let lines = try await events { log in
            report = await ScenarioRunner(events: [log], cores: 2, services: TestServices.shared).run(scenario)
        }
        let results = try #require(report).results
        #expect(results.allSatisfy { $0.outcome == .unitFailure && $0.correct })
        #expect(results[0].error == "generation 0, cell (0, 0): I/O in count_neighbors failed")
        #expect(report?.referenceFailure?.coordinates.index == 0)
        #expect(report?.passed == false, "a failure the scenario did not expect fails the run")
        let failed = lines.compactMap(\.event.unitFailed)
        #expect(failed.count == 2)
        #expect(failed.first?.unit == "cell (0, 0)")
        #expect(failed.first?.step == "count_neighbors")
    }

    @Test("An expected failure passes")
    func expectedFailure() async throws {
        let scenario = try scenario(["workload.io.failure_rate=1", "expect.outcome=unit_failure"])
        var report: ScenarioReport?
        _ = try await events { log in
            report = await ScenarioRunner(events: [log], cores: 2, services: TestServices.shared).run(scenario)
        }
        #expect(report?.passed == true)
    }

    @Test("A wrong expected digest is reported against the reference")
    func wrongDigest() async throws {
        let scenario = try scenario(["expect.final_grid_sha256=" + String(repeating: "0", count: 64)])
        var report: ScenarioReport?
        _ = try await events { log in
            report = await ScenarioRunner(events: [log], cores: 2, services: TestServices.shared).run(scenario)
        }
        #expect(report?.problems.first?.hasPrefix("expected final_grid_sha256 0000") == true)
        #expect(report?.passed == false)
    }
}

@Suite("Repeated rounds")
struct RepeatTests {
    @Test("--repeat interleaves every strategy once per round in a seeded order; warm-ups are not kept")
    func rounds() async throws {
        let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)
        let scenario = try loader.load(
            yaml: """
                name: rounds
                workload: { kind: life, rows: 3, columns: 3, generations: 1, pattern: blinker }
                strategies: [serial, async, thread]
                """,
            file: "rounds.yaml"
        )
        let runner = ScenarioRunner(events: [], cores: 2, services: TestServices.shared, repeats: 4, warmups: 2)
        let schedule = runner.schedule(scenario.strategies, seed: scenario.seed)
        #expect(schedule.count == 3 * 6)
        #expect(schedule.prefix(6).allSatisfy { $0.round == 0 })
        for round in 1...4 {
            #expect(Set(schedule.filter { $0.round == round }.map(\.spec.name)) == ["serial", "async", "thread"])
        }
        let orders = Set((1...4).map { round in schedule.filter { $0.round == round }.map(\.spec.name) })
        #expect(orders.count > 1, "the order is shuffled from round to round")
        #expect(runner.schedule(scenario.strategies, seed: scenario.seed).map(\.spec.name) == schedule.map(\.spec.name))

        let report = await runner.run(scenario)
        #expect(report.results.count == 12)
        #expect(Set(report.results.map(\.repetition)) == [1, 2, 3, 4])
        #expect(report.passed)
    }
}
