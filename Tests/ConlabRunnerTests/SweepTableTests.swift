import ConlabScenario
import Testing

@testable import ConlabRunner

@Suite("Sweeps")
struct SweepTableTests {
    @Test("--sweep parses a key path and at least two values; several make a grid, the first varying slowest")
    func grid() throws {
        let workers = try #require(ScenarioSweep("workload.workers=1, 2,4"))
        #expect(workers.path == ["workload", "workers"] && workers.values == ["1", "2", "4"])
        #expect(ScenarioSweep("workload.workers=1") == nil)
        #expect(ScenarioSweep("workload.workers") == nil)
        #expect(ScenarioSweep("=1,2") == nil)
        let latency = try #require(ScenarioSweep("workload.io.latency=1ms,10ms"))
        let settings = ScenarioSweep.grid([workers, latency]).map { $0.map(\.description) }
        #expect(settings.count == 6)
        #expect(settings[0] == ["workload.workers=1", "workload.io.latency=1ms"])
        #expect(settings[1] == ["workload.workers=1", "workload.io.latency=10ms"])
        #expect(settings[5] == ["workload.workers=4", "workload.io.latency=10ms"])
    }

    @Test("The best setting is the fastest correct one; the knee is where a step gains less than half its promise")
    func kneeAndBest() {
        // 1 → 2 halves the time, 2 → 4 halves it again, 4 → 8 gains only 1.2× of a promised 2×.
        let scaling = SweepTable.analyse(values: [1, 2, 4, 8], walls: [8, 4, 2, 1.7])
        #expect(scaling.knee == 2 && scaling.best == 3)
        // Perfect scaling has no knee.
        #expect(SweepTable.analyse(values: [1, 2, 4], walls: [4, 2, 1]).knee == nil)
        // A wrong result never counts as best, and stops the knee's search.
        let wrong = SweepTable.analyse(values: [1, 2, 4], walls: [4, nil, 0.5])
        #expect(wrong.best == 2 && wrong.knee == nil)
        // Values that are not increasing numbers: no knee, still a best.
        #expect(SweepTable.analyse(values: nil, walls: [3, 1, 2]) == (knee: nil, best: 1))
    }
}
