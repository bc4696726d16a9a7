import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Foundation
import Testing

@Suite("Thread, queue and pool strategies")
struct ThreadStrategiesTests {
    private func strategy(_ name: String, _ options: [String: OptionValue] = [:]) throws -> any Strategy {
        let type = try #require(BuiltInStrategies.registry.strategy(named: name))
        return try type.init(
            options: StrategyOptions(options.mapValues { .init(value: $0, location: .unknown) })
        )
    }

    private func glider(steps: Set<LifeStep>, failureRate: Double = 0, seed: UInt64 = 1) -> LifeWorkload {
        let grid = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 0)
        let model = IOModel(latency: .fixed(.milliseconds(2)), failureRate: failureRate)
        return LifeWorkload(
            initial: grid,
            generations: 4,
            io: LifeIO(steps: steps, model: model, random: CounterRandom(seed: seed))
        )
    }

    @Test(
        "A failing unit's error reaches the caller with the serial reference's coordinates",
        arguments: ["thread", "queue", "pool"]
    )
    func errorPropagation(name: String) async throws {
        // Seed 3 makes several cells of generation 0 fail; fan-in must re-raise the first in unit order.
        let workload = glider(steps: [.gameLogic], failureRate: 0.2, seed: 3)
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let expected = try #require(batch.referenceFailures.first)
        let session = try await strategy(name).makeSession(
            context: StrategyContext(seed: 3, cores: 2, services: TestServices.waits)
        )
        await #expect(throws: expected) { _ = try await session.run(batch) }
        await session.close()
        #expect(expected.description.hasPrefix("generation 0, cell ("))
    }

    @Test("With I/O in both steps the queue strategy runs two stages of workers, the seed's phased pipeline")
    func phasedQueue() async throws {
        let session = try await strategy("queue", ["workers": .integer(3)])
            .makeSession(context: StrategyContext(seed: 1, cores: 2, services: TestServices.waits))
        let workload = glider(steps: Set(LifeStep.allCases))
        var grid = workload.initialState
        for phase in 0..<workload.phaseCount {
            let batch = workload.batch(phase: phase, from: grid)
            grid = workload.state(after: batch, outputs: try await session.run(batch))
            #expect(grid == LifeRules.step(batch.grid))
        }
        let metrics = session.metrics()
        #expect(metrics["stages"] == 2)
        #expect(metrics["max_queue_depth_count_neighbors"] != nil && metrics["max_queue_depth_game_logic"] != nil)
        await session.close()
    }

    @Test("The thread strategy refuses a plan over its cap, naming the numbers, and records thread costs")
    func threadCap() async throws {
        let capped = try strategy("thread", ["max_threads": .integer(40)])
        await #expect {
            _ = try await capped.makeSession(
                context: StrategyContext(
                    seed: 1,
                    cores: 2,
                    plan: WorkPlan(phases: 4, largestPhase: 45),
                    services: TestServices.waits
                )
            )
        } throws: { error in
            let text = String(describing: error)
            return error is StrategyRefusal && text.contains("needs 45 threads at once")
                && text.contains("max_threads 40")
        }
        let derived = try strategy("thread")
        await #expect(throws: StrategyRefusal.self) {
            _ = try await derived.makeSession(
                context: StrategyContext(
                    seed: 1,
                    cores: 2,
                    plan: WorkPlan(phases: 1, largestPhase: 50_000_000),
                    services: TestServices.waits
                )
            )
        }
        let session = try await derived.makeSession(
            context: StrategyContext(
                seed: 1,
                cores: 2,
                plan: WorkPlan(phases: 1, largestPhase: 45),
                services: TestServices.waits
            )
        )
        let workload = glider(steps: [.gameLogic])
        _ = try await session.run(workload.batch(phase: 0, from: workload.initialState))
        let metrics = session.metrics()
        #expect(metrics["threads_started"] == 45)
        #expect((metrics["thread_spawn_seconds_mean"] ?? 0) > 0)
        #expect(metrics["stack_size_bytes"] == Double(512 * 1024))
    }

    @Test("Options are validated: a bad value names its key")
    func options() throws {
        #expect(throws: OptionError.self) { _ = try strategy("pool", ["max_workers": .integer(0)]) }
        #expect(throws: OptionError.self) { _ = try strategy("thread", ["stack_size": .string("lots")]) }
        #expect(throws: OptionError.self) { _ = try strategy("queue", ["threads": .integer(3)]) }
        #expect(try strategy("thread", ["stack_size": .string("1MiB")]).label == "thread")
    }
}
