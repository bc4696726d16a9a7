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

    /// Creates a runner whose strategies wait with `services`.
    public init(
        events: [any RunEventSink],
        cores: Int,
        services: StandardServices,
        repeats: Int = 1,
        warmups: Int = 0
    ) {
        self.events = RunEvents(events)
        self.cores = cores
        self.services = services
        self.repeats = max(1, repeats)
        self.warmups = max(0, warmups)
    }

    /// Every round's strategies, warm-ups first: each round runs every strategy once, in an order shuffled
    /// by the seed and the round, so drift over a run hits all strategies alike. Round numbers of warm-ups
    /// are 0; measured rounds count from 1.
    func schedule(_ strategies: [StrategySpec], seed: UInt64) -> [(round: Int, spec: StrategySpec)] {
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

    /// Runs `strategies` (by default the scenario's own) on `scenario`.
    public func run(_ scenario: Scenario, strategies: [StrategySpec]? = nil) async -> ScenarioReport {
        let strategies = strategies ?? scenario.strategies
        switch scenario.workload.runnable(seed: scenario.seed) {
        case .phased(let workload): return await run(workload, scenario: scenario, strategies: strategies)
        case .pipeline(let work): return await run(pipeline: work, scenario: scenario, strategies: strategies)
        }
    }

    // MARK: Phased work

    /// Runs phased work; the scenario's workload renders the reference's states for printing, if it does.
    private func run<Workload: PhasedWorkload>(
        _ workload: Workload,
        scenario: Scenario,
        strategies: [StrategySpec]
    ) async -> ScenarioReport {
        let reference = ReferenceRun(workload)
        var report = ScenarioReport(scenario: scenario)
        report.frames = scenario.workload.frames(of: reference.states)
        report.referenceFailure = reference.failure
        report.referenceDigest = reference.failure == nil ? reference.states.last.map(workload.digest) : nil
        report.problems += expectationProblems(
            scenario.expectations,
            failure: reference.failure,
            digest: report.referenceDigest
        )
        let plan = Self.plan(workload, reference: reference)
        for (round, spec) in schedule(strategies, seed: scenario.seed) {
            if Task.isCancelled { break }
            let (result, failure) = await measure(spec.strategy, scenario: scenario, plan: plan, round: round) {
                session,
                result in
                var state = workload.initialState
                let clock = ContinuousClock()
                for phase in 0..<workload.phaseCount {
                    try Task.checkCancellation()
                    let batch = workload.batch(phase: phase, from: state)
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
                    if phase + 1 >= reference.states.count || state != reference.states[phase + 1] {
                        result.outcome = .incorrect
                        let expected = phase + 1 < reference.states.count ? reference.states[phase + 1] : state
                        result.error =
                            workload.mismatch(state, expected: expected)
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
                guard phase < reference.states.count else { return false }
                let unit = workload.batch(phase: phase, from: reference.states[phase]).unit(
                    at: failure.coordinates.index
                )
                if case .failure = unit.runInstantly().result { return true }
                return false
            }
            if let kept { report.results.append(kept) }
        }
        return report
    }

    // MARK: Pipelines

    private func run<Work: PipelineWork>(
        pipeline work: Work,
        scenario: Scenario,
        strategies: [StrategySpec]
    ) async
        -> ScenarioReport
    {
        let reference = PipelineReference(work)
        var report = ScenarioReport(scenario: scenario)
        report.referenceFailure = reference.failure
        report.problems += expectationProblems(scenario.expectations, failure: reference.failure, digest: nil)
        let plan = Self.plan(pipeline: work)
        for (round, spec) in schedule(strategies, seed: scenario.seed) {
            if Task.isCancelled { break }
            let (result, failure) = await measure(spec.strategy, scenario: scenario, plan: plan, round: round) {
                session,
                result in
                let recorder = PipelineRecorder(items: work.itemCount, stages: work.stages.count)
                result.idealSeconds =
                    session.idealPipelineDuration(of: reference.profile, stages: work.stages).inSeconds
                let clock = ContinuousClock()
                let started = clock.now
                try await session.runPipeline(work, recorder: recorder)
                // A pipeline cut short by an interruption is not a result to judge.
                try Task.checkCancellation()
                let seconds = (clock.now - started).inSeconds
                result.phases = 1
                result.phaseSeconds = [seconds]
                let recorded = recorder.snapshot
                result.pipeline = PipelineReference.figures(recorded, work: work, seconds: seconds)
                result.resultSHA256 = result.pipeline?.outputSHA256
                if let problem = reference.problem(with: recorded, keepsOrder: PipelineReference.keepsOrder(work)) {
                    result.outcome = .incorrect
                    result.error = problem
                } else if let failure = reference.failure {
                    result.outcome = .incorrect
                    result.error = "expected the failure of \(failure), but every item passed"
                } else {
                    result.correct = true
                }
            }
            let kept = finish(result, failure: failure) {
                reference.fails(stage: $0.coordinates.phase, item: $0.coordinates.index)
            }
            if let kept { report.results.append(kept) }
        }
        return report
    }

    // MARK: Measuring a strategy

    /// Opens a session, runs `body` inside the measurements every result carries, and closes the session.
    private func measure(
        _ strategy: any Strategy,
        scenario: Scenario,
        plan: WorkPlan,
        round: Int,
        body: (any StrategySession, inout RunResult) async throws -> Void
    ) async -> (RunResult, UnitFailure?) {
        var unitFailure: UnitFailure?
        var result = RunResult(
            scenario: scenario.name,
            strategy: type(of: strategy).name,
            label: strategy.label,
            outcome: .success,
            correct: false,
            finalGridSHA256: nil,
            resultSHA256: nil,
            phases: 0,
            wallSeconds: 0,
            idealSeconds: 0,
            overheadRatio: nil,
            phaseSeconds: [],
            cpuUserSeconds: 0,
            cpuSystemSeconds: 0,
            peakRSSBytes: 0,
            peakThreads: 0,
            pipeline: nil,
            strategyMetrics: [:],
            error: nil
        )
        result.repetition = round
        let strategyRound = StrategyRound(
            scenario: scenario.name,
            label: strategy.label,
            phases: plan.phases,
            plannedUnits: plan.phases * plan.largestPhase,
            round: round,
            isOneOfSeveral: repeats > 1 || warmups > 0
        )
        events.receive(.strategyStarted(strategyRound))
        defer { events.receive(.strategyFinished) }
        let sampler = ResourceSampler(retiringIdleThreadsOf: services)
        let latencies = UnitLatencyRecorder(alongside: events.unitSinks(for: strategyRound))
        try? sampler.start()
        let usageBefore = ResourceUsage.current()
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let session = try await strategy.makeSession(
                context: StrategyContext(
                    seed: scenario.seed,
                    cores: cores,
                    plan: plan,
                    services: services.waits,
                    unitTimings: latencies
                )
            )
            do {
                try await body(session, &result)
            } catch {
                result.strategyMetrics = session.metrics()
                result.warnings = session.warnings()
                _ = await sampler.finish()
                await session.close()
                throw error
            }
            result.strategyMetrics = session.metrics()
            result.warnings = session.warnings()
            // Threads a session starts to tear itself down are not part of the run.
            _ = await sampler.finish()
            await session.close()
        } catch  where Task.isCancelled {
            // Interrupted: whatever the strategy threw on its way out (a wait cut short, a worker ended) is
            // the interruption, not a failure of the strategy.
            result.outcome = .interrupted
            result.error = "interrupted"
        } catch let failure as UnitFailure {
            unitFailure = failure
            result.outcome = .unitFailure
            result.note = type(of: strategy).pythonFailureNote
            result.error = failure.description
            events.receive(
                .log(
                    .unitFailed(
                        UnitFailed(
                            scenario: scenario.name,
                            strategy: result.strategy,
                            phase: failure.coordinates.phase,
                            unitIndex: failure.coordinates.index,
                            unit: failure.coordinates.name,
                            step: failure.step,
                            error: failure.description
                        )
                    )
                )
            )
        } catch let refusal as StrategyRefusal {
            result.outcome = .refused
            result.error = "refused: \(refusal.reason)"
        } catch is CancellationError {
            result.outcome = .interrupted
            result.error = "interrupted"
        } catch {
            result.outcome = .error
            result.error = String(describing: error)
        }
        let usage = ResourceUsage.current() - usageBefore
        let peaks = await sampler.finish()
        result.wallSeconds = (clock.now - started).inSeconds
        // Faster than its own waits allow: the waits did not happen, so the time and the result are not a pass.
        // The floor is the sum of the completed phases' ideals, so it is held against those phases' own times:
        // the wall time also holds the session's start and end, which can hide skipped waits on a loaded machine.
        let measured = result.phaseSeconds.isEmpty ? result.wallSeconds : result.phaseSeconds.reduce(0, +)
        if result.outcome == .success,
            let problem = MeasurementFloor.problem(wallSeconds: measured, idealSeconds: result.idealSeconds)
        {
            result.invalidMeasurement = problem
            result.correct = false
            result.error = problem
        }
        // A ratio compares like with like: the whole run against its floor, so only for runs that finished.
        result.overheadRatio =
            result.idealSeconds > 0 && result.outcome == .success && result.invalidMeasurement == nil
            ? result.wallSeconds / result.idealSeconds : nil
        result.cpuUserSeconds = usage.userSeconds
        result.cpuSystemSeconds = usage.systemSeconds
        result.cpuChildrenUserSeconds = usage.childUserSeconds
        result.cpuChildrenSystemSeconds = usage.childSystemSeconds
        result.voluntaryContextSwitches = usage.voluntarySwitches
        result.involuntaryContextSwitches = usage.involuntarySwitches
        result.peakThreads = peaks.threads
        result.unitLatency = latencies.units.summary
        result.waitError = latencies.waitErrors.summary
        result.peakRSSBytes = peaks.rssBytes
        return (result, unitFailure)
    }

    /// Judges a failure — correct when the unit it blames fails in the reference too (which failing unit
    /// is seen first may differ between strategies) — and writes the result event.
    private func finish(
        _ result: RunResult,
        failure: UnitFailure?,
        failsInReference: (UnitFailure) -> Bool
    ) -> RunResult? {
        var result = result
        if let failure { result.correct = failsInReference(failure) }
        // Warm-up rounds are run to be thrown away: neither logged nor reported.
        guard result.repetition > 0 else { return nil }
        events.receive(.log(.result(result)))
        return result
    }

    private func expectationProblems(_ expectations: Expectations, failure: UnitFailure?, digest: String?) -> [String] {
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
}
