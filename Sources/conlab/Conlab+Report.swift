import ArgumentParser
import ConlabRunner
import Foundation

extension Conlab {
    /// `conlab report`: one self-contained HTML file from run logs.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw run logs as one self-contained HTML file: charts as SVG, nothing from the network.",
            discussion: """
                Per scenario: each strategy's wall time as a bar with its ideal floor as a tick, and its unit \
                latency p50/p90/p99; for a --sweep, the time at each setting, a line per strategy; and the \
                machine the runs were measured on. Open it in any browser.

                Exit status: 0, or 2 when a log cannot be read or holds no results.
                """
        )

        @Argument(help: "JSON Lines logs written by 'conlab run'.", completion: .file(extensions: ["jsonl"]))
        var logs: [String]

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the report here.", valueName: "path"))
        var output: String = "report.html"

        func run() throws {
            do {
                let report = try HTMLReport(logs: logs)
                try Data(report.html.utf8).write(to: URL(fileURLWithPath: output))
                print("report: \(output)")
            } catch let failure as HTMLReport.Failure {
                StandardError.print("conlab report: \(failure.description)")
                throw ExitCode(ExitStatus.invalidInput)
            } catch {
                StandardError.print("conlab report: cannot write \(output): \(error.localizedDescription)")
                throw ExitCode(ExitStatus.invalidInput)
            }
        }
    }
}
