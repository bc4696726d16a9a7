import ArgumentParser
import ConlabRunner

extension Conlab {
    /// `conlab report`: one self-contained HTML file from run logs.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw run logs as one self-contained HTML file: charts as SVG, nothing from the network.",
            discussion: """
                Per scenario: each strategy's wall time as a bar with its ideal floor as a tick, and its unit \
                latency p50/p90/p99; for a --sweep, the time at each setting, a line per strategy; and the \
                machine the runs were measured on. Open it in any browser.

                Exit status: 0; 1 when this command's own output cannot be written; 2 when a log cannot be read or \
                holds no results, or the report cannot be written.
                """
        )

        @Argument(help: "JSON Lines logs written by 'conlab run'.", completion: .file(extensions: ["jsonl"]))
        var logs: [String]

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the report here.", valueName: "path"))
        var output: String = "report.html"

        func run() throws {
            let report: HTMLReport
            do throws(HTMLReport.Failure) {
                report = try HTMLReport(logs: logs)
            } catch {
                StandardError.print("conlab report: \(error.description)")
                throw ExitCode(ExitStatus.invalidInput)
            }
            do throws(OutputFile.Failure) {
                try OutputFile(output, what: "the report").write(report.html)
            } catch {
                StandardError.print("conlab report: \(error.description)")
                throw ExitCode(ExitStatus.invalidInput)
            }
            StandardOutput.print("report: \(output)")
        }
    }
}
