import ConlabLog

/// What a scenario's results answer, before any chart: one row per strategy entry over its rounds, the
/// correct ones fastest first, then the ones that are not, which are never a win; and the fastest correct
/// one, with its speed-up over serial under the summary's noise rule.
struct ScenarioAnswer {
    /// A strategy's speed-up over serial.
    enum Speedup: Equatable {
        /// Serial's median wall over this one's.
        case times(Double)
        /// Both ran several rounds and their ranges overlap: the difference is inside the noise.
        case noClearDifference
    }

    /// One strategy entry over its rounds.
    struct Row {
        var label: String
        var strategy: String
        /// The median round (the lower middle one for an even count), and the range of the rounds.
        var median: RunResult
        var low: Double
        var high: Double
        var rounds: Int
        /// `yes`, or why not: `NO` (wrong), `INVALID` (under its floor), `refused`, or the outcome.
        var verdict: String
        /// `nil` without a correct serial row, for serial itself, and for rows that are not correct.
        var speedup: Speedup?
        /// The highest of the rounds.
        var peakRSSBytes: Int
        var peakThreads: Int

        /// Correct in every round, measured validly: a row that may be called fast.
        var counts: Bool { verdict == "yes" }
    }

    /// Correct rows by median wall time, then the others in the order they ran.
    var rows: [Row]

    /// The fastest correct row, if any.
    var winner: Row? { rows.first(where: \.counts) }

    /// Whether every round of every strategy was correct.
    var allCorrect: Bool { rows.allSatisfy(\.counts) }

    /// The answer of `results`, the `result` events of one scenario (every round of every strategy).
    init(_ results: [RunResult]) {
        var groups: [[RunResult]] = []
        for result in results {
            if let index = groups.firstIndex(where: { $0[0].label == result.label }) {
                groups[index].append(result)
            } else {
                groups.append([result])
            }
        }
        var rows = groups.map { rounds in
            let sorted = rounds.sorted { $0.wallSeconds < $1.wallSeconds }
            return Row(
                label: rounds[0].label,
                strategy: rounds[0].strategy,
                median: sorted[(sorted.count - 1) / 2],
                low: sorted.first!.wallSeconds,
                high: sorted.last!.wallSeconds,
                rounds: rounds.count,
                verdict: rounds.map(Self.verdict).first { $0 != "yes" } ?? "yes",
                speedup: nil,
                peakRSSBytes: rounds.map(\.peakRSSBytes).max() ?? 0,
                peakThreads: rounds.map(\.peakThreads).max() ?? 0
            )
        }
        if let serial = rows.first(where: { $0.strategy == "serial" && $0.counts }) {
            for index in rows.indices where rows[index].counts && rows[index].label != serial.label {
                let row = rows[index]
                guard row.median.wallSeconds > 0 else { continue }
                let overlap = row.rounds > 1 && serial.rounds > 1 && row.low <= serial.high && serial.low <= row.high
                rows[index].speedup =
                    overlap ? .noClearDifference : .times(serial.median.wallSeconds / row.median.wallSeconds)
            }
        }
        let correct = rows.filter(\.counts).sorted { $0.median.wallSeconds < $1.median.wallSeconds }
        self.rows = correct + rows.filter { !$0.counts }
    }

    /// A round's verdict, in the summary's words.
    private static func verdict(_ result: RunResult) -> String {
        if result.outcome == .refused { return "refused" }
        if result.invalidMeasurement != nil { return "INVALID" }
        if result.outcome == .interrupted { return "interrupted" }
        return result.correct ? "yes" : "NO"
    }
}
