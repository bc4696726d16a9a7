import ConlabCore
import ConlabLatency
import ConlabWorkloads
import Testing

@Suite("Life cells as units of work")
struct LifeCellTests {
    private func waits(_ steps: Set<LifeStep>) -> [String] {
        let grid = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 0)
        let workload = LifeWorkload(
            initial: grid,
            generations: 1,
            io: LifeIO(steps: steps, model: IOModel(latency: .fixed(.milliseconds(1))), random: CounterRandom(seed: 1))
        )
        var unit = workload.batch(phase: 0, from: grid).unit(at: 12)
        var seen: [String] = []
        while case .wait(.io(let step, _)) = try! unit.step() { seen.append(step) }
        return seen
    }

    @Test("A cell waits in the configured steps, count_neighbors before game_logic")
    func steps() {
        #expect(waits([]) == [])
        #expect(waits([.gameLogic]) == ["game_logic"])
        #expect(waits([.countNeighbors]) == ["count_neighbors"])
        #expect(waits(Set(LifeStep.allCases)) == ["count_neighbors", "game_logic"])
    }

    @Test("Units compute the same generation as the rules, with coordinates the seed would print")
    func units() throws {
        let grid = LifePattern.random(density: 0.4).grid(rows: 7, columns: 6, seed: 9)
        let workload = LifeWorkload(initial: grid, generations: 1, io: .none(seed: 9))
        let batch = workload.batch(phase: 0, from: grid)
        let outputs = try (0..<batch.count).map { try batch.unit(at: $0).runInstantly().result.get() }
        #expect(workload.state(after: batch, outputs: outputs) == LifeRules.step(grid))
        #expect(batch.unit(at: 13).coordinates.description == "generation 0, cell (2, 1)")
    }

    @Test("Every cell draws its own latency, the same every time")
    func latencies() {
        let grid = LifeGrid(rows: 10, columns: 10)
        let io = LifeIO(
            steps: [.gameLogic],
            model: IOModel(latency: .exponential(mean: .milliseconds(10))),
            random: CounterRandom(seed: 3)
        )
        let workload = LifeWorkload(initial: grid, generations: 2, io: io)
        let first = (0..<100).map { workload.batch(phase: 0, from: grid).unit(at: $0).runInstantly().waited }
        let again = (0..<100).map { workload.batch(phase: 0, from: grid).unit(at: $0).runInstantly().waited }
        let nextGeneration = (0..<100).map { workload.batch(phase: 1, from: grid).unit(at: $0).runInstantly().waited }
        #expect(first == again)
        #expect(first != nextGeneration)
        #expect(Set(first).count > 90)
    }
}
