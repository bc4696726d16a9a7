import ConlabCore
import ConlabScenario

/// The readable summary of a scenario's results: one row per strategy, aligned columns.
public enum SummaryTable {
    /// The table for `report`, with a heading line and any failures spelled out below it.
    public static func render(_ report: ScenarioReport) -> String {
        // Life runs in generations; a pipeline's pace is its throughput.
        let isPipeline = report.scenario.workload.shape == .pipeline
        let pace = isPipeline ? "items/s" : report.scenario.workload.kind == "life" ? "per gen" : "per phase"
        // Next to serial, each strategy's speed-up: the lesson of items 53 and 64 in one number.
        let serialWall = report.results.first { $0.strategy == "serial" && $0.correct }?.wallSeconds
        var rows: [[String]] = [
            ["strategy", "wall", pace, "ideal", "ratio"]
                + (serialWall == nil ? [] : ["speedup"]) + ["correct"]
        ]
        for result in report.results {
            let refused = result.outcome == .refused
            rows.append(
                [
                    result.label,
                    refused ? "—" : DurationFormat.human(result.wallSeconds),
                    isPipeline
                        ? result.pipeline.map { DurationFormat.fixed($0.itemsPerSecond, 0) } ?? "—"
                        : result.secondsPerPhase.map(DurationFormat.human) ?? "—",
                    refused || result.idealSeconds == 0 ? "—" : DurationFormat.human(result.idealSeconds),
                    refused ? "—" : result.overheadRatio.map { DurationFormat.fixed($0, 3) } ?? "—",
                ]
                    + (serialWall.map { serial in
                        [
                            refused || result.wallSeconds <= 0
                                ? "—" : DurationFormat.fixed(serial / result.wallSeconds, 2) + "×"
                        ]
                    } ?? []) + [
                        verdict(result, in: report)
                    ]
            )
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max()! }
        var lines = rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                // Text left, numbers right.
                return column == 0 || column == row.count - 1 ? cell + padding : padding + cell
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
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
        if report.scenario.workload.kind == "cpu", let serialWall,
            let best = report.results.filter({ $0.strategy != "serial" && $0.correct && $0.wallSeconds > 0 })
                .max(by: { $0.wallSeconds > $1.wallSeconds })
        {
            lines.append(
                "lesson (items 53 and 64): Swift threads run CPU work in parallel: \(best.label) is "
                    + "\(DurationFormat.fixed(serialWall / best.wallSeconds, 2))× serial here; CPython's threads stay "
                    + "near 1× (the GIL), so it needs processes"
            )
        }
        for result in report.results {
            if let lost = result.workloadMetrics["lost_updates"], let expected = result.workloadMetrics["expected"] {
                let found = result.workloadMetrics["found"] ?? 0
                lines.append(
                    "\(result.label): counter should be \(Int(expected)), got \(Int(found)): \(Int(lost)) lost updates"
                )
            }
        }
        for result in report.results {
            for warning in result.warnings { lines.append("warning: \(result.label): \(warning)") }
            if let error = result.error {
                lines.append("\(result.label): \(error)" + (result.note.map { " — \($0)" } ?? ""))
            }
        }
        for problem in report.problems { lines.append("scenario: \(problem)") }
        return lines.joined(separator: "\n")
    }
}

private func verdict(_ result: RunResult, in report: ScenarioReport) -> String {
    if result.outcome == .refused { return "refused" }
    guard result.correct else { return "NO" }
    return report.passes(result) ? "yes" : "yes (unexpected outcome)"
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
