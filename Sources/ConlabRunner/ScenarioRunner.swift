import ConlabCore
public import ConlabIO
import ConlabLatency
import ConlabLog
public import ConlabScenario

/// Runs scenarios: computes the serial reference, runs each strategy against it, and tells its event sinks
/// (the log, a status line) as it goes.
///
/// A strategy's timing is only reported as correct when what it produced equals the reference's: every
/// phase's state for phased work, every item exactly once with its value for pipelines. A strategy that
/// fails must fail where the reference fails.
public struct ScenarioRunner: Sendable {
    /// Where the run's events go: the log, a progress display.
    public let events: RunEvents
    /// The machine's cores, handed to strategies.
    public let cores: Int
    /// How many measured rounds each strategy runs.
    public let repeats: Int
    /// Rounds run first and thrown away (caches, page faults, the pool's threads).
    public let warmups: Int
    /// The timers and reactors the strategies' waits use, their idle threads retired before each run.
    public let services: StandardServices
    /// The most units, over all phases, whose reference states are all kept; past it, digests
    /// (``ReferenceRun``); `nil`: its default. Tests lower it to check strategies against digests on small work.
    var referenceStateBudget: Int?

    /// Whether each measured round logs a sample of its units as a `unit_timeline` (`--trace`).
    public let timelines: Bool

    /// Creates a runner whose strategies wait with `services`; with `timelines`, each measured round also logs
    /// a sample of its units (``UnitTimeline``).
    public init(
        events: [any RunEventSink],
        cores: Int,
        services: StandardServices,
        repeats: Int = 1,
        warmups: Int = 0,
        timelines: Bool = false
    ) {
        self.events = RunEvents(events)
        self.cores = cores
        self.services = services
        self.repeats = max(1, repeats)
        self.warmups = max(0, warmups)
        self.timelines = timelines
    }

    /// Every round's strategies, warm-ups first: each round runs every strategy once, in an order shuffled
    /// by the seed and the round, so drift over a run hits all strategies alike. Round numbers of warm-ups
    /// are 0; measured rounds count from 1.
    ///
    /// With `rounds` (a shard of a `--repeat` run), only those measured rounds run, in the places they have
    /// in the whole schedule, after every warm-up: each machine warms itself up.
    func schedule(
        _ strategies: [StrategySpec],
        seed: UInt64,
        rounds: Set<Int>? = nil
    ) -> [(round: Int, spec: StrategySpec)] {
        let all = wholeSchedule(strategies, seed: seed)
        guard let rounds else { return all }
        return all.filter { $0.round == 0 || rounds.contains($0.round) }
    }

    private func wholeSchedule(_ strategies: [StrategySpec], seed: UInt64) -> [(round: Int, spec: StrategySpec)] {
        guard repeats > 1 || warmups > 0 else { return strategies.map { (1, $0) } }
        let random = CounterRandom(seed: seed)
        return (0..<(warmups + repeats)).flatMap { round in
            let order = strategies.indices.sorted {
                (random.bits(0x5C4E_D01E, UInt64(round), UInt64($0)), $0) < (
                    random.bits(0x5C4E_D01E, UInt64(round), UInt64($1)), $1
                )
            }
            return order.map { (round < warmups ? 0 : round - warmups + 1, strategies[$0]) }
        }
    }

    /// Runs `strategies` (by default the scenario's own) on `scenario`, at `sweep`'s setting when it is one
    /// setting of a `--sweep`; with `rounds`, only those measured rounds (a shard's share of a `--repeat`).
    ///
    /// The sinks hear of the scenario from its start to its end (``RunEvent``), whatever happens in between:
    /// the report returned is the one they can put together (``ScenarioReports``).
    public func run(
        _ scenario: Scenario,
        strategies: [StrategySpec]? = nil,
        sweep: SweepPoint? = nil,
        rounds: Set<Int>? = nil
    ) async -> ScenarioReport {
        let strategies = strategies ?? scenario.strategies
        events.receive(.scenarioStarted(ScenarioStarted(scenario: scenario, sweep: sweep)))
        var report =
            switch scenario.workload.runnable(seed: scenario.seed) {
            case .phased(let workload):
                await run(workload, scenario: scenario, strategies: strategies, rounds: rounds)
            case .pipeline(let work):
                await run(pipeline: work, scenario: scenario, strategies: strategies, rounds: rounds)
            }
        report.sweep = sweep
        events.receive(.scenarioFinished)
        return report
    }
}

extension ScenarioRunner {
    /// The plan of phased work, from its reference: phases, the largest phase, the steps units wait in.
    static func plan<Workload: PhasedWorkload>(_ workload: Workload, reference: ReferenceRun<Workload>) -> WorkPlan {
        WorkPlan(
            phases: workload.phaseCount,
            largestPhase: reference.profiles.map(\.count).max() ?? 0,
            waitingSteps: Set(reference.profiles.flatMap(\.steps)).count,
            children: workload.childDemand
        )
    }

    /// The plan of a pipeline: every stage worker may be busy at once.
    static func plan<Work: PipelineWork>(pipeline work: Work) -> WorkPlan {
        WorkPlan(phases: 1, largestPhase: work.stages.reduce(0) { $0 + $1.workers }, waitingSteps: work.stages.count)
    }

    /// The expectations the reference itself does not meet.
    func expectationProblems(_ expectations: Expectations, failure: UnitFailure?, digest: String?) -> [String] {
        var problems: [String] = []
        switch (expectations.outcome, failure) {
        case (.success, let failure?):
            problems.append("expected every unit to succeed, but the reference fails at \(failure)")
        case (.unitFailure, nil):
            problems.append("expected a unit to fail, but every unit of the reference succeeds")
        default: break
        }
        if let expected = expectations.finalGridSHA256, expected != digest {
            problems.append("expected final_grid_sha256 \(expected), the reference gives \(digest ?? "no final grid")")
        }
        return problems
    }
}
