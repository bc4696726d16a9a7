import ConlabCore
import ConlabLog
import ConlabScenario

// Pipelines: each strategy runs the whole pipeline once, checked item by item against the reference.
extension ScenarioRunner {
    func run<Work: PipelineWork>(
        pipeline work: Work,
        scenario: Scenario,
        strategies: [StrategySpec],
        rounds: Set<Int>?
    ) async
        -> ScenarioReport
    {
        let reference = PipelineReference(work)
        var report = ScenarioReport(scenario: scenario)
        report.referenceFailure = reference.failure
        report.problems += expectationProblems(scenario.expectations, failure: reference.failure, digest: nil)
        events.receive(.referenceFinished(report.reference))
        let plan = Self.plan(pipeline: work)
        for (round, spec) in schedule(strategies, seed: scenario.seed, rounds: rounds) {
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
}
