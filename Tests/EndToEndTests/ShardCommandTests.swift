import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `conlab run --shard I/N` and `conlab merge`, on the built binary: a small sweep split into shards, each
    /// run as a scheduler's task would run it, and put back together.
    @Suite("--shard and merge")
    struct ShardCommandTests {
        /// A sweep of two settings, each measured twice: four cells, each with serial and async.
        static let sweep = [
            "run", "scenarios/life-glider.yaml", "--sweep", "workload.io.latency=1ms,2ms", "--repeat", "2", "-q",
        ]
        static let cells = ["1ms", "2ms"].flatMap { latency in
            [1, 2].map { "life-glider [workload.io.latency=\(latency)] #\($0)" }
        }

        /// What must agree between a merged log and a single run: which strategy ran in which cell, and its
        /// verdict and what it produced; never its time.
        struct Verdict: Hashable {
            var cell: String
            var label: String
            var outcome: RunResult.Outcome
            var correct: Bool
            var result: String?

            init(_ result: RunResult) {
                cell = ShardInfo.cell(of: result)
                label = result.label
                outcome = result.outcome
                correct = result.correct
                self.result = result.resultSHA256
            }
        }

        /// Runs shard `index` of `count` with `extra` arguments; its log is `shard-INDEX.jsonl` in `folder`.
        static func shard(
            _ index: Int,
            of count: Int,
            in folder: TemporaryFolder,
            extra: [String] = []
        ) async throws -> String {
            let log = folder.url.appendingPathComponent("shard-\(index).jsonl").path
            let output = try await ConlabBinary.run(
                sweep + extra + ["--shard", "\(index)/\(count)", "--log", log]
            )
            #expect(output.status == 0, "\(output.standardError)")
            return log
        }

        @Test("Shards of a sweep run every cell once, and their merged log has a single run's cells and verdicts")
        func shardsCoverTheRun() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let single = folder.url.appendingPathComponent("single.jsonl").path
            let whole = try await ConlabBinary.run(Self.sweep + ["--log", single])
            #expect(whole.status == 0, "\(whole.standardError)")

            var logs: [String] = []
            for index in 0..<3 { logs.append(try await Self.shard(index, of: 3, in: folder)) }
            var seen: [String] = []
            for (index, log) in logs.enumerated() {
                let events = try LogFile.events(at: log)
                let info = try #require(events.first?.runStarted?.shard)
                #expect(info.index == index && info.count == 3)
                #expect(info.runCells == Self.cells)
                #expect(info.cells == ShardInfo.cells(of: Self.cells, index: index, count: 3))
                // Every strategy of a cell in the cell's shard, and nothing else.
                let results = events.compactMap(\.result)
                #expect(Set(results.map(ShardInfo.cell(of:))) == Set(info.cells))
                for cell in info.cells {
                    #expect(
                        Set(results.filter { ShardInfo.cell(of: $0) == cell }.map(\.strategy)) == ["serial", "async"]
                    )
                }
                seen += info.cells
            }
            #expect(seen.sorted() == Self.cells.sorted(), "every cell in exactly one shard")

            let merged = folder.url.appendingPathComponent("run.jsonl").path
            let merge = try await ConlabBinary.run(["merge"] + logs.reversed() + ["-o", merged])
            #expect(merge.status == 0, "\(merge.standardError)")
            #expect(merge.standardOutput.contains("merged 3 of 3 shards, 4 of 4 cells"), "\(merge.standardOutput)")
            let events = try LogFile.events(at: merged)
            let started = try #require(events.first?.runStarted)
            #expect(started.merged?.absentCells == [])
            #expect(started.merged?.shards.map(\.index) == [0, 1, 2])
            #expect(events.last?.runFinished?.exitStatus == 0)
            let mergedResults = events.compactMap(\.result)
            #expect(mergedResults.allSatisfy { $0.shard != nil })
            let singleResults = try LogFile.results(at: single)
            #expect(mergedResults.count == singleResults.count)
            #expect(Set(mergedResults.map(Verdict.init)) == Set(singleResults.map(Verdict.init)))

            // The readers of logs read it: compare matches every result, report draws it.
            let compare = try await ConlabBinary.run(["compare", single, merged])
            #expect([0, 2, 4].contains(compare.status), "\(compare.standardError)")
            #expect(!compare.standardOutput.contains("not compared"), "\(compare.standardOutput)")
            #expect(!compare.standardOutput.contains("different machines"), "\(compare.standardOutput)")
            let html = folder.url.appendingPathComponent("report.html").path
            let report = try await ConlabBinary.run(["report", merged, "-o", html])
            #expect(report.status == 0, "\(report.standardError)")
        }

        @Test("Shards of a sweep whose reference misses its expectation merge to the single run's count")
        func unmetExpectations() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            // A digest no grid has: each of the sweep's two scenarios misses it once.
            let wrong = ["--set", "expect.final_grid_sha256=" + String(repeating: "0", count: 64)]
            let single = folder.url.appendingPathComponent("single.jsonl").path
            let whole = try await ConlabBinary.run(Self.sweep + wrong + ["--log", single])
            #expect(whole.status == 1, "\(whole.standardError)")
            let singleFinished = try #require(try LogFile.events(at: single).last?.runFinished)
            #expect(singleFinished.unmetExpectations == 2)
            #expect(singleFinished.scenarioUnmetExpectations == [1, 1])

            // Three shards of four cells: one of them holds a cell of each scenario, so the shards count 4.
            var logs: [String] = []
            var counted = 0
            for index in 0..<3 {
                let log = folder.url.appendingPathComponent("shard-\(index).jsonl").path
                let output = try await ConlabBinary.run(Self.sweep + wrong + ["--shard", "\(index)/3", "--log", log])
                #expect(output.status == 1, "\(output.standardError)")
                counted += try #require(try LogFile.events(at: log).last?.runFinished).unmetExpectations
                logs.append(log)
            }
            #expect(counted == 4)
            let merged = folder.url.appendingPathComponent("run.jsonl").path
            let merge = try await ConlabBinary.run(["merge"] + logs + ["-o", merged])
            #expect(merge.status == 0, "\(merge.standardError)")
            let finished = try #require(try LogFile.events(at: merged).last?.runFinished)
            #expect(finished.unmetExpectations == singleFinished.unmetExpectations)
            #expect(finished.scenarioUnmetExpectations == [1, 1])
            #expect(finished.exitStatus == 1)
        }

        @Test("A shard with no cells writes a valid log that says it is empty")
        func emptyShard() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("shard-5.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--shard", "5/6", "--log", log,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            #expect(output.standardOutput.contains("shard 5/6 is empty"), "\(output.standardOutput)")
            let events = try LogFile.events(at: log)
            let info = try #require(events.first?.runStarted?.shard)
            #expect(info.cells.isEmpty && info.runCells == ["life-glider #1"])
            #expect(events.compactMap(\.result).isEmpty)
            #expect(events.last?.runFinished?.exitStatus == 0)
        }

        @Test("A malformed --shard is a usage error")
        func malformed() async throws {
            for shard in ["3/3", "1", "-1/2", "0/0", "a/b"] {
                let output = try await ConlabBinary.run(["run", "scenarios/life-glider.yaml", "--shard=\(shard)"])
                #expect(output.status == 64, "\(shard)")
                #expect(output.standardError.contains("--shard expects I/N"), "\(shard): \(output.standardError)")
            }
        }

        @Test("merge refuses shards of other seeds, scenarios, versions or counts, and repeated or cut short ones")
        func refusals() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let zero = try await Self.shard(0, of: 2, in: folder)
            let one = try await Self.shard(1, of: 2, in: folder)
            let other = try TemporaryFolder()
            defer { other.remove() }
            let seeded = try await Self.shard(1, of: 2, in: other, extra: ["--seed", "7"])
            let otherFolder = try TemporaryFolder()
            defer { otherFolder.remove() }
            let set = try await Self.shard(1, of: 2, in: otherFolder, extra: ["--set", "description=another"])
            let threeFolder = try TemporaryFolder()
            defer { threeFolder.remove() }
            let ofThree = try await Self.shard(1, of: 3, in: threeFolder)
            // Another version and a log cut short: edited copies of shard 1's log.
            let text = try String(contentsOfFile: one, encoding: .utf8)
            let version = try folder.write(
                text.replacingOccurrences(of: "\"conlab_version\":\"", with: "\"conlab_version\":\"9."),
                to: "version.jsonl"
            )
            let lines = text.split(separator: "\n")
            let cut = try folder.write(lines.dropLast().joined(separator: "\n") + "\n", to: "cut-1.jsonl")

            func refused(_ logs: [String], saying expected: String) async throws {
                let merged = folder.url.appendingPathComponent("merged.jsonl").path
                let output = try await ConlabBinary.run(["merge"] + logs + ["-o", merged])
                #expect(output.status == 2, "\(expected): \(output.standardOutput)")
                #expect(output.standardError.contains(expected), "\(expected): \(output.standardError)")
                #expect(!FileManager.default.fileExists(atPath: merged), "nothing written")
            }
            try await refused([zero, seeded], saying: "seed 7, \(zero) seed 1")
            try await refused([zero, set], saying: "other scenarios than \(zero)")
            try await refused([zero, version], saying: "ran conlab 9.0.1.0, \(zero) conlab 0.1.0")
            try await refused([zero, ofThree], saying: "another shard count than \(zero) (2)")
            try await refused([zero, one, one], saying: "shard 1/2 again")
            try await refused([zero, cut], saying: "shard 1/2 (\(cut)) is cut short")
            try await refused([zero, cut], saying: "--shard 1/2 --log \(one)")
            try await refused([zero], saying: "shard 1/2 is missing; run it with")
        }

        @Test(
            "merge names a missing shard with the command that runs it, which does; --allow-missing names the absent cells"
        )
        func missingShard() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let zero = try await Self.shard(0, of: 2, in: folder)
            let one = folder.url.appendingPathComponent("shard-1.jsonl").path
            let merged = folder.url.appendingPathComponent("run.jsonl").path

            let partial = try await ConlabBinary.run(["merge", zero, "-o", merged, "--allow-missing"])
            #expect(partial.status == 0, "\(partial.standardError)")
            let absent = ShardInfo.cells(of: Self.cells, index: 1, count: 2)
            #expect(partial.standardOutput.contains("absent cells (2)"), "\(partial.standardOutput)")
            for cell in absent { #expect(partial.standardOutput.contains(cell)) }
            let started = try #require(try LogFile.events(at: merged).first?.runStarted)
            #expect(started.merged?.absentCells == absent)
            #expect(try LogFile.runFinished(at: merged)?.exitStatus == 1, "a run with absent cells is not whole")
            let html = folder.url.appendingPathComponent("report.html").path
            let report = try await ConlabBinary.run(["report", merged, "-o", html])
            #expect(report.status == 0, "\(report.standardError)")
            let page = try String(contentsOfFile: html, encoding: .utf8)
            #expect(page.contains("2 of its 4 cells have no results"))
            for cell in absent { #expect(page.contains(cell)) }

            // The command merge names runs just the missing shard; then the merge is whole.
            let refused = try await ConlabBinary.run(["merge", zero, "-o", merged])
            #expect(refused.status == 2)
            let lines = refused.standardError.split(separator: "\n").map(String.init)
            let index = try #require(lines.firstIndex { $0.contains("shard 1/2 is missing; run it with:") })
            let command = lines[index + 1].trimmingCharacters(in: .whitespaces)
            #expect(command.hasSuffix("--shard 1/2 --log \(one)"), "\(command)")
            let words = command.split(separator: " ").map(String.init)
            let rerun = try await ConlabBinary.run(Array(words.dropFirst()))
            #expect(rerun.status == 0, "\(rerun.standardError)")
            let whole = try await ConlabBinary.run(["merge", zero, one, "-o", merged])
            #expect(whole.status == 0, "\(whole.standardError)")
            #expect(try LogFile.events(at: merged).first?.runStarted?.merged?.absentCells == [])
        }
    }
}
