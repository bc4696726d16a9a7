import ConlabCore
import ConlabLog
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Foundation
import Testing

@testable import ConlabRunner

/// A time below its physical floor is an invalid measurement: never a pass, never a speed-up.
@Suite("Measurements below the ideal floor")
struct MeasurementFloorTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    static let strategies = ["serial", "thread", "queue", "pool", "async", "loop", "process"]

    @Test("A strategy made to skip its waits finishes below its floor and is reported invalid", arguments: strategies)
    func skippedWaitsInvalid(name: String) async throws {
        // 10 s waits: the floor is at least 20 s for any strategy; the skipped run takes milliseconds alone and
        // still well under the floor on a machine loaded by every other test.
        let yaml = """
            name: floor
            seed: 3
            workload:
              kind: life
              rows: 5
              columns: 9
              generations: 2
              pattern: glider
              io: { step: game_logic, latency: 10s }
            strategies: [\(name)]
            """
        let scenario = try loader.load(yaml: yaml, file: "floor.yaml")
        let real = try #require(scenario.strategies.first).strategy
        let skipping = StrategySpec(strategy: SkippingStrategy(wrapping: real), location: .unknown)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("log.jsonl").path
        let report = await ScenarioRunner(events: [try EventLog(.file(path))], cores: 2, services: TestServices.shared)
            .run(
                scenario,
                strategies: [skipping]
            )
        let result = try #require(report.results.first)
        #expect(result.idealSeconds >= 19.9, "\(result.idealSeconds)")
        #expect(
            result.phaseSeconds.reduce(0, +) < result.idealSeconds / 2,
            "\(result.phaseSeconds) of \(result.idealSeconds)"
        )
        let problem = try #require(result.invalidMeasurement)
        #expect(problem.contains("below its ideal floor"), "\(problem)")
        #expect(result.correct == false)
        #expect(result.overheadRatio == nil)
        #expect(report.passes(result) == false)
        #expect(SummaryTable.render(report).contains("INVALID"))
        let logged = try #require(try LogFile.results(at: path).first)
        #expect(logged.invalidMeasurement == problem)
        #expect(logged.correct == false)
        #expect(logged.overheadRatio == nil)
    }

    @Test("The tolerance: 1 ms plus 0.1 % below the floor still counts, more does not")
    func tolerance() {
        #expect(MeasurementFloor.problem(wallSeconds: 9.99, idealSeconds: 10) == nil)
        #expect(MeasurementFloor.problem(wallSeconds: 9.98, idealSeconds: 10) != nil)
        #expect(MeasurementFloor.problem(wallSeconds: 0.0005, idealSeconds: 0.001) == nil)
        #expect(MeasurementFloor.problem(wallSeconds: 0.003, idealSeconds: 1.66e12) != nil)
        #expect(MeasurementFloor.problem(wallSeconds: 0, idealSeconds: 0) == nil)
    }
}
