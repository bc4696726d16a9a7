public import ConlabCore
public import ConlabIO
public import ConlabScenario

/// `conlab explain`: what each strategy of a scenario would create and how fast it could be at best,
/// worked out before anything runs — and which strategies would refuse.
///
/// The figures come from the serial reference where it costs at most ``PlannedProfiles/defaultBudget``
/// units and waits, and from the workload's closed form beyond that (``PhasedWorkload/plannedProfiles(budget:)``),
/// so any valid scenario is explained at once: exact where the closed form is, an estimate marked as
/// such where only the latency's mean is known, and no figure where none can be had without the reference.
public struct PlanExplanation: Sendable {
    /// One strategy's plan.
    public struct Row: Sendable {
        /// The strategy as the summary names it.
        public var label: String
        /// What it would create.
        public var estimate: StrategyEstimate
        /// Processes at most at once: its own, and its units' children.
        public var processes: Int
        /// The ideal floor of the whole run in seconds; `nil` where it is not known without computing the
        /// reference.
        public var idealSeconds: Double?
        /// Whether ``idealSeconds`` is an estimate from the latency's mean rather than an exact figure.
        public var idealIsEstimate: Bool = false
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
    /// The reference work (units and waits) left uncomputed because it is over the budget; `nil` when the
    /// figures come from the reference or from exact closed forms alone.
    public var skippedReference: Int?
    /// The most units and waits of the reference explain computes.
    public var budget: Int

    /// The plan of `scenario` under each of `strategies` (by default its own) on a machine with `cores`
    /// and `memoryBytes`; a strategy whose estimate needs more processes or descriptors at once than
    /// `processLimits` allow, or more than half the memory, is refused.
    public static func explain(
        _ scenario: Scenario,
        strategies: [StrategySpec]? = nil,
        cores: Int,
        memoryBytes: Int,
        services: WaitServices,
        budget: Int = PlannedProfiles.defaultBudget,
        processLimits: ProcessLimits = .current()
    ) -> PlanExplanation {
        let (plan, units, profiles, pipeline) = reference(of: scenario, budget: budget)
        let context = StrategyContext(seed: scenario.seed, cores: cores, plan: plan, services: services)
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
            } else if refusal == nil, let overMemory = estimate.memoryRefusal(memory: memoryBytes) {
                refusal = overMemory
            }
            let ideal = profiles?.ideal(under: estimate)
            let pipelineIdeal = pipeline.flatMap { pipeline in
                pipeline.profile.map { estimate.idealPipelineDuration(of: $0, stages: pipeline.stages) }
            }
            return Row(
                label: strategy.label,
                estimate: estimate,
                processes: estimate.processesAtOnce(for: plan),
                idealSeconds: (ideal?.duration ?? pipelineIdeal)?.inSeconds,
                idealIsEstimate: ideal.map { !$0.isExact } ?? false,
                refusal: refusal
            )
        }
        let skipped =
            profiles.flatMap { $0.isExact ? nil : $0.skippedReference }
            ?? pipeline.flatMap { $0.profile == nil ? units : nil }
        return PlanExplanation(
            scenario: scenario,
            plan: plan,
            units: units,
            rows: rows,
            skippedReference: skipped,
            budget: budget
        )
    }

    /// The strategies among `strategies` that would run more processes or hold more descriptors at once
    /// than `processLimits` allow, each with the reason: what `run` checks before anything starts.
    ///
    /// Only work that starts child processes needs its plan for this, and that plan is known without
    /// running anything (``PhasedWorkload/plannedProfiles(budget:)``); for other work only a strategy's
    /// own processes count, which no plan changes, so no reference is computed for it here.
    public static func processRefusals(
        _ scenario: Scenario,
        strategies: [StrategySpec],
        cores: Int,
        services: WaitServices,
        processLimits: ProcessLimits = .current()
    ) -> [(spec: StrategySpec, reason: String)] {
        let plan =
            scenario.workload.childDemand.startsProcesses
            ? reference(of: scenario, budget: PlannedProfiles.defaultBudget).plan : WorkPlan(phases: 1, largestPhase: 0)
        let context = StrategyContext(seed: scenario.seed, cores: cores, plan: plan, services: services)
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

    /// The plan, the unit count and — for phased work — its phases, from the workload's closed form or,
    /// when it has none within `budget`, from the reference; for a pipeline, its stages and, within `budget`
    /// units, the waits of its reference.
    private static func reference(
        of scenario: Scenario,
        budget: Int
    ) -> (
        plan: WorkPlan, units: Int, profiles: PlannedProfiles?,
        pipeline: (stages: [PipelineStage], profile: PhaseProfile?)?
    ) {
        func phased<Workload: PhasedWorkload>(
            _ workload: Workload
        ) -> (WorkPlan, Int, PlannedProfiles?, ([PipelineStage], PhaseProfile?)?) {
            // Work described without computing it is not computed: explain answers at once.
            let planned =
                workload.plannedProfiles(budget: budget) ?? PlannedProfiles(profiles: ReferenceRun(workload).profiles)
            var plan = planned.plan(phaseCount: workload.phaseCount)
            plan.children = workload.childDemand
            return (plan, planned.units, planned, nil)
        }
        switch scenario.workload.runnable(seed: scenario.seed) {
        case .phased(let workload): return phased(workload)
        case .pipeline(let work):
            let units = work.itemCount * work.stages.count
            // A pipeline's waits are known only by running its reference (without waiting).
            let profile = units <= budget ? PipelineReference(work).profile : nil
            return (ScenarioRunner.plan(pipeline: work), units, nil, (work.stages, profile))
        }
    }

    /// A table: the plan line, then a row per strategy.
    public var rendered: String {
        var lines = [
            "\(scenario.name): \(units) units in \(plan.phases) phase\(plan.phases == 1 ? "" : "s"), "
                + "at most \(plan.largestPhase) at once, waiting in \(plan.waitingSteps) "
                + "step\(plan.waitingSteps == 1 ? "" : "s")"
        ]
        if let skippedReference {
            lines.append(
                "ideal: ≈ an estimate from the latency's mean, — not computed: the serial reference "
                    + "(\(skippedReference) units) is over explain's budget of \(budget) and was not run"
            )
        }
        var table = [["strategy", "threads", "processes", "tasks", "in flight", "memory", "ideal", "plan"]]
        for row in rows {
            let estimate = row.estimate
            table.append([
                row.label, String(estimate.threads), String(row.processes), String(estimate.tasks),
                estimate.concurrency.map(String.init) ?? "all", Self.bytes(estimate.memoryBytes),
                row.idealSeconds.map { (row.idealIsEstimate ? "≈" : "") + DurationFormat.human($0) } ?? "—",
                row.refusal.map { "refused: \($0)" } ?? "runs",
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
