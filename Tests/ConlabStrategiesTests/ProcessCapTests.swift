import ConlabCore
import ConlabIO
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import Testing

/// Each strategy's processes at once for a plan of subprocess jobs, from where it declares its concurrency.
@Suite("Processes at once, per strategy")
struct ProcessCapTests {
    @Test(
        "40,000 two-command chains: the whole phase's children under thread, async and loop, a few elsewhere",
        arguments: [
            ("serial", 2), ("thread", 80_000), ("queue", 10), ("pool", 20), ("async", 80_000), ("loop", 80_000),
            // Two workers, each running one chain of its chunk at a time.
            ("process", 2 + 2 * 2),
        ]
    )
    func processesAtOnce(name: String, expected: Int) throws {
        let type = try #require(BuiltInStrategies.registry.strategy(named: name))
        let strategy = try type.init(options: StrategyOptions())
        let plan = WorkPlan(
            phases: 1,
            largestPhase: 40_000,
            children: ChildDemand(groups: [ChildJob.demand(commands: 2, hasInput: true, count: 40_000)])
        )
        let estimate = strategy.estimate(
            context: StrategyContext(seed: 1, cores: 2, plan: plan, services: TestServices.waits)
        )
        #expect(estimate.processesAtOnce(for: plan) == expected)
        let refused = ProcessLimits.current().refusal(
            of: name,
            estimate: estimate,
            plan: plan,
            unitsRunHere: !type.runsUnitsElsewhere
        )
        // 80,000 is over half of any pid_max below 160,000 (the default is 32,768 or 4,194,304); RLIMIT_NOFILE
        // decides the rest, so only the small ones are sure to run.
        if expected < 100 { #expect(refused == nil, "\(refused ?? "")") }
    }
}
