import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

@testable import ConlabRunner

@Suite("Merging shards")
struct ShardMergeTests {
    static let machine = MachineInfo(cores: 2, memoryBytes: 1 << 30, os: "Linux", swiftVersion: "6.3", hostname: "n")
    static let runCells = ["s #1", "s #2", "s #3", "s #4"]

    /// Shard `index` of 2 of a run of four cells: its `run_started`, a result of each strategy for each of
    /// `cells` (the strategies `strategies` of its last one), and `finished`, when given.
    static func shard(
        _ index: Int,
        cells: [String],
        lastWith strategies: [String] = ["serial", "async"],
        finished: RunFinished?,
        on machine: MachineInfo = machine
    ) -> ShardMerge.Input {
        let info = ShardInfo(
            index: index,
            count: 2,
            cells: ShardInfo.cells(of: runCells, index: index, count: 2),
            runCells: runCells,
            scenariosSHA256: "ab"
        )
        let started = RunStarted(
            machine: machine,
            conlabVersion: "0.1.0",
            arguments: [
                "conlab", "run", "s.yaml", "--repeat", "4", "--shard", "\(index)/2", "--log", "out/s-\(index).jsonl",
            ],
            scenarios: [ScenarioReference(name: "s", file: "s.yaml", sha256: "cd", seed: 1)],
            shard: info
        )
        var records = [LogRecord(event: .runStarted(started), time: "t")]
        for (position, cell) in cells.enumerated() {
            let repetition = Int(cell.split(separator: "#")[1])!
            for strategy in position == cells.count - 1 ? strategies : ["serial", "async"] {
                let result = RunResult(
                    scenario: "s",
                    strategy: strategy,
                    label: strategy,
                    repetition: repetition,
                    outcome: .success,
                    correct: true
                )
                records.append(LogRecord(event: .result(result), time: "t"))
            }
        }
        if let finished { records.append(LogRecord(event: .runFinished(finished), time: "t")) }
        return ShardMerge.Input(file: "copy/s-\(index).jsonl", records: records)
    }

    static let whole = RunFinished(
        exitStatus: 0,
        results: 4,
        failures: 0,
        unmetExpectations: 0,
        interrupted: false,
        processSeconds: 1
    )

    @Test("A shard cut short mid-cell: refused with its rerun command; with --allow-missing, that cell is absent")
    func cutShort() throws {
        let zero = Self.shard(0, cells: ["s #1", "s #3"], finished: Self.whole)
        // Shard 1 finished cell s #2, then was killed in s #4 after serial.
        let one = Self.shard(1, cells: ["s #2", "s #4"], lastWith: ["serial"], finished: nil)
        #expect {
            try ShardMerge([zero, one], allowingMissing: false, time: "t")
        } throws: { error in
            let text = "\(error)"
            return text.contains("shard 1/2 (copy/s-1.jsonl) is cut short")
                && text.contains("conlab run s.yaml --repeat 4 --shard 1/2 --log out/s-1.jsonl")
        }
        let merge = try ShardMerge([zero, one], allowingMissing: true, time: "t")
        #expect(merge.absentCells == ["s #4"])
        let results = merge.records.compactMap(\.event.result)
        #expect(results.map(ShardInfo.cell(of:)).sorted() == ["s #1", "s #1", "s #2", "s #2", "s #3", "s #3"])
        #expect(results.allSatisfy { $0.shard == (ShardInfo.cell(of: $0) == "s #2" ? 1 : 0) })
        #expect(merge.started.merged?.shards.map(\.exitStatus) == [0, nil])
        #expect(merge.started.arguments == ["conlab", "run", "s.yaml", "--repeat", "4"])
        #expect(merge.records.last?.event.runFinished?.exitStatus == 1)
    }

    @Test("An interrupted shard's cells with interrupted results are absent, the others kept")
    func interrupted() throws {
        let zero = Self.shard(0, cells: ["s #1", "s #3"], finished: Self.whole)
        var one = Self.shard(
            1,
            cells: ["s #2", "s #4"],
            finished: RunFinished(
                exitStatus: 130,
                results: 4,
                failures: 0,
                unmetExpectations: 0,
                interrupted: true,
                processSeconds: 1
            )
        )
        if case .result(var result) = one.records[4].event {
            result.outcome = .interrupted
            one.records[4] = LogRecord(event: .result(result), time: "t")
        }
        let merge = try ShardMerge([zero, one], allowingMissing: true, time: "t")
        #expect(merge.absentCells == ["s #4"])
        #expect(merge.warnings.first?.contains("shard 1/2 (copy/s-1.jsonl) was interrupted") == true)
    }

    @Test("An interrupted shard's last cell is absent though none of its results is marked interrupted")
    func interruptedBetweenStrategies() throws {
        let zero = Self.shard(0, cells: ["s #1", "s #3"], finished: Self.whole)
        // Interrupted between serial and async of s #4: the run stops there, and no result says so.
        let one = Self.shard(
            1,
            cells: ["s #2", "s #4"],
            lastWith: ["serial"],
            finished: RunFinished(
                exitStatus: 130,
                results: 3,
                failures: 0,
                unmetExpectations: 0,
                interrupted: true,
                processSeconds: 1
            )
        )
        let merge = try ShardMerge([zero, one], allowingMissing: true, time: "t")
        #expect(merge.absentCells == ["s #4"])
        #expect(!merge.records.compactMap(\.event.result).contains { ShardInfo.cell(of: $0) == "s #4" })
    }

    @Test("A merged run's verdict is the shards': a refused strategy passes, a shard's own failures fail")
    func verdictFromShards() throws {
        // A strategy refused on one machine (its runtime missing): `conlab run` passes it, and so does merge.
        var zero = Self.shard(0, cells: ["s #1", "s #3"], finished: Self.whole)
        if case .result(var result) = zero.records[1].event {
            result.outcome = .refused
            result.correct = false
            zero.records[1] = LogRecord(event: .result(result), time: "t")
        }
        let one = Self.shard(1, cells: ["s #2", "s #4"], finished: Self.whole)
        let passed = try ShardMerge([zero, one], allowingMissing: false, time: "t")
        #expect(passed.records.last?.event.runFinished?.exitStatus == 0)
        #expect(passed.records.last?.event.runFinished?.failures == 0)
        // A correct result with an outcome the scenario did not expect fails its shard (exit 1, one failure),
        // though every result is correct: the merged run fails too.
        var failing = Self.whole
        failing.exitStatus = 1
        failing.failures = 1
        let failed = try ShardMerge(
            [
                Self.shard(0, cells: ["s #1", "s #3"], finished: Self.whole),
                Self.shard(1, cells: ["s #2", "s #4"], finished: failing),
            ],
            allowingMissing: false,
            time: "t"
        )
        #expect(failed.records.last?.event.runFinished?.exitStatus == 1)
        #expect(failed.records.last?.event.runFinished?.failures == 1)
    }

    @Test("A shard whose index is not below its count is refused, named")
    func impossibleIndex() {
        var zero = Self.shard(0, cells: ["s #1", "s #3"], finished: Self.whole)
        if case .runStarted(var started) = zero.records[0].event {
            started.shard?.index = 5
            zero.records[0] = LogRecord(event: .runStarted(started), time: "t")
        }
        #expect {
            try ShardMerge([zero], allowingMissing: true, time: "t")
        } throws: { error in
            "\(error)".contains("copy/s-0.jsonl: run_started.shard is 5/2")
        }
    }

    @Test("Results of shards on two machines are compared and reported machine by machine, and said to be")
    func twoMachines() throws {
        var other = Self.machine
        other.hostname = "m"
        let zero = Self.shard(0, cells: ["s #1", "s #3"], finished: Self.whole)
        let one = Self.shard(1, cells: ["s #2", "s #4"], finished: Self.whole, on: other)
        let merge = try ShardMerge([zero, one], allowingMissing: false, time: "t")
        #expect(merge.machines.map(\.shards) == [[0], [1]])
        let events = merge.records.map(\.event)
        #expect(
            events.compactMap(\.result).map { merge.started.machine(of: $0).hostname } == [
                "n", "n", "n", "n", "m", "m", "m", "m",
            ]
        )

        // Against a run on machine n alone: only n's results are compared, and the notes say why.
        let base =
            Self.shard(0, cells: [], finished: nil).records.prefix(1).map(\.event) + [
                .result(RunResult(scenario: "s", strategy: "serial", label: "serial", outcome: .success, correct: true))
            ]
        let comparison = ResultComparison(base: base, new: events, threshold: 0.05)
        #expect(comparison.notes.count == 2)
        #expect(comparison.notes.contains { $0.contains("the new run was measured on 2 machines") })
        #expect(comparison.notes.contains { $0.contains("the runs were measured on different machines") })
        #expect(Set(comparison.changes.map(\.scenario)) == ["s (on n)"])
        #expect(comparison.unmatched.contains("s (on m) / serial: only in the new run"))

        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let text = try merge.records.map { String(decoding: try $0.jsonLine(), as: UTF8.self) }.joined()
        let report = try HTMLReport(logs: [try folder.write(text, to: "run.jsonl")])
        #expect(report.html.contains("<h2>s (on n)</h2>") && report.html.contains("<h2>s (on m)</h2>"))
        #expect(report.html.contains("holds results from 2 machines"))
    }

    @Test("A scenario's unmet expectation counted by two shards is counted once; older logs' totals are added")
    func unmetExpectationsOnce() throws {
        func finished(_ scenarioUnmet: [Int]?) -> RunFinished {
            RunFinished(
                exitStatus: 1,
                results: 4,
                failures: 0,
                unmetExpectations: 1,
                scenarioUnmetExpectations: scenarioUnmet,
                interrupted: false,
                processSeconds: 1
            )
        }
        let zero = Self.shard(0, cells: ["s #1", "s #3"], finished: finished([1]))
        let one = Self.shard(1, cells: ["s #2", "s #4"], finished: finished([1]))
        let merged = try #require(
            try ShardMerge([zero, one], allowingMissing: false, time: "t").records.last?.event.runFinished
        )
        #expect(merged.unmetExpectations == 1, "the unsharded run counts the scenario's expectation once")
        #expect(merged.scenarioUnmetExpectations == [1])
        #expect(merged.exitStatus == 1)

        let older = Self.shard(1, cells: ["s #2", "s #4"], finished: finished(nil))
        let mixed = try #require(
            try ShardMerge([zero, older], allowingMissing: false, time: "t").records.last?.event.runFinished
        )
        #expect(mixed.unmetExpectations == 2, "a log that does not say by scenario: the totals, as before")
        #expect(mixed.scenarioUnmetExpectations == nil)
    }

    @Test("A missing shard's log is named like the others'; commands are quoted for the shell")
    func naming() {
        #expect(ShardMerge.logPath(for: 2, count: 3, like: "runs/shard-0.jsonl", index: 0) == "runs/shard-2.jsonl")
        #expect(ShardMerge.logPath(for: 3, count: 12, like: "o/run-10-of-12.jsonl", index: 10) == "o/run-3-of-12.jsonl")
        #expect(ShardMerge.logPath(for: 1, count: 2, like: "a/run.jsonl", index: 0) == "a/shard-1.jsonl")
        #expect(ShardMerge.logPath(for: 1, count: 2, like: "0-0.jsonl", index: 0) == "shard-1.jsonl")
        #expect(ShardMerge.quoted("workload.workers=1,2") == "workload.workers=1,2")
        #expect(ShardMerge.quoted("it's a") == #"'it'\''s a'"#)
        #expect(
            ShardMerge.rerun(
                1,
                count: 2,
                like: ["conlab", "run", "--log=x/s-0.jsonl", "--shard=0/2"],
                logOf: "y",
                index: 0
            )
                == "conlab run --shard 1/2 --log x/s-1.jsonl"
        )
    }
}
