import ConlabCore
import ConlabLog
import ConlabScenario

/// The readable summary of a scenario's results: one row per strategy, aligned columns.
public enum SummaryTable {
    /// The table for `report`, with a heading line and any failures spelled out below it.
    public static func render(_ report: ScenarioReport) -> String {
        // The workload names its pace: Life runs in generations; a pipeline's pace is its throughput.
        let isPipeline = report.scenario.workload.shape == .pipeline
        let pace = type(of: report.scenario.workload).paceColumn
        // With --repeat, one row per strategy: the median round, and the range of the rounds.
        // Rounds run in a shuffled order; rows follow the scenario's own order of strategies.
        let listed = report.scenario.strategies.map(\.strategy.label)
        let groups = Self.groups(report.results).enumerated().sorted {
            (listed.firstIndex(of: $0.element.results[0].label) ?? Int.max, $0.offset)
                < (listed.firstIndex(of: $1.element.results[0].label) ?? Int.max, $1.offset)
        }.map(\.element)
        // Next to serial, each strategy's speed-up: the lesson of items 53 and 64 in one number.
        let serial = groups.first { $0.median.strategy == "serial" && $0.median.correct }
        let serialWall = serial?.median.wallSeconds
        var rows: [[String]] = [
            ["strategy", "wall", pace, "ideal", "ratio"]
                + (serialWall == nil ? [] : ["speedup"]) + ["correct"]
        ]
        for group in groups {
            let result = group.median
            let refused = result.outcome == .refused
            var wall = refused ? "—" : DurationFormat.human(result.wallSeconds)
            if group.results.count > 1, !refused {
                wall += " (\(DurationFormat.human(group.low))–\(DurationFormat.human(group.high)))"
            }
            rows.append(
                [
                    result.label,
                    wall,
                    isPipeline
                        ? result.pipeline.map { DurationFormat.fixed($0.itemsPerSecond, 0) } ?? "—"
                        : result.secondsPerPhase.map(DurationFormat.human) ?? "—",
                    refused || result.idealSeconds == 0 ? "—" : DurationFormat.human(result.idealSeconds),
                    refused ? "—" : result.overheadRatio.map { DurationFormat.fixed($0, 3) } ?? "—",
                ]
                    + (serial.map { serial in
                        // A time below its floor is no speed-up.
                        guard !refused, result.invalidMeasurement == nil, result.wallSeconds > 0 else { return ["—"] }
                        // Ranges of repeated rounds that overlap: the difference is inside the noise.
                        if group.results.count > 1, serial.results.count > 1, group.median.strategy != "serial",
                            group.low <= serial.high, serial.low <= group.high
                        {
                            return ["no clear difference"]
                        }
                        return [DurationFormat.fixed(serial.median.wallSeconds / result.wallSeconds, 2) + "×"]
                    } ?? []) + [
                        group.results.map { verdict($0, in: report) }.first { $0 != "yes" } ?? "yes"
                    ]
            )
        }
        var lines = TextColumns.aligned(rows)
        for result in report.results {
            if let pipeline = result.pipeline {
                let depths = pipeline.maxQueueDepth.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                var line =
                    "\(result.label): \(DurationFormat.fixed(pipeline.itemsPerSecond, 0)) items/s, latency p50 "
                    + "\(DurationFormat.human(pipeline.latencyP50Seconds)), p99 \(DurationFormat.human(pipeline.latencyP99Seconds)); "
                    + "max queue depth \(depths.joined(separator: ", "))"
                if pipeline.polls > 0 { line += "; \(pipeline.polls) polls (\(pipeline.emptyPolls) found nothing)" }
                lines.append(line)
            }
        }
        // Below the table, what the workload's own figures say (lost updates, sessions, lines merged, ...).
        lines += type(of: report.scenario.workload).summaryLines(
            report.results.map {
                WorkloadResult(
                    strategy: $0.strategy,
                    label: $0.label,
                    correct: $0.correct,
                    wallSeconds: $0.wallSeconds,
                    serialSeconds: serialWall,
                    figures: $0.workloadMetrics
                )
            }
        )
        for result in report.results {
            for warning in result.warnings { lines.append("warning: \(result.label): \(warning)") }
            if let error = result.error {
                lines.append("\(result.label): \(error)" + (result.note.map { " — \($0)" } ?? ""))
            }
        }
        for result in report.results {
            guard result.correct, let ratio = result.overheadRatio, ratio > Self.driftThreshold else { continue }
            lines.append(
                "drift: \(result.label) took \(DurationFormat.fixed(ratio, 2))× its ideal floor (flagged above "
                    + "\(DurationFormat.fixed(Self.driftThreshold, 2))×)"
            )
        }
        for problem in report.problems { lines.append("scenario: \(problem)") }
        return lines.joined(separator: "\n")
    }
}

extension SummaryTable {
    /// The results of one strategy entry over its rounds.
    struct Group {
        var results: [RunResult]
        /// The round with the median wall time (the lower middle one for an even count).
        var median: RunResult { results.sorted { $0.wallSeconds < $1.wallSeconds }[(results.count - 1) / 2] }
        /// The fastest round's wall time.
        var low: Double { results.map(\.wallSeconds).min() ?? 0 }
        /// The slowest round's wall time.
        var high: Double { results.map(\.wallSeconds).max() ?? 0 }
    }

    /// Results grouped by strategy entry (its label), in the order entries first appear.
    static func groups(_ results: [RunResult]) -> [Group] {
        var groups: [Group] = []
        for result in results {
            if let index = groups.firstIndex(where: { $0.results[0].label == result.label }) {
                groups[index].results.append(result)
            } else {
                groups.append(Group(results: [result]))
            }
        }
        return groups
    }
}

private func verdict(_ result: RunResult, in report: ScenarioReport) -> String {
    if result.outcome == .refused { return "refused" }
    if result.invalidMeasurement != nil { return "INVALID" }
    guard result.correct else { return "NO" }
    return report.passes(result) ? "yes" : "yes (unexpected outcome)"
}

extension SummaryTable {
    /// A correct result slower than this many times its ideal floor is flagged: the strategy's own cost,
    /// not the waits, decides its time.
    public static let driftThreshold = 1.5
}
