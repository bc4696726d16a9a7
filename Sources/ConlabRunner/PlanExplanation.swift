public import ConlabCore
public import ConlabScenario
import ConlabWorkloads

/// `conlab explain`: what each strategy of a scenario would create and how fast it could be at best,
/// worked out from the serial reference before anything runs — and which strategies would refuse.
public struct PlanExplanation: Sendable {
    /// One strategy's plan.
    public struct Row: Sendable {
        /// The strategy as the summary names it.
        public var label: String
        /// What it would create.
        public var estimate: StrategyEstimate
        /// Processes at most at once: its own, and its units' children.
        public var processes: Int
        /// The ideal floor of the whole run in seconds; `nil` for pipelines and shapes it does not run.
        public var idealSeconds: Double?
        /// Why it would not run: its own refusal, an unsupported shape, or the memory budget.
        public var refusal: String?
    }

    /// The scenario.
    public var scenario: Scenario
    /// Its plan: phases, the largest phase, the steps units wait in.
    public var plan: WorkPlan
    /// Units over all phases.
    public var units: Int
    /// Per strategy.
    public var rows: [Row]

    /// The plan of `scenario` under each of `strategies` (by default its own) on a machine with `cores`
    /// and `memoryBytes`; a strategy whose estimate needs more processes or descriptors at once than
    /// `processLimits` allow, or more than half the memory, is refused.
    public static func explain(
        _ scenario: Scenario,
        strategies: [StrategySpec]? = nil,
        cores: Int,
        memoryBytes: Int,
        processLimits: ProcessLimits = .current()
    ) -> PlanExplanation {
        let (plan, units, profiles) = reference(of: scenario)
        let context = StrategyContext(seed: scenario.seed, cores: cores, plan: plan)
        let rows = (strategies ?? scenario.strategies).map { spec in
            let strategy = spec.strategy
            let estimate = strategy.estimate(context: context)
            var refusal = estimate.refusal
            if let unsupported = type(of: strategy).refusal(
                of: scenario.workload.traits,
                kind: scenario.workload.kind
            ) {
                refusal = unsupported
            } else if refusal == nil,
                let overLimits = processLimits.refusal(
                    of: strategy.label,
                    estimate: estimate,
                    plan: plan,
                    unitsRunHere: !type(of: strategy).runsUnitsElsewhere
                )
            {
                refusal = overLimits
            } else if refusal == nil, estimate.memoryBytes > memoryBytes / 2 {
                refusal =
                    "it would commit about \(estimate.memoryBytes >> 20) MiB, over half of this machine's "
                    + "\(memoryBytes >> 20) MiB"
            }
            let ideal = profiles.map { $0.reduce(Duration.zero) { $0 + estimate.idealDuration(of: $1) }.inSeconds }
            return Row(
                label: strategy.label,
                estimate: estimate,
                processes: estimate.processesAtOnce(for: plan),
                idealSeconds: ideal,
                refusal: refusal
            )
        }
        return PlanExplanation(scenario: scenario, plan: plan, units: units, rows: rows)
    }

    /// The strategies among `strategies` that would run more processes or hold more descriptors at once
    /// than `processLimits` allow, each with the reason: what `run` checks before anything starts.
    ///
    /// Only work that starts child processes needs its plan for this, and that plan is known without
    /// running anything (``PhasedWorkload/profilesWithoutRunning()``); for other work only a strategy's
    /// own processes count, which no plan changes, so no reference is computed for it here.
    public static func processRefusals(
        _ scenario: Scenario,
        strategies: [StrategySpec],
        cores: Int,
        processLimits: ProcessLimits = .current()
    ) -> [(spec: StrategySpec, reason: String)] {
        let plan =
            childDemand(of: scenario).startsProcesses ? reference(of: scenario).0 : WorkPlan(phases: 1, largestPhase: 0)
        let context = StrategyContext(seed: scenario.seed, cores: cores, plan: plan)
        return strategies.compactMap { spec in
            let strategy = spec.strategy
            return processLimits.refusal(
                of: strategy.label,
                estimate: strategy.estimate(context: context),
                plan: plan,
                unitsRunHere: !type(of: strategy).runsUnitsElsewhere
            ).map { (spec, $0) }
        }
    }

    /// What the units of `scenario` start in child processes, from the workload as written.
    private static func childDemand(of scenario: Scenario) -> ChildDemand {
        switch scenario.workload {
        // Life cells and pipeline stages start no process; building a grid only to ask would cost a
        // million cells' work for the largest.
        case .life, .pipeline: .none
        case .cpu(let workload): workload.childDemand
        case .counter(let workload): workload.childDemand
        case .syscall(let workload): workload.childDemand
        case .subprocess(let workload): workload.childDemand
        case .guess(let workload): workload.childDemand
        case .tail(let workload): workload.childDemand
        }
    }

    /// The plan, the unit count and — for phased work — every phase's profile, from the reference.
    private static func reference(of scenario: Scenario) -> (WorkPlan, Int, [PhaseProfile]?) {
        func phased<Workload: PhasedWorkload>(_ workload: Workload) -> (WorkPlan, Int, [PhaseProfile]?) {
            // Work whose waits are known without computing it is not computed: explain answers at once.
            if let profiles = workload.profilesWithoutRunning() {
                let plan = WorkPlan(
                    phases: workload.phaseCount,
                    largestPhase: profiles.map(\.count).max() ?? 0,
                    waitingSteps: Set(profiles.flatMap(\.steps)).count,
                    children: workload.childDemand
                )
                return (plan, profiles.reduce(0) { $0 + $1.count }, profiles)
            }
            let reference = ReferenceRun(workload)
            let plan = ScenarioRunner.plan(workload, reference: reference)
            return (plan, reference.profiles.reduce(0) { $0 + $1.count }, reference.profiles)
        }
        switch scenario.workload {
        case .life(let spec): return phased(spec.workload(seed: scenario.seed))
        case .pipeline(let spec):
            let work = spec.workload(seed: scenario.seed)
            return (ScenarioRunner.plan(pipeline: work), work.itemCount * work.stages.count, nil)
        case .cpu(let workload): return phased(workload)
        case .counter(let workload): return phased(workload)
        case .syscall(let workload): return phased(workload)
        case .subprocess(let workload): return phased(workload)
        case .guess(let workload): return phased(workload)
        case .tail(let workload): return phased(workload)
        }
    }

    /// A table: the plan line, then a row per strategy.
    public var rendered: String {
        var lines = [
            "\(scenario.name): \(units) units in \(plan.phases) phase\(plan.phases == 1 ? "" : "s"), "
                + "at most \(plan.largestPhase) at once, waiting in \(plan.waitingSteps) "
                + "step\(plan.waitingSteps == 1 ? "" : "s")"
        ]
        var table = [["strategy", "threads", "processes", "tasks", "in flight", "memory", "ideal", "plan"]]
        for row in rows {
            let estimate = row.estimate
            table.append([
                row.label, String(estimate.threads), String(row.processes), String(estimate.tasks),
                estimate.concurrency.map(String.init) ?? "all", Self.bytes(estimate.memoryBytes),
                row.idealSeconds.map(DurationFormat.human) ?? "—", row.refusal.map { "refused: \($0)" } ?? "runs",
            ])
        }
        lines += TextColumns.aligned(table)
        return lines.joined(separator: "\n")
    }

    private static func bytes(_ count: Int) -> String {
        if count >= 1 << 30 { return DurationFormat.fixed(Double(count) / Double(1 << 30), 1) + " GiB" }
        if count >= 1 << 20 { return DurationFormat.fixed(Double(count) / Double(1 << 20), 1) + " MiB" }
        return "\(count >> 10) KiB"
    }
}
