import ConlabCore
import ConlabLog
import ConlabRunner
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Testing

@Suite("The summary, made of the run's events")
struct ScenarioReportsTests {
    private let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    private func scenario(_ name: String) throws -> Scenario {
        try loader.load(
            yaml: """
                name: \(name)
                workload: { kind: life, rows: 4, columns: 4, generations: 2, pattern: { random: { density: 0.4 } } }
                strategies: [serial, { pool: { max_workers: 2 } }]
                """,
            file: "\(name).yaml"
        )
    }

    @Test("A recorded event sequence gives the scenario's report and its table, without running a strategy")
    func replayed() throws {
        let scenario = try scenario("replay")
        func result(_ strategy: String, _ label: String, wall: Double, correct: Bool) -> RunResult {
            RunResult(
                scenario: "replay",
                strategy: strategy,
                label: label,
                outcome: correct ? .success : .incorrect,
                correct: correct,
                phases: 2,
                wallSeconds: wall,
                idealSeconds: 0.5,
                overheadRatio: correct ? wall / 0.5 : nil,
                phaseSeconds: [wall / 2, wall / 2],
                error: correct ? nil : "generation 1 differs from the serial reference"
            )
        }
        let serial = result("serial", "serial", wall: 1, correct: true)
        let pool = result("pool", "pool(max_workers: 2)", wall: 0.6, correct: false)
        func round(_ label: String) -> RunEvent {
            .strategyStarted(
                StrategyRound(
                    scenario: "replay",
                    label: label,
                    phases: 2,
                    plannedUnits: 32,
                    round: 1,
                    isOneOfSeveral: false
                )
            )
        }
        let point = SweepPoint(scenario: "replay", setting: [])
        let events: [RunEvent] = [
            .scenarioStarted(ScenarioStarted(scenario: scenario, sweep: point)),
            .referenceFinished(ReferenceFinished(frames: ["-*\n", "*-\n"], digest: "d1", problems: ["a problem"])),
            round("serial"), .strategyFinished, .log(.result(serial)),
            round("pool(max_workers: 2)"), .strategyFinished, .log(.result(pool)),
            .scenarioFinished, .scenariosFinished,
        ]
        var reports = ScenarioReports()
        let finished = events.compactMap { reports.take($0) }
        #expect(finished.count == 1 && reports.finished.count == 1)
        let report = try #require(finished.first)
        #expect(report.scenario.name == "replay" && report.sweep == point)
        #expect(report.results == [serial, pool])
        #expect(report.frames == ["-*\n", "*-\n"] && report.referenceDigest == "d1" && report.referenceFailure == nil)
        #expect(report.problems == ["a problem"] && !report.passed)
        #expect(
            SummaryTable.render(report).split(separator: "\n") == [
                "strategy                 wall  per gen    ideal  ratio  speedup  correct",
                "serial                1.000 s  0.500 s  0.500 s  2.000    1.00×  yes",
                "pool(max_workers: 2)  0.600 s  0.300 s  0.500 s      —    1.67×  NO",
                "pool(max_workers: 2): generation 1 differs from the serial reference",
                "drift: serial took 2.00× its ideal floor (flagged above 1.50×)",
                "scenario: a problem",
            ]
        )
    }

    @Test("The reports a sink puts together from the stream are those the runner returns, table for table")
    func sameAsTheRunner() async throws {
        let recorder = RunEventsTests.Recorder()
        let runner = ScenarioRunner(events: [recorder], cores: 2, services: TestServices.shared, repeats: 2)
        let returned = [
            await runner.run(try scenario("first")),
            await runner.run(try scenario("second"), sweep: SweepPoint(scenario: "second", setting: [])),
        ]
        var reports = ScenarioReports()
        for event in recorder.events { _ = reports.take(event) }
        #expect(reports.finished.map(\.scenario.name) == ["first", "second"])
        for (rebuilt, report) in zip(reports.finished, returned) {
            #expect(rebuilt.results == report.results && rebuilt.results.count == 4)
            #expect(rebuilt.frames == report.frames && rebuilt.problems == report.problems)
            #expect(rebuilt.referenceDigest == report.referenceDigest && rebuilt.sweep == report.sweep)
            #expect(SummaryTable.render(rebuilt) == SummaryTable.render(report))
        }
        #expect(reports.finished.map(\.sweep) == [nil, SweepPoint(scenario: "second", setting: [])])
    }
}
