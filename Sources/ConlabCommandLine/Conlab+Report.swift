import ArgumentParser
import ConlabRunner

extension Conlab {
    /// `conlab report`: one self-contained HTML file from run logs.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Draw run logs as one self-contained HTML file: charts as SVG, nothing from the network.",
            discussion: """
                Per scenario, the answer first: the fastest correct strategy and its speed-up over serial, then a \
                row per strategy (median of its rounds, their range, the ideal floor, speed-up, correctness, peak \
                memory and threads); then each strategy's wall time against its floor and its unit latency as a \
                percentile curve; a Life scenario's grids as small pictures (those the log kept: at most 12, up \
                to 64×64 cells); for a --trace run, a timeline per strategy, threads by time, compute and waits \
                apart, from the log's sample of each round's units; for a --sweep, a chart per set of swept keys \
                with the best setting and the knee, and a heat map for a grid; the machine, and how to run each \
                scenario again. With --compare and two logs, the second against the first first, as 'conlab \
                compare' judges them. A log 'conlab merge' wrote from shards run on several machines has a section \
                per scenario and machine, and the cells it lacks (--allow-missing) are named. Open it in any browser.

                Exit status: 0; 1 when this command's own output cannot be written; 2 when a log cannot be read or \
                holds no results, or the report cannot be written.
                """
        )

        @Argument(help: "JSON Lines logs written by 'conlab run'.", completion: .file(extensions: ["jsonl"]))
        var logs: [String]

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the report here.", valueName: "path"))
        var output: String = "report.html"

        @Flag(help: "Compare the second log with the first (two logs), as 'conlab compare' does.")
        var compare = false

        @Option(
            help: ArgumentHelp("With --compare: the relative change that counts, e.g. 5% or 0.05.", valueName: "ratio")
        )
        var threshold: String = "5%"

        func run() throws {
            let report: HTMLReport
            let ratio = threshold.hasSuffix("%") ? Double(threshold.dropLast()).map { $0 / 100 } : Double(threshold)
            guard let ratio, ratio >= 0 else {
                throw ValidationError("--threshold expects a percentage such as 5% or a fraction such as 0.05")
            }
            do throws(HTMLReport.Failure) {
                report = try HTMLReport(logs: logs, comparing: compare ? ratio : nil)
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
