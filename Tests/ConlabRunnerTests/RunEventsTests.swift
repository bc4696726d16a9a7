import ConlabCore
import ConlabLog
import ConlabRunner
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Synchronization
import Testing

@Suite("The run's event stream")
struct RunEventsTests {
    /// Keeps every event it is sent, and counts the units of each round, as a test's own sink.
    final class Recorder: RunEventSink {
        private let received = Mutex<[RunEvent]>([])
        private let rounds = Mutex<[(StrategyRound, ReportCounter)]>([])
        var events: [RunEvent] { received.withLock { $0 } }
        var unitsPerRound: [String: Int] {
            rounds.withLock {
                Dictionary(uniqueKeysWithValues: $0.map { ($0.0.name, $0.1.counts.units) })
            }
        }
        func receive(_ event: RunEvent) { received.withLock { $0.append(event) } }
        func unitSink(for round: StrategyRound) -> (any UnitTimings.Sink)? {
            let counter = ReportCounter()
            rounds.withLock { $0.append((round, counter)) }
            return counter
        }
    }

    @Test("Every sink gets a scenario's start and reference, each round's start, phases, end and result, then its end")
    func order() async throws {
        let scenario = try ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)
            .load(
                yaml: """
                    name: stream
                    workload: { kind: life, rows: 4, columns: 4, generations: 2, pattern: { random: { density: 0.4 } } }
                    strategies: [serial, { pool: { max_workers: 2 } }]
                    """,
                file: "stream.yaml"
            )
        let first = Recorder()
        let second = Recorder()
        let report = await ScenarioRunner(events: [first, second], cores: 2, services: TestServices.shared).run(
            scenario
        )
        #expect(report.passed)
        func phase(_ index: Int, _ strategy: String) -> RunEvent {
            .log(
                .phaseFinished(
                    PhaseFinished(
                        scenario: "stream",
                        strategy: strategy,
                        phase: index,
                        phaseName: "generation",
                        units: 16,
                        seconds: 0
                    )
                )
            )
        }
        // Timings differ from run to run: compare the events with their seconds set to zero.
        let seen = first.events.map { event -> RunEvent in
            guard case .log(.phaseFinished(var phase)) = event else { return event }
            phase.seconds = 0
            return .log(.phaseFinished(phase))
        }
        let results = report.results.map { RunEvent.log(.result($0)) }
        func started(_ label: String) -> RunEvent {
            .strategyStarted(
                StrategyRound(
                    scenario: "stream",
                    label: label,
                    phases: 2,
                    plannedUnits: 32,
                    round: 1,
                    isOneOfSeveral: false
                )
            )
        }
        let reference = ReferenceFinished(frames: report.frames, digest: report.referenceDigest)
        let grids = ReferenceFrames.bounded(scenario: "stream", rows: 4, columns: 4, grids: 3) { generation in
            (report.frames?[generation] ?? "").split(separator: "\n").map(String.init)
        }
        #expect(
            seen == [
                .scenarioStarted(ScenarioStarted(scenario: scenario)), .referenceFinished(reference),
                .log(.referenceFrames(grids)), started("serial"), phase(0, "serial"),
                phase(1, "serial"), .strategyFinished, results[0],
                started("pool(max_workers: 2)"), phase(0, "pool"),
                phase(1, "pool"), .strategyFinished, results[1],
                .scenarioFinished,
            ]
        )
        #expect(second.events == first.events)
        // Each sink that asks for a round's units gets every one of them: 16 cells × 2 generations.
        #expect(first.unitsPerRound == ["stream / serial": 32, "stream / pool(max_workers: 2)": 32])
        #expect(second.unitsPerRound == first.unitsPerRound)
    }
}

extension RunEventsTests {
    @Test("Histograms handed to the runner take every round's units; each result carries its own round's")
    func histograms() async throws {
        let scenario = try ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)
            .load(
                yaml: """
                    name: histograms
                    workload:
                      kind: life
                      rows: 4
                      columns: 4
                      generations: 2
                      pattern: { random: { density: 0.4 } }
                      io: { step: game_logic, latency: 1ms }
                    strategies: [serial, { pool: { max_workers: 2 } }]
                    """,
                file: "histograms.yaml"
            )
        let histograms = UnitHistograms()
        let recorder = Recorder()
        let report = await ScenarioRunner(events: [histograms, recorder], cores: 2, services: TestServices.shared).run(
            scenario
        )
        #expect(report.passed)
        // 16 cells × 2 generations per round, two rounds; each cell waits once per generation.
        #expect(histograms.unitLatency?.count == 64)
        #expect(histograms.waitError?.count == 64)
        #expect(report.results.map { $0.unitLatency?.count } == [32, 32])
        #expect(report.results.map { $0.waitError?.count } == [32, 32])
        // Beside the histograms, the other sink that asks for units still gets every one of them.
        #expect(recorder.unitsPerRound == ["histograms / serial": 32, "histograms / pool(max_workers: 2)": 32])
    }
}
