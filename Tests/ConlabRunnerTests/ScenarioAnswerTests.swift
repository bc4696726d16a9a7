import ConlabLog
import Testing

@testable import ConlabRunner

/// The answer a report puts first, computed from results alone.
@Suite("The report's answer")
struct ScenarioAnswerTests {
    private func result(
        _ strategy: String,
        wall: Double,
        ideal: Double = 1.0,
        outcome: RunResult.Outcome = .success,
        correct: Bool = true,
        rss: Int = 50 << 20
    ) -> RunResult {
        var result = RunResult(
            scenario: "glider",
            strategy: strategy,
            label: strategy,
            outcome: outcome,
            correct: correct,
            wallSeconds: wall,
            peakRSSBytes: rss,
            peakThreads: 4
        )
        result.idealSeconds = ideal
        return result
    }

    @Test("One row per strategy over its rounds, correct ones fastest first; the fastest correct one wins")
    func ordering() {
        let answer = ScenarioAnswer([
            result("serial", wall: 10), result("async", wall: 1.2), result("thread", wall: 1.5),
            result("serial", wall: 11), result("async", wall: 1.1), result("thread", wall: 1.4),
            result("serial", wall: 12), result("async", wall: 1.3), result("thread", wall: 1.6),
        ])
        #expect(answer.rows.map(\.label) == ["async", "thread", "serial"])
        #expect(answer.winner?.label == "async")
        #expect(answer.rows[0].median.wallSeconds == 1.2)
        #expect(answer.rows[0].low == 1.1 && answer.rows[0].high == 1.3)
        #expect(answer.rows[0].speedup == .times(11 / 1.2))
        #expect(answer.allCorrect)
        let sentence = HTMLReport.sentence(answer)
        #expect(
            sentence.hasPrefix("Fastest correct: <strong>async</strong>, 1.200 s (median of 3 rounds), 9.17× serial")
        )
        #expect(sentence.hasSuffix("Every result was correct."))
    }

    @Test("A wrong, invalid or refused result is never the winner, however fast, and says why")
    func wrongNeverWins() {
        var invalid = result("loop", wall: 0.1)
        invalid.invalidMeasurement = "under its floor"
        let answer = ScenarioAnswer([
            result("serial", wall: 10), result("async", wall: 0.5, outcome: .incorrect, correct: false),
            invalid, result("thread", wall: 2), result("process", wall: 0, outcome: .refused, correct: false),
        ])
        #expect(answer.winner?.label == "thread")
        #expect(answer.rows.map(\.label) == ["thread", "serial", "async", "loop", "process"])
        #expect(answer.rows.map(\.verdict) == ["yes", "yes", "NO", "INVALID", "refused"])
        #expect(answer.rows[2].speedup == nil, "a wrong result has no speed-up")
        #expect(HTMLReport.sentence(answer).hasSuffix("Not counted: async (NO), loop (INVALID), process (refused)."))
        #expect(
            HTMLReport.answer([result("serial", wall: 1, outcome: .incorrect, correct: false)])
                .contains("No strategy gave a correct result.")
        )
    }

    @Test("Ranges that overlap serial's are no clear difference, as in the summary")
    func noise() {
        let answer = ScenarioAnswer([
            result("serial", wall: 1.0), result("pool", wall: 0.95),
            result("serial", wall: 1.2), result("pool", wall: 1.1),
        ])
        #expect(answer.rows.first { $0.label == "pool" }?.speedup == .noClearDifference)
        #expect(HTMLReport.sentence(answer).contains("no clear difference from serial"))
    }
}
