import ConlabCore
import ConlabLog
import ConlabScenario

// Phased work (the Game of Life, CPU tasks, ...): the reference phase by phase, each strategy checked against it.
extension ScenarioRunner {
    /// Runs phased work; the scenario's workload renders the reference's states for printing, if it does.
    func run<Workload: PhasedWorkload>(
        _ workload: Workload,
        scenario: Scenario,
        strategies: [StrategySpec],
        rounds: Set<Int>?
    ) async -> ScenarioReport {
        let reference = ReferenceRun(workload, stateBudget: referenceStateBudget)
        var report = ScenarioReport(scenario: scenario)
        // Pictures are of every state: a reference that kept only digests has none to draw.
        let states = reference.keepsEveryState ? reference.states : []
        report.frames = states.isEmpty ? nil : scenario.workload.frames(of: states)
        report.referenceFailure = reference.failure
        report.referenceDigest = reference.failure == nil ? reference.finalDigest(of: workload) : nil
        report.problems += expectationProblems(
            scenario.expectations,
            failure: reference.failure,
            digest: report.referenceDigest
        )
        events.receive(.referenceFinished(report.reference))
        if !states.isEmpty, let grids = scenario.workload.grids(of: states) {
            let frames = ReferenceFrames.bounded(
                scenario: scenario.name,
                rows: grids.rows,
                columns: grids.columns,
                grids: grids.count,
                render: grids.render
            )
            events.receive(.log(.referenceFrames(frames)))
        }
        let plan = Self.plan(workload, reference: reference)
        for (round, spec) in schedule(strategies, seed: scenario.seed, rounds: rounds) {
            if Task.isCancelled { break }
            // The state the phase being run started from: the reference's own (every earlier phase matched it),
            // which a failing unit is looked up in when the reference kept only digests.
            var phaseStart = workload.initialState
            let (result, failure) = await measure(spec.strategy, scenario: scenario, plan: plan, round: round) {
                session,
                result in
                var state = workload.initialState
                let clock = ContinuousClock()
                for phase in 0..<workload.phaseCount {
                    try Task.checkCancellation()
                    let batch = workload.batch(phase: phase, from: state)
                    phaseStart = state
                    let started = clock.now
                    let outputs = try await session.run(batch)
                    // A phase cut short by an interruption is not a result to judge.
                    try Task.checkCancellation()
                    // Only completed phases count: a failed or interrupted phase has no comparable floor.
                    result.idealSeconds += session.idealDuration(of: reference.profiles[phase]).inSeconds
                    let seconds = (clock.now - started).inSeconds
                    state = workload.state(after: batch, outputs: outputs)
                    result.phases += 1
                    result.phaseSeconds.append(seconds)
                    events.receive(
                        .log(
                            .phaseFinished(
                                PhaseFinished(
                                    scenario: scenario.name,
                                    strategy: result.strategy,
                                    phase: phase,
                                    phaseName: workload.phaseName,
                                    units: batch.count,
                                    seconds: seconds
                                )
                            )
                        )
                    )
                    if !reference.matches(state, afterPhase: phase, of: workload) {
                        result.outcome = .incorrect
                        result.error =
                            reference.state(afterPhase: phase, batch: batch, of: workload)
                            .flatMap { workload.mismatch(state, expected: $0) }
                            ?? "\(workload.phaseName) \(phase) differs from the serial reference"
                        return
                    }
                }
                result.resultSHA256 = workload.digest(of: state)
                result.workloadMetrics = scenario.workload.figures(
                    workload.figures(of: state),
                    phaseSeconds: result.phaseSeconds.reduce(0, +)
                )
                if type(of: scenario.workload).digestIsFinalGrid { result.finalGridSHA256 = result.resultSHA256 }
                if let failure = reference.failure {
                    result.outcome = .incorrect
                    result.error = "expected the failure of \(failure), but every unit succeeded"
                } else {
                    result.correct = true
                }
            }
            let kept = finish(result, failure: failure) { failure in
                let phase = failure.coordinates.phase
                guard phase < reference.stateCount else { return false }
                let start = reference.keepsEveryState ? reference.states[phase] : phaseStart
                let unit = workload.batch(phase: phase, from: start).unit(
                    at: failure.coordinates.index
                )
                if case .failure = unit.runInstantly().result { return true }
                return false
            }
            if let kept { report.results.append(kept) }
        }
        return report
    }
}
