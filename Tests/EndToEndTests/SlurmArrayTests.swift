import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// A real Slurm on this machine (`bench/slurm/run`): opt-in with `CONLAB_SLURM_TEST=1`, since it installs
    /// Debian's slurm-wlm and munge when they are missing and starts their daemons (as root). `.ci/run` sets it
    /// when it runs as root.
    @Suite(
        "Slurm job array",
        .enabled(
            if: ProcessInfo.processInfo.environment["CONLAB_SLURM_TEST"] == "1",
            "set CONLAB_SLURM_TEST=1 to run a real Slurm (it installs slurm-wlm and munge, as root)"
        )
    )
    struct SlurmArrayTests {
        @Test("A sweep run as an sbatch array of shards and merged has a single run's cells and verdicts")
        func arrayMatchesOneMachine() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let work = folder.url.appendingPathComponent("slurm").path
            // The script runs conlab as CONLAB, this test's built binary: sh's $0 and $1 are the binary and WORK.
            let output = try await ConlabBinary.run(
                [work],
                launcher: ["/bin/sh", "-c", #"CONLAB="$0" exec bench/slurm/run "$1""#]
            )
            #expect(output.status == 0, "\(output.standardOutput)\n\(output.standardError)")
            #expect(output.standardOutput.contains("slurm: PASS"), "\(output.standardOutput)")

            // The script's own check, again on the typed reader, every line held to the schema.
            let single = try LogFile.results(at: "\(work)/single.jsonl")
            let events = try LogFile.events(at: "\(work)/merged.jsonl")
            let merged = events.compactMap(\.result)
            let started = try #require(events.first?.runStarted?.merged)
            #expect(started.count == 3 && started.shards.map(\.index) == [0, 1, 2] && started.absentCells.isEmpty)
            #expect(Set(started.runCells) == Set(single.map(ShardInfo.cell(of:))))
            func verdicts(_ results: [RunResult]) -> [String] {
                results.map {
                    "\(ShardInfo.cell(of: $0)) \($0.label) \($0.outcome) \($0.correct) \($0.resultSHA256 ?? "-")"
                }
                .sorted()
            }
            #expect(!single.isEmpty && verdicts(merged) == verdicts(single))
            // Each shard ran under Slurm, from the job array's script.
            for shard in started.shards {
                #expect(shard.arguments.suffix(5) == ["--shard", "\(shard.index)/3", "--log", shard.file, "--quiet"])
            }
        }
    }
}
