import ConlabCore
import ConlabLog
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabToolkit
import ConlabWorkloads
import Testing

@testable import ConlabRunner

@Suite("A run's size is bounded by the machine's memory, not by a fixed number")
struct MemoryBoundsTests {
    @Test("Life's largest grid is derived from the memory")
    func lifeCaps() {
        #expect(LifeSpec.maximumCells(memory: 24 << 30) == 805_306_368)
        #expect(LifeSpec.maximumCells(memory: 4 << 30) == 134_217_728)
        // A cell's index is kept in 32 bits, whatever the memory.
        #expect(LifeSpec.maximumCells(memory: 1 << 40) == Int(UInt32.max))
        // Ten million cells fit this machine, as the issue asks; the cap is no longer a million.
        #expect(LifeSpec.maximumCells(memory: ProcessMemory.physicalBytes) >= 10_000_000)
    }

    @Test("An estimate over half the memory is refused, with what it would commit")
    func estimateRefusal() throws {
        let memory = 24 << 30
        let tenMillionTasks = StrategyEstimate(threads: 0, tasks: 10_000_000, schedule: .units(concurrency: nil))
        let refusal = try #require(tenMillionTasks.memoryRefusal(memory: memory))
        #expect(refusal == "it would commit about 19.0 GiB, over half of this machine's 24.0 GiB")
        let tenMillionParked = StrategyEstimate(threads: 2, parkedUnits: 10_000_000, schedule: .units(concurrency: nil))
        #expect(tenMillionParked.memoryRefusal(memory: memory) == nil)
    }

    @Test("A run refuses a strategy over the memory before making its session")
    func runRefuses() async throws {
        let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)
        let scenario = try loader.load(
            yaml: """
                name: memory-bound
                workload: { kind: life, rows: 3, columns: 3, generations: 1, pattern: blinker }
                strategies: [serial]
                """,
            file: "memory.yaml"
        )
        let greedy = StrategySpec(strategy: GreedyStrategy(), location: .unknown)
        let report = await ScenarioRunner(events: [], cores: 2, services: TestServices.shared).run(
            scenario,
            strategies: [greedy]
        )
        let result = try #require(report.results.first)
        #expect(result.outcome == .refused)
        #expect(result.error?.hasPrefix("refused: it would commit about ") == true, "\(result.error ?? "")")
        #expect(!GreedyStrategy.askedForSession.isSet)
    }
}

/// Says it would hold as many tasks as the machine's memory; notes whether a session was asked for.
private struct GreedyStrategy: Strategy {
    static let name = "greedy"
    static let summary = "Estimates more memory than the machine has."
    static let askedForSession = Mutexed<Bool>()

    init() {}
    init(options: StrategyOptions) throws(OptionError) {}

    func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(
            threads: 0,
            tasks: ProcessMemory.physicalBytes / StrategyEstimate.bytesPerTask,
            schedule: .units(concurrency: nil)
        )
    }

    func makeSession(context: StrategyContext) async throws -> any StrategySession {
        Self.askedForSession.set(true)
        throw StrategyRefusal("asked for a session the memory could not hold")
    }
}
