import ConlabCore
import ConlabLog
public import ConlabScenario

/// The summary of a `--sweep`: per scenario and strategy, each setting's time, its speed-up over the first
/// setting and — for one numeric sweep — its efficiency, the knee, and the best setting.
///
/// Only correct results count. With one sweep over increasing numbers, efficiency is the speed-up over
/// the first setting divided by how many times larger the value is (1.0: perfect scaling); the knee is
/// the last setting before a step that gains less than half of what it multiplies (going from 4 to 8
/// workers must cut the time by more than a third, say, or the knee is at 4).
public enum SweepTable {
    /// One run of the sweep: a scenario at one setting.
    public struct Run: Sendable {
        /// The scenario's own name.
        public var scenario: String
        /// The setting, one override per sweep.
        public var setting: [ScenarioOverride]
        /// What it measured.
        public var report: ScenarioReport

        /// Creates a run.
        public init(scenario: String, setting: [ScenarioOverride], report: ScenarioReport) {
            self.scenario = scenario
            self.setting = setting
            self.report = report
        }
    }

    /// The text summary of `runs`, a table per scenario and strategy.
    public static func render(_ runs: [Run]) -> String {
        var blocks: [String] = []
        var scenarios: [String] = []
        for run in runs where !scenarios.contains(run.scenario) { scenarios.append(run.scenario) }
        for scenario in scenarios {
            let ofScenario = runs.filter { $0.scenario == scenario }
            // A strategy is followed by its name, so a sweep of its own option (a pool's max_workers) stays
            // one table; by its label when the scenario runs the same strategy more than one way.
            let byName = ofScenario.allSatisfy { run in
                let names = run.report.results.map(\.strategy)
                return Set(names).count == Set(run.report.results.map(\.label)).count
            }
            var keys: [String] = []
            for run in ofScenario {
                for result in run.report.results {
                    let key = byName ? result.strategy : result.label
                    if !keys.contains(key) { keys.append(key) }
                }
            }
            for key in keys {
                blocks.append(block(scenario: scenario, strategy: key, byName: byName, runs: ofScenario))
            }
        }
        return blocks.joined(separator: "\n\n")
    }

    /// What one strategy did at one setting.
    enum Timing: Equatable {
        /// It did not run at this setting.
        case absent
        /// A round was wrong: no timing counts.
        case wrong
        /// The median wall time of its rounds.
        case seconds(Double)

        var seconds: Double? {
            if case .seconds(let seconds) = self { return seconds }
            return nil
        }
    }

    /// What `strategy` (a name, or a label) did in `run`.
    static func timing(of strategy: String, byName: Bool, in run: Run) -> Timing {
        let rounds = run.report.results.filter { (byName ? $0.strategy : $0.label) == strategy }
        guard !rounds.isEmpty else { return .absent }
        guard rounds.allSatisfy(\.correct) else { return .wrong }
        return .seconds(SummaryTable.Group(results: rounds).median.wallSeconds)
    }

    /// Knee and best of one strategy's sweep: indexes into `walls`.
    static func analyse(values: [Double]?, walls: [Double?]) -> (knee: Int?, best: Int?) {
        let best = walls.indices.filter { walls[$0] != nil }.min { walls[$0]! < walls[$1]! }
        guard let values, values.count == walls.count else { return (nil, best) }
        for index in walls.indices.dropFirst() {
            guard let before = walls[index - 1], let after = walls[index], after > 0 else { return (nil, best) }
            let promised = values[index] / values[index - 1]
            let gained = before / after
            if promised > 1, (gained - 1) / (promised - 1) < 0.5 { return (index - 1, best) }
        }
        return (nil, best)
    }

    private static func block(scenario: String, strategy: String, byName: Bool, runs: [Run]) -> String {
        let timings = runs.map { timing(of: strategy, byName: byName, in: $0) }
        let walls = timings.map(\.seconds)
        // Efficiency and the knee need one sweep over increasing numbers.
        let numbers = runs.map { $0.setting.count == 1 ? Double($0.setting[0].value) : nil }
        let values: [Double]? =
            numbers.allSatisfy({ $0 != nil }) && zip(numbers, numbers.dropFirst()).allSatisfy({ $0! < $1! })
            ? numbers.map { $0! } : nil
        let (knee, best) = analyse(values: values, walls: walls)
        var rows = [["setting", "wall", "speed-up", "efficiency", ""]]
        for (index, run) in runs.enumerated() {
            let setting = run.setting.map(\.description).joined(separator: ", ")
            guard let wall = walls[index] else {
                rows.append([setting, timings[index] == .wrong ? "wrong" : "not run", "—", "—", ""])
                continue
            }
            let speedup: Double? = walls[0].map { $0 / wall }
            var efficiency: Double?
            if let speedup, let values { efficiency = speedup / (values[index] / values[0]) }
            var marks: [String] = []
            if index == best { marks.append("best") }
            if index == knee { marks.append("knee") }
            rows.append([
                setting, DurationFormat.human(wall), speedup.map { DurationFormat.fixed($0, 2) + "×" } ?? "—",
                efficiency.map { DurationFormat.fixed($0, 2) } ?? "—", marks.joined(separator: ", "),
            ])
        }
        let table = TextColumns.aligned(rows)
        var lines = ["sweep of \(scenario), \(strategy):"] + table
        if let best {
            lines.append(
                "best: \(runs[best].setting.map(\.description).joined(separator: ", "))"
                    + (knee.map { ", knee at \(runs[$0].setting.map(\.description).joined(separator: ", "))" } ?? "")
            )
        } else {
            lines.append("no setting gave a correct result")
        }
        return lines.joined(separator: "\n")
    }
}
