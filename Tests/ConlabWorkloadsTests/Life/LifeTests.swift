import ConlabCore
import ConlabTestSupport
import ConlabToolkit
import ConlabWorkloads
import Testing

@Suite("Game of Life rules and patterns")
struct LifeTests {
    @Test("The glider moves as in item 56, generations 0 to 4")
    func glider() {
        var grid = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 0)
        for frame in SeedOutput.gliderFrames {
            #expect(grid.rendered == frame)
            grid = LifeRules.step(grid)
        }
    }

    @Test("The blinker oscillates with period 2 and the block stays still")
    func oscillatorsAndStillLifes() {
        let blinker = LifePattern.named(.blinker, row: 2, column: 1).grid(rows: 5, columns: 5, seed: 0)
        #expect(LifeRules.step(blinker) != blinker)
        #expect(LifeRules.step(LifeRules.step(blinker)) == blinker)
        let block = LifePattern.named(.block, row: 1, column: 1).grid(rows: 4, columns: 4, seed: 0)
        #expect(LifeRules.step(block) == block)
    }

    @Test("The grid is a torus: neighbours wrap around every edge")
    func torus() {
        var grid = LifeGrid(rows: 3, columns: 4)
        grid.set(0, 0, alive: true)
        #expect(grid.isAlive(3, 4))
        #expect(grid.isAlive(-3, -4))
        #expect(LifeRules.countNeighbors(2, 3, in: grid) == 1)
        #expect(LifeRules.countNeighbors(1, 1, in: grid) == 1)
    }

    @Test("game_logic follows the seed's rules", arguments: 0...8)
    func gameLogic(neighbors: Int) {
        #expect(LifeRules.gameLogic(alive: true, neighbors: neighbors) == (neighbors == 2 || neighbors == 3))
        #expect(LifeRules.gameLogic(alive: false, neighbors: neighbors) == (neighbors == 3))
    }

    @Test("Patterns given as cells, as a picture and by name agree")
    func patternForms() {
        let named = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 0)
        let cells = LifePattern.cells([(0, 3), (1, 4), (2, 2), (2, 3), (2, 4)].map { .init(row: $0.0, column: $0.1) })
            .grid(rows: 5, columns: 9, seed: 0)
        let picture = LifePattern.picture(["-*-", "--*", "***"], row: 0, column: 2).grid(rows: 5, columns: 9, seed: 0)
        #expect(named == cells)
        #expect(named == picture)
        #expect(named.sha256 == SHA256.hexDigest(of: SeedOutput.gliderFrames[0]))
    }

    @Test("A pattern that does not fit is explained")
    func fitting() {
        #expect(
            LifePattern.named(.glider, row: 3, column: 0).problem(rows: 5, columns: 9)?.contains(
                "does not fit the 5×9 grid"
            ) == true
        )
        #expect(LifePattern.cells([.init(row: 5, column: 0)]).problem(rows: 5, columns: 9)?.contains("outside") == true)
        #expect(LifePattern.picture(["----------"], row: 0, column: 0).problem(rows: 5, columns: 9) != nil)
        #expect(LifePattern.named(.glider, row: 2, column: 6).problem(rows: 5, columns: 9) == nil)
    }

    @Test("A random pattern is reproducible from the seed and near its density")
    func randomPattern() {
        let a = LifePattern.random(density: 0.25).grid(rows: 100, columns: 100, seed: 42)
        let b = LifePattern.random(density: 0.25).grid(rows: 100, columns: 100, seed: 42)
        let c = LifePattern.random(density: 0.25).grid(rows: 100, columns: 100, seed: 43)
        #expect(a == b)
        #expect(a != c)
        #expect(abs(Double(a.population) / 10_000 - 0.25) < 0.02)
    }
}
