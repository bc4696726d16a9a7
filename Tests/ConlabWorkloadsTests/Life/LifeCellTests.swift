import ConlabCore
import ConlabLatency
import Testing

@testable import ConlabWorkloads

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

    @Test("Neighbours counted with the edges wrapped once agree with wrapping each neighbour, on any grid shape")
    func neighbours() {
        for (rows, columns) in [(1, 1), (1, 7), (7, 1), (2, 2), (3, 5), (9, 4)] {
            let grid = LifePattern.random(density: 0.5).grid(
                rows: rows,
                columns: columns,
                seed: UInt64(rows * 31 + columns)
            )
            for y in 0..<rows {
                for x in 0..<columns {
                    var wrapped = 0
                    for dy in -1...1 {
                        for dx in -1...1 where (dy, dx) != (0, 0) && grid.isAlive(y + dy, x + dx) { wrapped += 1 }
                    }
                    #expect(
                        LifeRules.countNeighbors(of: y * columns + x, in: grid) == wrapped,
                        "\(rows)×\(columns) (\(y), \(x))"
                    )
                }
            }
        }
    }

    @Test("A fixed latency's wait, found once a generation, is the wait each cell would draw")
    func fixedWait() throws {
        let model = IOModel(latency: .fixed(.milliseconds(7)))
        let io = LifeIO(steps: [.gameLogic], model: model, random: CounterRandom(seed: 5))
        let grid = LifePattern.random(density: 0.3).grid(rows: 4, columns: 5, seed: 5)
        let batch = LifeWorkload(initial: grid, generations: 1, io: io).batch(phase: 0, from: grid)
        for index in 0..<batch.count {
            var unit = batch.unit(at: index)
            guard case .wait(.io(let step, let draw)) = try unit.step() else {
                Issue.record("cell \(index) did not wait")
                continue
            }
            #expect(step == "game_logic")
            #expect(draw == model.draw(io.random, 0, UInt64(index), LifeStep.gameLogic.drawKey))
        }
    }

    @Test("A generation's slab steps a share of its cells to the rules' states, in slot order")
    func slab() throws {
        let grid = LifePattern.random(density: 0.4).grid(rows: 8, columns: 8, seed: 2)
        let io = LifeIO(
            steps: Set(LifeStep.allCases),
            model: IOModel(latency: .uniform(min: .milliseconds(1), max: .milliseconds(3))),
            random: CounterRandom(seed: 2)
        )
        let batch = LifeWorkload(initial: grid, generations: 1, io: io).batch(phase: 0, from: grid)
        let slab = batch.slab(first: 10, count: 30)
        var waits = 0
        for slot in 0..<30 {
            var next = try slab.start(slot)
            while next != nil {
                waits += 1
                next = try slab.resume(slot)
            }
        }
        #expect(waits == 60)
        let expected = try (10..<40).map { try batch.unit(at: $0).runInstantly().result.get() }
        #expect(slab.outputs() == expected)
        #expect(slab.coordinates(of: 3).description == "generation 0, cell (1, 5)")
    }
}
