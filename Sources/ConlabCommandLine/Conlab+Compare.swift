import ArgumentParser
import ConlabCore
import ConlabLog
import ConlabRunner
import Foundation

extension Conlab {
    /// `conlab compare`: what changed between two runs, with exit codes CI can gate on.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Compare two runs' logs: time, memory and threads per scenario and strategy.",
            discussion: """
                Results are matched by scenario and strategy (with its options). Each figure — wall time, \
                peak RSS, peak threads — is the median of the run's results for that pair; a change larger \
                than the threshold either way is a regression or an improvement, anything smaller is \
                reported as no clear difference. Where the runs were measured on different machines, or a \
                merged run ('conlab merge') on several, a note says so first, and a run's results from \
                several machines are compared machine by machine. A result that was correct and no longer is, is a \
                regression.

                Examples:
                  conlab compare base.jsonl new.jsonl
                  conlab compare base.jsonl new.jsonl --threshold 10%

                Exit status: 0 nothing changed beyond the threshold; 2 something regressed; 4 something \
                improved and nothing regressed; 1 a log cannot be read, or the output cannot be written.
                """
        )

        @Argument(help: "The log of the base run.")
        var base: String

        @Argument(help: "The log of the new run.")
        var new: String

        @Option(help: ArgumentHelp("The relative change that counts, e.g. 5% or 0.05.", valueName: "ratio"))
        var threshold: String = "5%"

        func validate() throws {
            guard parsedThreshold != nil else {
                throw ValidationError("--threshold expects a percentage such as 5% or a fraction such as 0.05")
            }
        }

        private var parsedThreshold: Double? {
            let value = threshold.hasSuffix("%") ? Double(threshold.dropLast()).map { $0 / 100 } : Double(threshold)
            return value.flatMap { $0 >= 0 ? $0 : nil }
        }

        func run() throws {
            let baseEvents = try events(base)
            let newEvents = try events(new)
            let comparison = ResultComparison(base: baseEvents, new: newEvents, threshold: parsedThreshold!)
            for note in comparison.notes { StandardOutput.print("note: \(note)") }
            var rows = [["scenario", "strategy", "metric", "base", "new", "change", "verdict"]]
            for change in comparison.changes {
                rows.append([
                    change.scenario, change.label, change.metric, Self.format(change.base, change.metric),
                    Self.format(change.new, change.metric),
                    change.relative.isFinite
                        ? (change.relative >= 0 ? "+" : "") + DurationFormat.fixed(change.relative * 100, 1) + "%"
                        : "—",
                    change.verdict.rawValue,
                ])
            }
            let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max()! }
            for row in rows {
                StandardOutput.print(
                    row.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }
                        .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
                )
            }
            for line in comparison.unmatched { StandardOutput.print("not compared: \(line)") }
            if comparison.hasRegression { throw ExitCode(2) }
            if comparison.hasImprovement { throw ExitCode(4) }
        }

        private func events(_ path: String) throws -> [LogEvent] {
            do throws(LogReadError) {
                return try LogReader.events(atPath: path)
            } catch {
                StandardError.print(error.description)
                throw ExitCode(1)
            }
        }

        private static func format(_ value: Double, _ metric: String) -> String {
            switch metric {
            case "wall_seconds": DurationFormat.human(value)
            case "peak_rss_bytes": DurationFormat.fixed(value / 1_048_576, 1) + " MiB"
            case "correct": value == 1 ? "yes" : "no"
            default: DurationFormat.fixed(value, 0)
            }
        }
    }
}
