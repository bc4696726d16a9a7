import ConlabCore
public import ConlabLog
import ConlabScenario
import Foundation

/// The summary of a whole run in the forms `--format` offers besides the default text: JSON, CSV, and a
/// Markdown catalog with one line per scenario (what `scenarios/README.md` is made of).
public enum SummaryFormat: String, Sendable, CaseIterable {
    /// The readable tables (``SummaryTable``), printed as each scenario finishes.
    case text
    /// One JSON document: every scenario with its results, as the log's `result` events.
    case json
    /// A Markdown table, one row per scenario: item, file, lesson, what was measured.
    case markdown
    /// One CSV row per result.
    case csv

    /// The run's summary in this format; `text` has none (its tables are printed as the run goes).
    public func render(_ reports: [ScenarioReport], machine: MachineInfo) -> String {
        switch self {
        case .text: ""
        case .json: Self.json(reports, machine: machine)
        case .markdown: Self.markdown(reports, machine: machine)
        case .csv: Self.csv(reports)
        }
    }

    private static func json(_ reports: [ScenarioReport], machine: MachineInfo) -> String {
        struct Document: Encodable {
            let machine: MachineInfo
            let scenarios: [Entry]
        }
        struct Entry: Encodable {
            let name: String
            let file: String
            let item: Int?
            let passed: Bool
            let problems: [String]
            let results: [RunResult]
        }
        let document = Document(
            machine: machine,
            scenarios: reports.map {
                Entry(
                    name: $0.scenario.name,
                    file: $0.scenario.file,
                    item: $0.scenario.item,
                    passed: $0.passed,
                    problems: $0.problems,
                    results: $0.results
                )
            }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(document), as: UTF8.self)) ?? "{}"
    }

    private static func csv(_ reports: [ScenarioReport]) -> String {
        let header = [
            "scenario", "strategy", "label", "outcome", "correct", "wall_seconds", "ideal_seconds", "overhead_ratio",
            "seconds_per_phase", "items_per_second", "cpu_user_seconds", "cpu_system_seconds", "peak_rss_bytes",
            "peak_threads", "voluntary_context_switches", "involuntary_context_switches", "error",
        ]
        var lines = [header.joined(separator: ",")]
        for report in reports {
            for result in report.results {
                let fields: [String] = [
                    result.scenario, result.strategy, result.label, result.outcome.rawValue, String(result.correct),
                    String(result.wallSeconds), String(result.idealSeconds),
                    result.overheadRatio.map { String($0) } ?? "",
                    result.secondsPerPhase.map { String($0) } ?? "",
                    result.pipeline.map { String($0.itemsPerSecond) } ?? "", String(result.cpuUserSeconds),
                    String(result.cpuSystemSeconds), String(result.peakRSSBytes), String(result.peakThreads),
                    String(result.voluntaryContextSwitches), String(result.involuntaryContextSwitches),
                    result.error ?? "",
                ]
                lines.append(fields.map(quoted).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func markdown(_ reports: [ScenarioReport], machine: MachineInfo) -> String {
        var lines = [
            "| item | scenario | lesson | measured here |",
            "|---|---|---|---|",
        ]
        for report in reports.sorted(by: {
            ($0.scenario.item ?? 999, $0.scenario.name) < ($1.scenario.item ?? 999, $1.scenario.name)
        }) {
            let scenario = report.scenario
            let file = (scenario.file as NSString).lastPathComponent
            let lesson = scenario.description.replacingOccurrences(of: "|", with: "\\|")
            let verdict = (report.passed ? "" : "**not as expected** — ") + Self.verdict(report)
            lines.append(
                "| \(scenario.item.map(String.init) ?? "—") | [\(scenario.name)](\(file)) | \(lesson) | \(verdict) |"
            )
        }
        lines.append("")
        lines.append(
            "Measured on \(machine.cores) cores, \(machine.memoryBytes >> 30) GiB, \(machine.os), Swift \(machine.swiftVersion)."
        )
        return lines.joined(separator: "\n")
    }

    /// What a scenario's results say, in one line.
    static func verdict(_ report: ScenarioReport) -> String {
        let serial = report.results.first { $0.strategy == "serial" && $0.outcome == .success }
        let parts = report.results.map { result -> String in
            var part = result.label
            switch result.outcome {
            case .refused: return "\(part) refused"
            case .unitFailure:
                return "\(part): failure reached the caller" + (result.correct ? "" : " (wrong unit)")
            case .incorrect, .error, .interrupted: return "\(part) \(result.outcome.rawValue)"
            case .success: break
            }
            if let pipeline = result.pipeline {
                part += " \(DurationFormat.fixed(pipeline.itemsPerSecond, 0)) items/s"
            } else if let perPhase = result.secondsPerPhase, result.idealSeconds > 0 {
                part += " " + DurationFormat.human(perPhase) + (result.phases > 1 ? "/gen" : "")
            } else if result.strategy == "serial" {
                part += " " + DurationFormat.human(result.wallSeconds)
            }
            if let ratio = result.overheadRatio {
                part += " (\(DurationFormat.fixed(ratio, 2))× ideal)"
            } else if let serial, result.strategy != "serial", result.wallSeconds > 0 {
                part += " \(DurationFormat.fixed(serial.wallSeconds / result.wallSeconds, 2))× serial"
            }
            var figures: [String] = []
            let metrics = result.workloadMetrics
            if let lost = metrics["lost_updates"] { figures.append("\(Int(lost)) lost updates") }
            if let rate = metrics["sessions_per_second"] {
                figures.append("\(DurationFormat.fixed(rate, 0)) sessions/s")
            }
            if let merged = metrics["lines_merged"] {
                figures.append(
                    "\(Int(merged)) lines merged once, lag p99 "
                        + DurationFormat.human(metrics["tail_lag_p99_seconds"] ?? 0)
                )
            }
            if !figures.isEmpty {
                part += (part == result.label ? " " : ", ") + figures.joined(separator: ", ")
            }
            if !result.warnings.isEmpty { part += " ⚠ pool lagged" }
            return part
        }
        return parts.joined(separator: "; ")
    }
}
