import ConlabCore
import ConlabIO
import Testing

/// The process cap: what the machine's limits allow, and which plans it refuses.
@Suite("Process limits")
struct ProcessLimitsTests {
    /// This machine's figures when the bug was found: 4 × 10,000 `sleep 1` under `async` ran here.
    private func limits(processLimit: Int? = 96_369, openFileLimit: Int? = 20_000) -> ProcessLimits {
        ProcessLimits(
            ProcessLimits.Readings(
                pidMax: 32_768,
                threadsMax: 192_739,
                tasksRunning: 268,
                processLimit: processLimit,
                openFileLimit: openFileLimit,
                openDescriptors: 12
            )
        )
    }

    /// 40,000 `sleep 1` jobs in one phase, one child each, no input.
    private let fortyThousand = WorkPlan(
        phases: 1,
        largestPhase: 40_000,
        children: ChildDemand(groups: [ChildJob.demand(commands: 1, hasInput: false, count: 40_000)])
    )

    @Test("Each limit is halved less the tasks running; the smallest is the cap, and RLIMIT_NOFILE bounds descriptors")
    func derivation() {
        let machine = limits()
        #expect(machine.processCap == 32_768 / 2 - 268)
        #expect(machine.processLimits.first?.name == "half of kernel.pid_max 32768, less 268 tasks running")
        #expect(machine.processLimits.map(\.processes) == [16_116, 47_916, 96_101])
        #expect(machine.descriptorLimit?.descriptors == 20_000 - 12 - ProcessLimits.reservedDescriptors)
        // A low RLIMIT_NPROC binds; one below the tasks running allows nothing, never a negative count.
        #expect(
            limits(processLimit: 2_000).processLimits.first?.name == "half of RLIMIT_NPROC 2000, less 268 tasks running"
        )
        #expect(limits(processLimit: 2_000).processCap == 732)
        #expect(limits(processLimit: 100).processCap == 0)
        // Unlimited limits are left out.
        #expect(limits(processLimit: nil).processLimits.count == 2)
        #expect(limits(openFileLimit: nil).descriptorLimit == nil)
    }

    @Test("40,000 children at once are refused, naming the limit that binds and its figure")
    func refusesFortyThousand() throws {
        let everything = StrategyEstimate(threads: 0, tasks: 40_000, schedule: .units(concurrency: nil))
        let reason = try #require(
            limits().refusal(of: "async", estimate: everything, plan: fortyThousand, unitsRunHere: true)
        )
        #expect(reason.hasPrefix("async would run 40000 processes at once (40000 children of 40000 units in flight)"))
        #expect(reason.contains("over the process cap of 16116 (half of kernel.pid_max 32768, less 268 tasks running)"))
        // Two pipes kept per job, and while the reactor thread starts one, both ends of each.
        #expect(reason.contains("hold 80002 descriptors at once"))
        #expect(reason.contains("RLIMIT_NOFILE 20000, less 12 open and 64 kept"))
        let underNPROC = try #require(
            limits(processLimit: 2_000).refusal(
                of: "async",
                estimate: everything,
                plan: WorkPlan(
                    phases: 1,
                    largestPhase: 1_000,
                    children: ChildDemand(groups: [ChildJob.demand(commands: 1, hasInput: false, count: 1_000)])
                ),
                unitsRunHere: true
            )
        )
        #expect(underNPROC.contains("over the process cap of 732 (half of RLIMIT_NPROC 2000, less 268 tasks running)"))
        #expect(!underNPROC.contains("descriptors"))
    }

    @Test("Strategies with few units in flight, and small plans, are not refused")
    func fewInFlight() {
        let machine = limits()
        let pool = StrategyEstimate(threads: 10, schedule: .units(concurrency: 10))
        #expect(machine.refusal(of: "pool", estimate: pool, plan: fortyThousand, unitsRunHere: true) == nil)
        #expect(pool.processesAtOnce(for: fortyThousand) == 10)
        let workers = StrategyEstimate(threads: 2, processes: 2, schedule: .units(concurrency: 2))
        #expect(workers.processesAtOnce(for: fortyThousand) == 4)
        // The workers hold their jobs' pipes; conlab only the two to each worker.
        #expect(workers.descriptorsAtOnce(for: fortyThousand, unitsRunHere: false) == 4)
        #expect(machine.refusal(of: "process", estimate: workers, plan: fortyThousand, unitsRunHere: false) == nil)
        let everything = StrategyEstimate(threads: 0, schedule: .units(concurrency: nil))
        let tenJobs = WorkPlan(
            phases: 1,
            largestPhase: 10,
            children: ChildDemand(groups: [ChildJob.demand(commands: 1, hasInput: false, count: 10)])
        )
        #expect(machine.refusal(of: "async", estimate: everything, plan: tenJobs, unitsRunHere: true) == nil)
        // Work without children is never refused for them.
        let cells = WorkPlan(phases: 4, largestPhase: 1_000_000)
        #expect(machine.refusal(of: "async", estimate: everything, plan: cells, unitsRunHere: true) == nil)
    }

    @Test("A job's demand: a process per command, and in conlab three pipes plus one per link while it starts")
    func jobDemand() {
        let sleep = ChildJob.demand(commands: 1, hasInput: false, count: 300)
        #expect(sleep == ChildDemand.Group(units: 300, processes: 1, descriptors: 2, startingDescriptors: 4))
        let encryptAndHash = ChildJob.demand(commands: 2, hasInput: true, count: 100)
        #expect(encryptAndHash == ChildDemand.Group(units: 100, processes: 2, descriptors: 3, startingDescriptors: 8))
        let plan = WorkPlan(phases: 1, largestPhase: 400, children: ChildDemand(groups: [sleep, encryptAndHash]))
        // All at once: each job's own figure (300 sleeps and 100 such chains ran 400 children under async).
        let everything = StrategyEstimate(threads: 0, schedule: .units(concurrency: nil))
        #expect(everything.processesAtOnce(for: plan) == 300 + 200)
        #expect(everything.descriptorsAtOnce(for: plan, unitsRunHere: true) == 600 + 300 + 5)
        // Ten at once: the ten units that take the most, the chains.
        let pool = StrategyEstimate(threads: 10, schedule: .units(concurrency: 10))
        #expect(pool.processesAtOnce(for: plan) == 20)
        // Under a thread per unit every job may be starting at once.
        let threadPerUnit = StrategyEstimate(threads: 400, schedule: .units(concurrency: nil))
        #expect(threadPerUnit.descriptorsAtOnce(for: plan, unitsRunHere: true) == 300 * 4 + 100 * 8)
    }

    @Test("This machine's limits can be read")
    func current() {
        let machine = ProcessLimits.current()
        #expect(machine.processCap > 0 && machine.processCap < Int.max)
        #expect(!machine.description.isEmpty)
    }
}
