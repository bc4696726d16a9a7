import ConlabLog
import ConlabRunner
import Testing

@Suite("Comparing runs")
struct ResultComparisonTests {
    private func result(
        _ label: String = "pool(max_workers: 10)",
        wall: Double,
        rss: Double = 1000,
        threads: Double = 10,
        correct: Bool = true
    ) -> LogEvent {
        .result(
            RunResult(
                scenario: "glider",
                strategy: "pool",
                label: label,
                outcome: .success,
                correct: correct,
                wallSeconds: wall,
                peakRSSBytes: Int(rss),
                peakThreads: Int(threads)
            )
        )
    }

    @Test("Inside the threshold is no clear difference; beyond it a regression or an improvement")
    func verdicts() {
        let same = ResultComparison(base: [result(wall: 1.0)], new: [result(wall: 1.04)], threshold: 0.05)
        #expect(!same.hasRegression && !same.hasImprovement)
        #expect(same.changes.map(\.verdict.rawValue) == Array(repeating: "no clear difference", count: 3))
        let slower = ResultComparison(base: [result(wall: 1.0)], new: [result(wall: 1.2)], threshold: 0.05)
        #expect(slower.hasRegression)
        let faster = ResultComparison(base: [result(wall: 1.0)], new: [result(wall: 0.5)], threshold: 0.05)
        #expect(faster.hasImprovement && !faster.hasRegression)
        let fatter = ResultComparison(base: [result(wall: 1.0)], new: [result(wall: 1.0, rss: 2000)], threshold: 0.05)
        #expect(fatter.hasRegression)
    }

    @Test("A result that stopped being correct is a regression, whatever its time")
    func correctness() {
        let broken = ResultComparison(
            base: [result(wall: 1.0)],
            new: [result(wall: 0.1, correct: false)],
            threshold: 0.05
        )
        #expect(broken.hasRegression)
        #expect(broken.changes.map(\.metric) == ["correct"])
    }

    @Test("Medians of repeated results; a changed option is compared with what it replaced")
    func matching() {
        let base = [result(wall: 1.0), result(wall: 5.0), result(wall: 1.1)]
        let new = [result("pool(max_workers: 5)", wall: 1.05)]
        let comparison = ResultComparison(base: base, new: new, threshold: 0.1)
        let wall = comparison.changes.first { $0.metric == "wall_seconds" }
        #expect(wall?.base == 1.1)
        #expect(wall?.label == "pool(max_workers: 10) → pool(max_workers: 5)")
        #expect(comparison.unmatched.isEmpty)
    }
}
