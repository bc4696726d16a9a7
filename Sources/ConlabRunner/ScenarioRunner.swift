import ConlabCore
public import ConlabScenario
import ConlabWorkloads

/// Runs scenarios: computes the serial reference, runs each strategy against it, writes the log.
///
/// A strategy's timing is only reported as correct when every state it produced equals the reference's;
/// a strategy that fails must fail where the reference fails.
public struct ScenarioRunner: Sendable {
    /// Where events go.
    public let log: EventLog
    /// The machine's cores, handed to strategies.
    public let cores: Int

    /// Creates a runner.
    public init(log: EventLog, cores: Int) {
        self.log = log
        self.cores = cores
    }

    /// Runs `strategies` (by default the scenario's own) on `scenario`.
    public func run(_ scenario: Scenario, strategies: [StrategySpec]? = nil) async -> ScenarioReport {
        switch scenario.workload {
        case .life(let spec):
            let workload = spec.workload(seed: scenario.seed)
            var report = await run(workload, scenario: scenario, strategies: strategies ?? scenario.strategies)
            if spec.columns * (spec.generations + 1) <= 400 && spec.rows <= 60 {
                report.frames = report.referenceStates.compactMap { ($0 as? LifeGrid)?.rendered }
            }
            return report
        }
    }

    private func run<Workload: PhasedWorkload>(
        _ workload: Workload,
        scenario: Scenario,
        strategies: [StrategySpec]
    ) async -> ScenarioReport {
        let reference = ReferenceRun(workload)
        var report = ScenarioReport(scenario: scenario, referenceStates: reference.states)
        report.referenceFailure = reference.failure
        report.referenceDigest = reference.failure == nil ? reference.states.last.map(workload.digest) : nil
        report.problems += expectationProblems(
            scenario.expectations,
            reference: reference,
            digest: report.referenceDigest
        )
        for spec in strategies {
            if Task.isCancelled { break }
            report.results.append(await run(spec.strategy, on: workload, reference: reference, scenario: scenario))
        }
        return report
    }

    private func expectationProblems<Workload>(
        _ expectations: Expectations,
        reference: ReferenceRun<Workload>,
        digest: String?
    ) -> [String] {
        var problems: [String] = []
        switch (expectations.outcome, reference.failure) {
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

    private func run<Workload: PhasedWorkload>(
        _ strategy: any Strategy,
        on workload: Workload,
        reference: ReferenceRun<Workload>,
        scenario: Scenario
    ) async -> RunResult {
        let name = type(of: strategy).name
        var result = RunResult(
            scenario: scenario.name,
            strategy: name,
            label: strategy.label,
            outcome: .success,
            correct: false,
            finalGridSHA256: nil,
            phases: 0,
            wallSeconds: 0,
            idealSeconds: 0,
            overheadRatio: nil,
            phaseSeconds: [],
            cpuUserSeconds: 0,
            cpuSystemSeconds: 0,
            peakRSSBytes: 0,
            peakThreads: 0,
            strategyMetrics: [:],
            error: nil
        )
        let plan = WorkPlan(phases: workload.phaseCount, largestPhase: reference.profiles.map(\.count).max() ?? 0)
        let sampler = ResourceSampler()
        try? sampler.start()
        let usageBefore = ResourceUsage.current()
        let clock = ContinuousClock()
        let started = clock.now
        var ideal = Duration.zero
        var state = workload.initialState
        do {
            let session = try await strategy.makeSession(
                context: StrategyContext(seed: scenario.seed, cores: cores, plan: plan)
            )
            do {
                for phase in 0..<workload.phaseCount {
                    try Task.checkCancellation()
                    let batch = workload.batch(phase: phase, from: state)
                    ideal += session.idealDuration(of: reference.profiles[phase])
                    let phaseStarted = clock.now
                    let outputs = try await session.run(batch)
                    let seconds = (clock.now - phaseStarted).inSeconds
                    state = workload.state(after: batch, outputs: outputs)
                    result.phases += 1
                    result.phaseSeconds.append(seconds)
                    log.write(
                        .phaseFinished(
                            PhaseFinished(
                                scenario: scenario.name,
                                strategy: name,
                                phase: phase,
                                phaseName: workload.phaseName,
                                units: batch.count,
                                seconds: seconds
                            )
                        )
                    )
                    if phase + 1 >= reference.states.count || state != reference.states[phase + 1] {
                        result.outcome = .incorrect
                        result.error = "\(workload.phaseName) \(phase) differs from the serial reference"
                        break
                    }
                }
            } catch {
                result.strategyMetrics = session.metrics()
                _ = await sampler.finish()
                await session.close()
                throw error
            }
            result.strategyMetrics = session.metrics()
            // Threads a session starts to tear itself down are not part of the run.
            _ = await sampler.finish()
            await session.close()
            if result.outcome == .success {
                result.correct = reference.failure == nil
                result.finalGridSHA256 = workload.digest(of: state)
                if let failure = reference.failure {
                    result.outcome = .incorrect
                    result.error = "expected the failure of \(failure), but every unit succeeded"
                }
            }
        } catch let failure as UnitFailure {
            result.outcome = .unitFailure
            result.error = failure.description
            // Which unit fails first in time may differ between strategies; the phase may not.
            result.correct = reference.failure?.coordinates.phase == failure.coordinates.phase
            log.write(
                .unitFailed(
                    UnitFailed(
                        scenario: scenario.name,
                        strategy: name,
                        phase: failure.coordinates.phase,
                        unitIndex: failure.coordinates.index,
                        unit: failure.coordinates.name,
                        step: failure.step,
                        error: failure.description
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
        let wall = (clock.now - started).inSeconds
        let usage = ResourceUsage.current() - usageBefore
        let peaks = await sampler.finish()
        result.wallSeconds = wall
        result.idealSeconds = ideal.inSeconds
        result.overheadRatio = ideal > .zero ? wall / ideal.inSeconds : nil
        result.cpuUserSeconds = usage.userSeconds
        result.cpuSystemSeconds = usage.systemSeconds
        result.peakThreads = peaks.threads
        result.peakRSSBytes = peaks.rssBytes
        log.write(.result(result))
        return result
    }
}
