import ConlabCore
import ConlabExternal
import ConlabLog
import ConlabRunner
import ConlabScenario
import Synchronization

/// The strategy protocol's conformance suite (`docs/strategy-protocol.md`): small runs of each work kind the
/// program runs (the Game of Life, CPU batches, pipelines) that it must get right, each through conlab's own
/// runner, so that a program is judged exactly as it is in `conlab run`.
///
/// A program conforms when, in every case, it greets in version 1, returns every generation, batch and pipeline
/// equal to the serial reference (with and without waits, on a 1×1 grid, over several generations, with several
/// workers a stage, bounded buffers and polling queues), reports a failing call where
/// the reference fails (at concurrency 1, the reference's first failure itself), never finishes a generation
/// under its ideal floor at the concurrency it declares (its waits happened), and exits with status 0 after
/// `end` and at the end of its input. A program that hangs stops the suite: every later case would wait out the
/// phase timeout too.
struct ConformanceSuite: Sendable {
    /// One run of the suite: a Life workload, the outcome it must have, how the program is let go.
    struct Case: Sendable {
        /// What it checks, in a few words.
        var title: String
        /// The work kind it runs (``ConlabCore/ExternalBatch/externalKind``): only a program that runs it is
        /// checked with it.
        var kind = "life.generation"
        /// The scenario's `seed`.
        var seed: UInt64 = 1
        /// The scenario's `workload` mapping, as YAML indented under it.
        var workload: String
        /// Whether the reference fails a call (a timeout or an I/O failure) that the program must report.
        var fails = false
        /// How the program is told the run is over.
        var farewell = ProgramEnding.Farewell.endMessage
    }

    /// What one case found: nothing when the program passed it.
    struct Check: Sendable {
        /// The case's title.
        var title: String
        /// Every problem found, each a sentence.
        var problems: [String]
        /// The program was unavailable (its runtime is missing): nothing was checked.
        var unavailable = false
        /// The program was taken for hung: the rest of the suite is not run.
        var hung = false
    }

    /// The work kinds the suite has cases for.
    static let kinds = ["life.generation", "cpu.batch", "pipeline"]

    /// The cases, quickest first within each kind: about 3 s for a serial program's Life, 1 s for its CPU
    /// batches, 2 s for its pipelines.
    static let cases: [Case] = [
        Case(
            title: "a glider without waits, 4 generations",
            workload: """
                  kind: life
                  rows: 5
                  columns: 9
                  pattern: {named: glider, at: [0, 2]}
                  generations: 4
                """
        ),
        Case(
            title: "a 1×1 grid, 50 ms waits on both steps, 3 generations",
            workload: """
                  kind: life
                  rows: 1
                  columns: 1
                  pattern: {cells: [[0, 0]]}
                  generations: 3
                  io: {step: both, latency: 50ms}
                """
        ),
        Case(
            title: "a random 6×8 grid, 1–3 ms uniform waits on both steps, 3 generations",
            seed: 7,
            workload: """
                  kind: life
                  rows: 6
                  columns: 8
                  pattern: {random: {density: 0.35}}
                  generations: 3
                  io: {step: both, latency: {uniform: {min: 1ms, max: 3ms}}}
                """
        ),
        Case(
            title: "a call that times out (uniform 1–3 ms, timeout 2.9 ms)",
            seed: 3,
            workload: """
                  kind: life
                  rows: 5
                  columns: 9
                  pattern: {named: glider, at: [0, 2]}
                  generations: 4
                  io: {step: game_logic, latency: {uniform: {min: 1ms, max: 3ms}}, timeout: 2.9ms}
                """,
            fails: true
        ),
        Case(
            title: "a call that times out in generation 1 (exponential, mean 2 ms, timeout 8 ms)",
            seed: 4,
            workload: """
                  kind: life
                  rows: 5
                  columns: 9
                  pattern: {named: glider, at: [0, 2]}
                  generations: 3
                  io: {step: game_logic, latency: {exponential: {mean: 2ms}}, timeout: 8ms}
                """,
            fails: true
        ),
        Case(
            title: "a call that fails in generation 2 (1 ms waits on both steps, failure rate 0.01)",
            seed: 14,
            workload: """
                  kind: life
                  rows: 5
                  columns: 9
                  pattern: {named: glider, at: [0, 2]}
                  generations: 4
                  io: {step: both, latency: 1ms, failure_rate: 0.01}
                """,
            fails: true
        ),
        Case(
            title: "the end of its input instead of 'end'",
            workload: """
                  kind: life
                  rows: 5
                  columns: 9
                  pattern: {named: glider, at: [0, 2]}
                  generations: 2
                """,
            farewell: .endOfInput
        ),
        Case(
            title: "a factorize batch of four numbers, 3 rounds",
            kind: "cpu.batch",
            workload: """
                  kind: cpu
                  task: factorize
                  numbers: [360, 97, 1001, 65536]
                  rounds: 3
                """
        ),
        Case(
            title: "a gcd batch of three pairs, 2 rounds",
            kind: "cpu.batch",
            workload: """
                  kind: cpu
                  task: gcd
                  numbers: [[1071, 462], [30030, 4199], [97, 89]]
                  rounds: 2
                """
        ),
        Case(
            title: "a pipeline of three stages with 2 ms waits, one worker each, 30 items",
            kind: "pipeline",
            seed: 55,
            workload: """
                  kind: pipeline
                  items: 30
                  stages:
                    - { name: download, latency: 2ms }
                    - { name: resize, latency: 2ms }
                    - { name: upload, latency: 2ms }
                """
        ),
        Case(
            title: "a pipeline with 2 workers a stage, buffers of 2, polling every 1 ms, drawn waits and CPU",
            kind: "pipeline",
            seed: 9,
            workload: """
                  kind: pipeline
                  items: 24
                  workers: 2
                  buffer: 2
                  discipline: polling
                  poll_interval: 1ms
                  stages:
                    - { name: fetch, latency: {uniform: {min: 1ms, max: 4ms}} }
                    - { name: crunch, cpu: 1ms }
                    - { name: store, latency: {exponential: {mean: 2ms}} }
                """
        ),
        Case(
            title: "a pipeline stage whose calls fail (failure rate 0.05)",
            kind: "pipeline",
            seed: 5,
            workload: """
                  kind: pipeline
                  items: 40
                  stages:
                    - { name: download, latency: 1ms }
                    - { name: resize, latency: 1ms, failure_rate: 0.05 }
                """,
            fails: true
        ),
    ]

    /// The cases of the work kinds the program's manifest lists, in order.
    var selected: [Case] { Self.cases.filter { manifest.workloads.contains($0.kind) } }

    /// The program under test, as a manifest made for it.
    let manifest: StrategyManifest
    /// The longest a generation may take before the program is taken for hung.
    let phaseTimeout: Duration
    /// Where the runs' events go (none: the suite prints its own lines).
    let runner: ScenarioRunner
    /// The strategies and workloads the scenarios are read with.
    let loader: ScenarioLoader

    /// Runs every case in order, telling `report` of each as it finishes; stops after a case in which the
    /// program was unavailable or hung, or when the task is cancelled.
    func run(report: (Check) -> Void) async -> [Check] {
        var checks: [Check] = []
        for (number, testCase) in selected.enumerated() where !Task.isCancelled {
            let check = await run(testCase, number: number + 1)
            if Task.isCancelled { break }
            report(check)
            checks.append(check)
            if check.unavailable || check.hung { break }
        }
        return checks
    }

    /// Runs one case and says what is wrong with what the program did.
    private func run(_ testCase: Case, number: Int) async -> Check {
        var check = Check(title: testCase.title, problems: [])
        let scenario: Scenario
        do {
            scenario = try self.scenario(of: testCase, number: number)
        } catch {
            check.problems.append("conlab cannot read its own case: \(error)")
            return check
        }
        let endings = Endings()
        let strategy = ExternalStrategy(
            manifest: manifest,
            phaseTimeout: phaseTimeout,
            farewell: testCase.farewell,
            whenEnded: { endings.record($0) }
        )
        let report = await runner.run(scenario, strategies: [StrategySpec(strategy: strategy, location: .unknown)])
        guard let result = report.results.first else { return check }
        check.problems += report.problems.map { "conlab's own case is wrong: \($0)" }
        switch result.outcome {
        case .refused:
            check.unavailable = true
            check.problems.append(result.error ?? "refused")
            return check
        case .interrupted:
            return check
        case .success, .unitFailure, .incorrect, .error:
            break
        }
        // The floor is checked phase by phase below, more finely than the runner's whole-run check.
        if !report.passes(result) && result.invalidMeasurement == nil {
            check.problems.append(result.error ?? "its result is \(result.outcome.rawValue)")
            check.hung = result.error?.contains("taken for hung") ?? false
        }
        if let failure = report.referenceFailure, result.outcome == .unitFailure, manifest.concurrency == 1,
            let reported = result.error, reported != failure.description
        {
            check.problems.append(
                "it reported \(reported); one unit at a time, it must meet the reference's first failure: \(failure)"
            )
        }
        check.problems += floorProblems(scenario, phaseSeconds: result.phaseSeconds)
        if let invalid = result.invalidMeasurement, check.problems.isEmpty { check.problems.append(invalid) }
        check.problems += endings.all.filter { !$0.isClean }.map(\.description)
        return check
    }

    /// Each completed phase that took less than its ideal floor at the program's declared concurrency.
    private func floorProblems(_ scenario: Scenario, phaseSeconds: [Double]) -> [String] {
        guard case .phased(let workload) = scenario.workload.runnable(seed: scenario.seed) else { return [] }
        let (phaseName, floors) = Self.floors(of: workload, concurrency: manifest.concurrency)
        let declared = manifest.concurrency.map { "concurrency \($0)" } ?? "unbounded concurrency"
        return zip(floors.indices, zip(phaseSeconds, floors)).compactMap { phase, timing in
            let (seconds, floor) = timing
            guard floor > 0, seconds < floor - IdealSchedule.clockTolerance(idealSeconds: floor) else { return nil }
            return "\(phaseName) \(phase) took \(DurationFormat.human(seconds)), under its ideal floor of "
                + "\(DurationFormat.human(floor)) at \(declared): its waits did not happen"
        }
    }

    /// The name of `workload`'s phases, and each phase's ideal floor in seconds on `concurrency` workers.
    private static func floors<Workload: PhasedWorkload>(
        of workload: Workload,
        concurrency: Int?
    ) -> (String, [Double]) {
        let reference = ReferenceRun(workload)
        return (
            workload.phaseName,
            reference.profiles.map { IdealSchedule.makespan(of: $0.totals, workers: concurrency).inSeconds }
        )
    }

    /// The case as a scenario, read as `conlab run` reads one, whose one strategy is the program under test.
    private func scenario(of testCase: Case, number: Int) throws -> Scenario {
        try StrategyManifest.$given.withValue([manifest]) {
            try loader.load(yaml: text(of: testCase, number: number), file: "conform case \(number)")
        }
    }

    /// The case's scenario text.
    private func text(of testCase: Case, number: Int) -> String {
        """
        name: conform-\(number)
        description: "\(testCase.title)"
        seed: \(testCase.seed)
        workload:
        \(testCase.workload)
        strategies:
          - external: { program: \(manifest.name) }
        expect:
          outcome: \(testCase.fails ? "unit_failure" : "success")

        """
    }

    /// The endings a case's sessions report, from the thread that lets the program go.
    private final class Endings: Sendable {
        private let endings = Mutex<[ProgramEnding]>([])

        func record(_ ending: ProgramEnding) { endings.withLock { $0.append(ending) } }

        var all: [ProgramEnding] { endings.withLock { $0 } }
    }
}
