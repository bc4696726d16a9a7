import ArgumentParser
import ConlabLog
import ConlabRunner
import Foundation

extension Conlab {
    /// `conlab merge`: the logs of a run's shards, checked and put together into one log.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge the logs of a run's shards ('conlab run --shard I/N') into one log.",
            discussion: """
                The shards must belong together: the same conlab version, shard count, seed, scenarios as \
                loaded after --set, --sweep, --strategies and --repeat. Every shard must be there once and \
                whole (its log ends with run_finished and it was not interrupted). A missing, cut short or \
                failed shard is named with the command that runs it alone again; with --allow-missing, what \
                exists is merged and the cells without results are named, in this summary, in the log \
                (run_started.merged.absent_cells) and in 'conlab report'.

                The merged log keeps each shard's machine, and each result says which shard measured it: \
                'conlab report' and 'conlab compare' group results by machine and say so when they come \
                from more than one.

                Examples:
                  conlab merge shards/shard-*.jsonl -o run.jsonl
                  conlab merge shards/shard-*.jsonl -o run.jsonl --allow-missing

                Exit status: 0 merged; 1 the merged log cannot be written; 2 a log cannot be read, the \
                shards do not belong together, or one is missing, repeated, cut short or failed (nothing \
                is written).
                """
        )

        @Argument(help: "The shards' JSON Lines logs.", completion: .file(extensions: ["jsonl"]))
        var shards: [String]

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the merged log here.", valueName: "path"))
        var output: String

        @Flag(help: "Merge the shards there are, and name the cells that have no results.")
        var allowMissing = false

        func run() throws {
            var inputs: [ShardMerge.Input] = []
            for path in shards {
                do throws(LogReadError) {
                    inputs.append(ShardMerge.Input(file: path, records: try LogReader.records(atPath: path)))
                } catch {
                    StandardError.print("conlab merge: \(error.description)")
                    throw ExitCode(ExitStatus.invalidInput)
                }
            }
            let merge: ShardMerge
            do throws(ShardMerge.Failure) {
                merge = try ShardMerge(inputs, allowingMissing: allowMissing, time: Timestamp.now())
            } catch {
                StandardError.print("conlab merge: nothing written:\n" + error.description)
                throw ExitCode(ExitStatus.invalidInput)
            }
            var text = ""
            do {
                for record in merge.records { text += String(decoding: try record.jsonLine(), as: UTF8.self) }
            } catch {
                StandardError.print("conlab merge: \(error)")
                throw ExitCode(ExitStatus.failed)
            }
            do throws(OutputFile.Failure) {
                try OutputFile(output, what: "the merged log").write(text)
            } catch {
                StandardError.print("conlab merge: \(error.description)")
                throw ExitCode(ExitStatus.failed)
            }
            for warning in merge.warnings { StandardError.print("conlab merge: " + warning) }
            StandardOutput.print(summary(merge))
        }

        /// What was merged: the shards, the machines that ran them, the verdicts and the absent cells.
        private func summary(_ merge: ShardMerge) -> String {
            let info = merge.started.merged!
            let results = merge.records.compactMap(\.event.result)
            let correct = results.filter(\.correct).count
            var lines = [
                "merged \(info.shards.count) of \(info.count) shards, \(info.runCells.count - info.absentCells.count) of \(info.runCells.count) cells, into \(output)",
                "results: \(results.count), correct: \(correct), not correct: \(results.count - correct)",
            ]
            let machines = merge.machines
            if machines.count > 1 {
                lines.append(
                    "measured on \(machines.count) machines: timings are compared only within one (conlab report and compare group them)"
                )
            }
            for (machine, shards) in machines {
                lines.append(
                    "  \(machine.description): shard\(shards.count == 1 ? "" : "s") \(shards.map(String.init).joined(separator: ", "))"
                )
            }
            if !info.absentCells.isEmpty {
                lines.append("absent cells (\(info.absentCells.count)), no results merged:")
                lines += info.absentCells.map { "  \($0)" }
            }
            return lines.joined(separator: "\n")
        }
    }
}
