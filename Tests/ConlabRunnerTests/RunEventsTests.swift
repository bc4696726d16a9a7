import ConlabCore
import ConlabLog
import ConlabRunner
import ConlabScenario
import ConlabStrategies
import Synchronization
import Testing

@Suite("The run's event stream")
struct RunEventsTests {
    /// Keeps every event it is sent, as a test's own sink.
    final class Recorder: RunEventSink {
        private let received = Mutex<[RunEvent]>([])
        var events: [RunEvent] { received.withLock { $0 } }
        func receive(_ event: RunEvent) { received.withLock { $0.append(event) } }
    }

    @Test("Every sink the runner is handed gets each strategy's start, phases, end and result, in order")
    func order() async throws {
        let scenario = try ScenarioLoader(registry: BuiltInStrategies.registry).load(
            yaml: """
                name: stream
                workload: { kind: life, rows: 4, columns: 4, generations: 2, pattern: { random: { density: 0.4 } } }
                strategies: [serial, { pool: { max_workers: 2 } }]
                """,
            file: "stream.yaml"
        )
        let first = Recorder()
        let second = Recorder()
        let report = await ScenarioRunner(events: [first, second], cores: 2).run(scenario)
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
        #expect(
            seen == [
                .strategyStarted(scenario: "stream", label: "serial", phases: 2), phase(0, "serial"),
                phase(1, "serial"), .strategyFinished, results[0],
                .strategyStarted(scenario: "stream", label: "pool(max_workers: 2)", phases: 2), phase(0, "pool"),
                phase(1, "pool"), .strategyFinished, results[1],
            ]
        )
        #expect(second.events == first.events)
    }
}
