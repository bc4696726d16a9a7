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
        private let rounds = Mutex<[(StrategyRound, UnitCounter)]>([])
        var events: [RunEvent] { received.withLock { $0 } }
        var unitsPerRound: [String: Int] {
            rounds.withLock {
                Dictionary(uniqueKeysWithValues: $0.map { ($0.0.name, $0.1.units.load(ordering: .relaxed)) })
            }
        }
        func receive(_ event: RunEvent) { received.withLock { $0.append(event) } }
        func unitSink(for round: StrategyRound) -> (any UnitTimings.Sink)? {
            let counter = UnitCounter()
            rounds.withLock { $0.append((round, counter)) }
            return counter
        }
    }

    /// Counts finished units.
    final class UnitCounter: UnitTimings.Sink {
        let units = Atomic(0)
        var tracesSlices: Bool { false }
        func finished(
            _ coordinates: @autoclosure () -> UnitCoordinates,
            start: ContinuousClock.Instant,
            end: ContinuousClock.Instant,
            slices: [UnitTimings.Slice]
        ) {
            units.add(1, ordering: .relaxed)
        }
        func waited(beyond error: Duration) {}
        func record(waitErrors: UnsafeBufferPointer<Int64>, unitLatencies: UnsafeBufferPointer<Int64>) {
            units.add(unitLatencies.count, ordering: .relaxed)
        }
    }

    @Test("Every sink the runner is handed gets each strategy's start, phases, end and result, in order")
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
        #expect(
            seen == [
                started("serial"), phase(0, "serial"),
                phase(1, "serial"), .strategyFinished, results[0],
                started("pool(max_workers: 2)"), phase(0, "pool"),
                phase(1, "pool"), .strategyFinished, results[1],
            ]
        )
        #expect(second.events == first.events)
        // Each sink that asks for a round's units gets every one of them: 16 cells × 2 generations.
        #expect(first.unitsPerRound == ["stream / serial": 32, "stream / pool(max_workers: 2)": 32])
        #expect(second.unitsPerRound == first.unitsPerRound)
    }
}
