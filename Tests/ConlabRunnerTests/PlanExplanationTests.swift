import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabRunner
import ConlabScenario
import ConlabWorkloads
import Testing

@Suite("Plans explained without the reference")
struct PlanExplanationTests {
    /// The closed form's phases expanded to profiles, which must be exactly what the reference records.
    private func expectExact<Workload: PhasedWorkload>(
        _ workload: Workload,
        budget: Int = PlannedProfiles.defaultBudget,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let planned = try #require(workload.plannedProfiles(budget: budget), sourceLocation: sourceLocation)
        #expect(planned.isExact, sourceLocation: sourceLocation)
        let expanded = planned.phases.flatMap { phase in
            Array(repeating: phase.exactProfile, count: phase.repeats)
        }
        #expect(expanded == ReferenceRun(workload).profiles, sourceLocation: sourceLocation)
        #expect(planned.phaseCount == workload.phaseCount, sourceLocation: sourceLocation)
    }

    @Test("A CPU workload's closed form is exactly what the reference records")
    func cpu() throws {
        try expectExact(CPUWorkload(tasks: [.factorize(2_139_079), .gcd(1_071, 462)], rounds: 3))
    }

    @Test("A guessing game's closed form is exactly what the reference records", arguments: [false, true])
    func guess(badPeers: Bool) throws {
        try expectExact(
            GuessWorkload(
                server: .threaded,
                clients: 3,
                sessions: 2,
                badPeers: badPeers,
                random: CounterRandom(seed: 61)
            )
        )
    }

    @Test(
        "A counter's closed form is exactly what the reference records",
        arguments: CounterWorkload.Sync.allCases
    )
    func counter(sync: CounterWorkload.Sync) throws {
        try expectExact(CounterWorkload(workers: 3, increments: 10, sync: sync))
    }

    @Test("Blocking calls' closed form is exactly what the reference records")
    func syscall() throws {
        try expectExact(SyscallWorkload(calls: 4, timeout: .milliseconds(100)))
    }

    @Test("Tailed files' closed form is exactly what the reference records")
    func tail() throws {
        try expectExact(
            TailWorkload(
                files: 3,
                lines: 5,
                pause: .uniform(min: .zero, max: .milliseconds(1)),
                poll: .milliseconds(1),
                timeout: .seconds(30),
                random: CounterRandom(seed: 62)
            )
        )
    }

    @Test("Subprocess jobs' closed form is exactly what the reference records")
    func subprocess() throws {
        let jobs = [
            SubprocessWorkload.Job(name: "sleep", commands: [ChildCommand(arguments: ["sleep", "1"])], count: 3),
            SubprocessWorkload.Job(
                name: "cat",
                commands: [ChildCommand(arguments: ["cat"])],
                input: .randomBytes(10),
                count: 2
            ),
        ]
        try expectExact(SubprocessWorkload(jobs: jobs, random: CounterRandom(seed: 52)))
    }

    private func life(_ model: IOModel, steps: Set<LifeStep> = [.gameLogic], generations: Int = 3) -> LifeWorkload {
        let grid = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 0)
        return LifeWorkload(
            initial: grid,
            generations: generations,
            io: LifeIO(steps: steps, model: model, random: CounterRandom(seed: 1))
        )
    }

    @Test("Life within the budget runs the reference; beyond it, a fixed latency is exact in closed form")
    func lifeFixed() throws {
        let fixed = IOModel(latency: .fixed(.milliseconds(100)))
        #expect(life(fixed).plannedProfiles(budget: PlannedProfiles.defaultBudget) == nil)
        for steps in [[], [LifeStep.gameLogic], Set(LifeStep.allCases)] as [Set<LifeStep>] {
            try expectExact(life(fixed, steps: steps), budget: 10)
        }
    }

    @Test("Life beyond the budget with drawn latencies: the mean, marked as an estimate, or nothing")
    func lifeDrawn() throws {
        let uniform = IOModel(latency: .uniform(min: .milliseconds(50), max: .milliseconds(150)))
        let estimated = try #require(life(uniform, generations: 1000).plannedProfiles(budget: 10))
        #expect(!estimated.isExact && estimated.skippedReference == 45_000 && estimated.units == 45_000)
        #expect(
            estimated.phases == [
                PlannedPhase(units: 45, steps: ["game_logic"], waits: .expected([.milliseconds(100)]), repeats: 1000)
            ]
        )
        // A pool of 10: ⌈45/10⌉ waits of the 100 ms mean per generation.
        let pool = StrategyEstimate(threads: 10, schedule: .units(concurrency: 10))
        let ideal = try #require(estimated.ideal(under: pool))
        #expect(ideal.duration == .seconds(500) && !ideal.isExact)
        // All at once, the ideal is the largest draw of each generation, which the mean does not tell.
        #expect(estimated.ideal(under: StrategyEstimate(threads: 45, schedule: .units(concurrency: nil))) == nil)

        // A failure or a timeout that can cut a wait ends the run where only the reference knows.
        for model in [
            IOModel(latency: .fixed(.milliseconds(1)), failureRate: 0.05),
            IOModel(latency: .exponential(mean: .milliseconds(1)), timeout: .seconds(1)),
        ] {
            let unknown = try #require(life(model, generations: 1000).plannedProfiles(budget: 10))
            #expect(unknown.phases.map(\.waits) == [.unknown])
            #expect(unknown.ideal(under: pool) == nil)
        }
    }

    @Test("Subprocess jobs' child demand, known as written: per job, its processes and its pipes")
    func subprocessChildDemand() throws {
        let workload = SubprocessWorkload(
            jobs: [
                .init(name: "sleep", commands: [ChildCommand(arguments: ["sleep", "1"])], count: 3),
                .init(
                    name: "cat | wc",
                    commands: [ChildCommand(arguments: ["cat"]), ChildCommand(arguments: ["wc", "-c"])],
                    input: .randomBytes(10),
                    count: 2
                ),
            ],
            random: CounterRandom(seed: 52)
        )
        let plan = try #require(workload.plannedProfiles(budget: 0)).plan(phaseCount: 1)
        #expect(plan.largestPhase == 5)
        // Per job: the sleeps one process each, the chain two, and its input's pipe besides the others.
        #expect(
            workload.childDemand
                == ChildDemand(groups: [
                    ChildJob.demand(commands: 1, hasInput: false, count: 3),
                    ChildJob.demand(commands: 2, hasInput: true, count: 2),
                ])
        )
    }
}
