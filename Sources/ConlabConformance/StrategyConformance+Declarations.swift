import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabWorkloads

/// What a strategy says of itself, held to what it does.
extension StrategyConformance {
    /// The plans the declarations are checked on: one unit, a small phase, and fifty million units at once,
    /// which a strategy with a cap refuses.
    static let declaredPlans = [
        WorkPlan(phases: 1, largestPhase: 1),
        WorkPlan(phases: 3, largestPhase: 45),
        WorkPlan(phases: 1, largestPhase: 50_000_000),
    ]

    /// An unknown option is rejected naming its key; `estimate` refuses exactly the plans `makeSession`
    /// refuses; a session's `concurrency` is the one its estimate states.
    static func declarationProblems(
        of strategy: any Strategy,
        workerExecutable: String,
        services: WaitServices
    ) async -> [String] {
        var problems: [String] = []
        let label = strategy.label
        let place = SourceLocation(file: "conformance.yaml", line: 2, column: 5)
        let unknown = StrategyOptions(
            ["conformance_no_such_option": .init(value: .integer(1), location: place)],
            location: place
        )
        do {
            _ = try type(of: strategy).init(options: unknown)
            problems.append(
                "\(label): accepted an unknown option; init(options:) must reject every key it does not declare"
            )
        } catch {
            if error.key != "conformance_no_such_option" || !error.isUnknownKey || error.location != place {
                problems.append("\(label): an unknown option was rejected as \(error), not by its key and place")
            }
        }

        for plan in declaredPlans {
            let context = StrategyContext(
                seed: 3,
                cores: 2,
                plan: plan,
                workerExecutable: workerExecutable,
                services: services
            )
            let estimate = strategy.estimate(context: context)
            let session: any StrategySession
            do {
                session = try await strategy.makeSession(context: context)
            } catch is StrategyRefusal {
                if estimate.refusal == nil {
                    problems.append("\(label): makeSession refused \(plan.largestPhase) units, which estimate accepts")
                }
                continue
            } catch {
                problems.append("\(label): makeSession for \(plan.largestPhase) units threw \(error)")
                continue
            }
            if let refusal = estimate.refusal {
                problems.append(
                    "\(label): estimate refuses \(plan.largestPhase) units (\(refusal)), makeSession did not"
                )
            }
            if case .units(let stated) = estimate.schedule, stated != session.concurrency {
                problems.append(
                    "\(label): its estimate states a concurrency of \(stated.map(String.init) ?? "every unit"), "
                        + "its session \(session.concurrency.map(String.init) ?? "every unit")"
                )
            }
            await session.close()
        }
        return problems
    }

    /// A phase of 45 units that each wait 40 ms takes no less than the session's ideal floor (else its
    /// concurrency is understated, or it skipped waits), and not grossly more (else its concurrency is
    /// overstated: it runs fewer units at once than it says).
    static func concurrencyProblems(
        of strategy: any Strategy,
        workerExecutable: String,
        services: WaitServices
    ) async -> [String] {
        let glider = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 1)
        let io = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .fixed(.milliseconds(40))),
            random: CounterRandom(seed: 2)
        )
        let workload = LifeWorkload(initial: glider, generations: 1, io: io)
        let batch = workload.batch(phase: 0, from: workload.initialState)
        var profile = PhaseProfile()
        for index in 0..<batch.count {
            profile.startUnit()
            _ = batch.unit(at: index).runInstantly { wait in profile.record(step: wait.step, duration: wait.duration) }
        }
        profile.finish()
        let label = strategy.label
        do {
            let session = try await strategy.makeSession(
                context: StrategyContext(
                    seed: 2,
                    cores: 2,
                    plan: WorkPlan(phases: 1, largestPhase: batch.count),
                    workerExecutable: workerExecutable,
                    services: services
                )
            )
            let ideal = session.idealDuration(of: profile)
            let clock = ContinuousClock()
            let started = clock.now
            _ = try await closing(session) { try await $0.run(batch) }
            let took = clock.now - started
            let stated = session.concurrency.map(String.init) ?? "every unit"
            let tolerance = Duration.seconds(IdealSchedule.clockTolerance(idealSeconds: ideal.inSeconds))
            if took < ideal - tolerance {
                return [
                    "\(label): 45 waits of 40 ms took \(took), under the ideal \(ideal) for a concurrency of "
                        + "\(stated): it runs more units at once than it says, or skips waits"
                ]
            }
            // Far wider than any scheduling or start-up cost on a loaded machine, so only a strategy that runs
            // fewer units at once than it states exceeds it (45 waits one after another take 1.8 s).
            if took > ideal * 4 + .seconds(1) {
                return [
                    "\(label): 45 waits of 40 ms took \(took), over four times the ideal \(ideal) for a "
                        + "concurrency of \(stated): it runs fewer units at once than it says"
                ]
            }
            return []
        } catch {
            return ["\(label): a phase of 45 waits failed with \(error)"]
        }
    }
}
