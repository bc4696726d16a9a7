import ConlabCore
import ConlabIO
import ConlabLog
import ConlabScenario
import ConlabToolkit

// Measuring a strategy: what every result carries, whatever the work.
extension ScenarioRunner {
    /// Opens a session, runs `body` inside the measurements every result carries, and closes the session.
    func measure(
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
        // The round's own histograms, for its result, beside the run's sinks that take units (a trace).
        let histograms = UnitHistograms()
        // Warm-ups are thrown away, their timelines too.
        let timeline = timelines && round > 0 ? TimelineSample(plannedUnits: strategyRound.plannedUnits) : nil
        let sinks: [(any UnitTimings.Sink)?] = [histograms, timeline, events.unitSink(for: strategyRound)]
        let unitTimings = UnitSinks.combined(sinks.compactMap { $0 })
        try? sampler.start()
        let usageBefore = ResourceUsage.current()
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let context = StrategyContext(
                seed: scenario.seed,
                cores: cores,
                plan: plan,
                services: services.waits,
                unitTimings: unitTimings
            )
            if let reason = strategy.estimate(context: context).memoryRefusal(memory: ProcessMemory.physicalBytes) {
                throw StrategyRefusal(reason)
            }
            let session = try await strategy.makeSession(context: context)
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
        result.unitLatency = histograms.unitLatency
        result.waitError = histograms.waitError
        result.peakRSSBytes = peaks.rssBytes
        if let timeline { events.receive(.log(.unitTimeline(timeline.timeline(of: result)))) }
        return (result, unitFailure)
    }

    /// Judges a failure — correct when the unit it blames fails in the reference too (which failing unit
    /// is seen first may differ between strategies) — and writes the result event.
    func finish(
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
}
