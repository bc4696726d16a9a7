import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario
import ConlabWorkloads

/// The waits beyond modelled I/O (``Wait/external(step:job:)``): real child processes and a real blocking
/// `poll`, performed with the context's ``WaitServices``.
extension StrategyConformance {
    /// Every kind of external wait the strategy declares it can run (``Strategy/refusal(of:kind:)``): six
    /// `/bin/true` jobs (item 52), each started, waited for and reported; and four `poll` calls on a socket
    /// that never becomes readable (item 53), each blocking its full 20 ms timeout.
    static func externalWaitProblems(
        of strategy: any Strategy,
        workerExecutable: String,
        services: WaitServices
    ) async -> [String] {
        var problems: [String] = []
        let label = strategy.label
        let type = type(of: strategy)

        let jobs = SubprocessWorkload(
            jobs: [.init(name: "true", commands: [ChildCommand(arguments: ["/bin/true"])], count: 6)],
            random: CounterRandom(seed: 9)
        )
        if type.refusal(of: .phased(SubprocessWorkload.self), kind: "subprocess") == nil {
            do {
                let batch = jobs.batch(phase: 0, from: jobs.initialState)
                let outputs = try await runOnePhase(
                    batch,
                    of: strategy,
                    workerExecutable: workerExecutable,
                    services: services
                )
                if outputs.count != batch.count || outputs.contains(where: { $0.outcome == nil || !$0.asExpected }) {
                    problems.append(
                        "\(label) on child processes: \(outputs.filter { $0.outcome != nil }.count) of "
                            + "\(batch.count) jobs ran and exited 0"
                    )
                }
            } catch {
                problems.append("\(label) on child processes: unexpected error \(error)")
            }
        }

        let timeout = Duration.milliseconds(20)
        let calls = SyscallWorkload(calls: 4, timeout: timeout)
        if type.refusal(of: .phased(SyscallWorkload.self), kind: "syscall") == nil {
            do {
                let batch = calls.batch(phase: 0, from: calls.initialState)
                let clock = ContinuousClock()
                let started = clock.now
                let outputs = try await runOnePhase(
                    batch,
                    of: strategy,
                    workerExecutable: workerExecutable,
                    services: services
                )
                let took = clock.now - started
                if outputs != Array(repeating: false, count: batch.count) {
                    problems.append("\(label) on blocking poll calls: outputs \(outputs), expected four timeouts")
                }
                if took < timeout {
                    problems.append("\(label) on blocking poll calls: took \(took), under the 20 ms each call blocks")
                }
            } catch {
                problems.append("\(label) on blocking poll calls: unexpected error \(error)")
            }
        }
        return problems
    }

    /// Opens a session with `services`, runs `batch` as its one phase, and closes it.
    private static func runOnePhase<Batch: UnitBatch>(
        _ batch: Batch,
        of strategy: any Strategy,
        workerExecutable: String,
        services: WaitServices
    ) async throws -> [Batch.Unit.Output] {
        let session = try await strategy.makeSession(
            context: StrategyContext(
                seed: 9,
                cores: 2,
                plan: WorkPlan(phases: 1, largestPhase: batch.count),
                workerExecutable: workerExecutable,
                services: services
            )
        )
        do {
            let outputs = try await session.run(batch)
            await session.close()
            return outputs
        } catch {
            await session.close()
            throw error
        }
    }
}
