public import ConlabCore
public import ConlabIO
import ConlabLatency
public import ConlabWorkloads
import Foundation

/// The check every strategy must pass: the same reference workloads, compared with the serial reference.
///
/// It returns the problems it found (empty when the strategy conforms), so any test framework can assert
/// on them. What it checks:
/// - outputs equal the reference, in unit order, for Life with I/O in one step, in both steps, and none;
/// - every unit runs exactly once (an empty phase and a one-unit phase included);
/// - a failing unit's ``UnitFailure`` reaches the caller with the reference's phase and a real coordinate;
/// - a session can run many phases and be closed after a failure;
/// - every unit run in this process reports its timing to the context's `unitTimings`;
/// - the waits beyond modelled I/O that the strategy declares it runs: real child processes, and real
///   blocking `poll` calls, each performed in full;
/// - an unknown option is rejected by its key and place; `estimate` refuses exactly the plans `makeSession`
///   refuses, and states the concurrency its session has;
/// - a phase of equal waits takes no less than the session's ideal floor, and not grossly more: its
///   `concurrency` is the truth;
/// - a phase whose task is cancelled ends within a second: no unit starts after the cancellation;
/// - pipelines (for strategies that run them) deliver every item once with the reference's values, keep
///   order with one worker per stage, hold buffers to their bound (unless the strategy declares it has
///   none, ``Strategy/boundsPipelineBuffers``), and a failing stage reaches the caller.
///
/// A strategy in another package runs it from its own tests:
///
/// ```swift
/// let problems = await StrategyConformance.problems(of: try MyStrategy(options: StrategyOptions()))
/// #expect(problems.isEmpty, "\(problems)")
/// ```
public enum StrategyConformance {
    /// Runs the checks on `strategy`. A strategy that runs units in worker processes starts
    /// `workerExecutable` (`conlab worker`); by default this process's own executable, which in a test
    /// process is not conlab, so such strategies pass the path of a built `conlab`.
    ///
    /// The checks' waits use `services`, by default timers and reactors of the kit's own for this call.
    public static func problems(
        of strategy: any Strategy,
        workerExecutable: String = StrategyContext.currentExecutable,
        services provided: StandardServices? = nil
    ) async -> [String] {
        let services: WaitServices
        do {
            services = try (provided ?? StandardServices()).waits
        } catch {
            return ["the conformance kit cannot make its services: \(error)"]
        }
        var problems: [String] = []
        let label = strategy.label
        for (name, workload) in referenceWorkloads() {
            do {
                let timings = CountingUnitSink()
                let session = try await strategy.makeSession(
                    context: StrategyContext(
                        seed: 7,
                        cores: 2,
                        workerExecutable: workerExecutable,
                        services: services,
                        unitTimings: timings
                    )
                )
                var state = workload.initialState
                var expected = workload.initialState
                var units = 0
                try await closing(session) { session in
                    for phase in 0..<workload.phaseCount {
                        let batch = workload.batch(phase: phase, from: state)
                        units += batch.count
                        let outputs = try await session.run(batch)
                        if outputs.count != batch.count {
                            problems.append("\(label) on \(name): \(outputs.count) outputs for \(batch.count) units")
                            break
                        }
                        state = workload.state(after: batch, outputs: outputs)
                        expected = LifeRules.step(expected)
                        if state != expected {
                            problems.append("\(label) on \(name): generation \(phase) differs from the reference")
                            break
                        }
                    }
                }
                // Units that run in worker processes are timed there, and report nothing here.
                if !type(of: strategy).runsUnitsElsewhere, problems.isEmpty, timings.count != units {
                    problems.append(
                        "\(label) on \(name): reported \(timings.count) units' timings of \(units) it ran "
                            + "(pass the context's unitTimings to runBlocking/runSuspending, or report to it)"
                    )
                }
            } catch {
                problems.append("\(label) on \(name): unexpected error \(error)")
            }
        }
        problems += await failureProblems(of: strategy, workerExecutable: workerExecutable, services: services)
        problems += await declarationProblems(of: strategy, workerExecutable: workerExecutable, services: services)
        problems += await concurrencyProblems(of: strategy, workerExecutable: workerExecutable, services: services)
        problems += await externalWaitProblems(of: strategy, workerExecutable: workerExecutable, services: services)
        problems += await cancellationProblems(of: strategy, workerExecutable: workerExecutable, services: services)
        if type(of: strategy).supportedShapes.contains(.pipeline) {
            problems += await pipelineProblems(of: strategy, workerExecutable: workerExecutable, services: services)
        }
        return problems
    }

    /// Life workloads small and fast enough for a unit test, with their names.
    public static func referenceWorkloads() -> [(String, LifeWorkload)] {
        let glider = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 1)
        let random = LifePattern.random(density: 0.3).grid(rows: 12, columns: 10, seed: 3)
        let oneCell = LifeGrid(rows: 1, columns: 1)
        let io = IOModel(latency: .uniform(min: .microseconds(100), max: .milliseconds(2)))
        return [
            (
                "glider, I/O in game_logic",
                LifeWorkload(
                    initial: glider,
                    generations: 4,
                    io: LifeIO(steps: [.gameLogic], model: io, random: CounterRandom(seed: 1))
                )
            ),
            (
                "random 12×10, I/O in both steps",
                LifeWorkload(
                    initial: random,
                    generations: 3,
                    io: LifeIO(steps: Set(LifeStep.allCases), model: io, random: CounterRandom(seed: 2))
                )
            ),
            ("random 12×10, no I/O", LifeWorkload(initial: random, generations: 5, io: .none(seed: 3))),
            (
                "1×1 grid",
                LifeWorkload(
                    initial: oneCell,
                    generations: 2,
                    io: LifeIO(steps: [.countNeighbors], model: io, random: CounterRandom(seed: 4))
                )
            ),
        ]
    }

    private static func failureProblems(
        of strategy: any Strategy,
        workerExecutable: String,
        services: WaitServices
    ) async -> [String] {
        // A 4% failure rate on 45 cells: the reference's first failing generation is where every strategy must fail.
        let glider = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 1)
        let io = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .fixed(.microseconds(200)), failureRate: 0.04),
            random: CounterRandom(seed: 11)
        )
        let workload = LifeWorkload(initial: glider, generations: 6, io: io)
        guard let expected = firstFailure(of: workload) else {
            return ["conformance fixture: the failing workload does not fail; change its seed"]
        }
        do {
            let session = try await strategy.makeSession(
                context: StrategyContext(
                    seed: 11,
                    cores: 2,
                    workerExecutable: workerExecutable,
                    services: services
                )
            )
            var state = workload.initialState
            do {
                try await closing(session) { session in
                    for phase in 0..<workload.phaseCount {
                        let batch = workload.batch(phase: phase, from: state)
                        state = workload.state(after: batch, outputs: try await session.run(batch))
                    }
                }
                return ["\(strategy.label): the failure of \(expected) never reached the caller"]
            } catch let failure as UnitFailure {
                if failure.coordinates.phase != expected.coordinates.phase {
                    return [
                        "\(strategy.label): failed in generation \(failure.coordinates.phase), expected \(expected.coordinates.phase)"
                    ]
                }
                let failing = workload.batch(phase: failure.coordinates.phase, from: state).unit(
                    at: failure.coordinates.index
                )
                if case .success = failing.runInstantly().result {
                    return ["\(strategy.label): reported \(failure), but that unit does not fail"]
                }
                return []
            }
        } catch {
            return ["\(strategy.label): expected a UnitFailure, got \(error)"]
        }
    }

    private static func firstFailure(of workload: LifeWorkload) -> UnitFailure? {
        var state = workload.initialState
        for phase in 0..<workload.phaseCount {
            let batch = workload.batch(phase: phase, from: state)
            var outputs: [Bool] = []
            for index in 0..<batch.count {
                switch batch.unit(at: index).runInstantly().result {
                case .success(let output): outputs.append(output)
                case .failure(let failure): return failure
                }
            }
            state = workload.state(after: batch, outputs: outputs)
        }
        return nil
    }

    /// Runs `body` with `session` and closes the session whether `body` returns or throws: a session left open
    /// when a strategy throws something unexpected would keep its threads or worker processes.
    static func closing<Result>(
        _ session: any StrategySession,
        _ body: (any StrategySession) async throws -> Result
    ) async throws -> Result {
        let result: Result
        do {
            result = try await body(session)
        } catch {
            await session.close()
            throw error
        }
        await session.close()
        return result
    }
}
