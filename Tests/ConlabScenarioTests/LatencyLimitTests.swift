import ConlabCore
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Foundation
import Testing

/// Latencies beyond the longest conlab models are refused where they are written, with the limit named.
@Suite("The latency limit")
struct LatencyLimitTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    static func scenario(latency: String) -> String {
        """
        name: limit
        workload:
          kind: life
          rows: 5
          columns: 9
          generations: 2
          pattern: glider
          io:
            step: game_logic
            latency: \(latency)
        strategies: [loop]
        """
    }

    @Test(
        "A latency model with a duration above 1000h is refused at its position",
        arguments: [
            ("2562047h", "workload.io.latency", "2562047h"),
            ("{fixed: 1001h}", "workload.io.latency.fixed", "1001h"),
            ("{uniform: {min: 1ms, max: 2000h}}", "workload.io.latency.uniform.max", "2000h"),
            ("{normal: {mean: 1ms, stddev: 1000.5h}}", "workload.io.latency.normal.stddev", "1000.5h"),
            ("{exponential: {mean: 3600001s}}", "workload.io.latency.exponential.mean", "3600001s"),
            ("{lognormal: {median: 2562047h, sigma: 1}}", "workload.io.latency.lognormal.median", "2562047h"),
            ("{pareto: {scale: 1001h, shape: 2}}", "workload.io.latency.pareto.scale", "1001h"),
            ("{empirical: [1ms, 1001h]}", "workload.io.latency.empirical.1", "1001h"),
        ]
    )
    func refused(latency: String, path: String, value: String) throws {
        // The value's column: `    latency: ` takes 13 columns before the latency starts.
        let offset = try #require(latency.range(of: value)).lowerBound
        let column = 14 + latency.distance(from: latency.startIndex, to: offset)
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: Self.scenario(latency: latency), file: "limit.yaml")
        }
        let issue = try #require(error.issues.first, "\(error)")
        #expect(error.issues.count == 1, "\(error)")
        #expect(issue.path == path)
        #expect(issue.message.contains("found '\(value)'"), "\(issue.message)")
        #expect(issue.message.contains("at most 1000h (the longest latency conlab models)"), "\(issue.message)")
        #expect(issue.location.line == 10)
        #expect(issue.location.column == column, "\(issue)")
    }

    @Test("Exactly 1000h is accepted, and a heavy tail whose draws reach past it loads: its draws are capped")
    func atTheLimit() throws {
        for latency in ["1000h", "{pareto: {scale: 1ms, shape: 0.1}}", "{lognormal: {median: 1000h, sigma: 10}}"] {
            let scenario = try loader.load(yaml: Self.scenario(latency: latency), file: "limit.yaml")
            guard let life = scenario.workload as? LifeSpec else {
                Issue.record("not a life workload")
                return
            }
            #expect(life.io.latency.sample(1) <= LatencyModel.maximum)
        }
    }
}
