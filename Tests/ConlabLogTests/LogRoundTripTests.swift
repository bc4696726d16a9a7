import ConlabLog
import Foundation
import Testing

@Suite("The log's events, written and read back")
struct LogRoundTripTests {
    /// One of every event, every optional field set and unset somewhere, numbers that do not print short.
    static let events: [LogEvent] = [
        .runStarted(
            RunStarted(
                machine: MachineInfo(
                    cores: 2,
                    memoryBytes: 25_276_514_304,
                    os: "Debian, Linux 6.1 x86_64",
                    swiftVersion: "6.3"
                ),
                conlabVersion: "0.1.0",
                arguments: ["conlab", "run", "scenarios/life-glider.yaml", "--seed", "18446744073709551615"],
                scenarios: [
                    ScenarioReference(name: "glider", file: "scenarios/life-glider.yaml", sha256: "bf", seed: .max)
                ]
            )
        ),
        .phaseFinished(
            PhaseFinished(
                scenario: "glider",
                strategy: "serial",
                phase: 0,
                phaseName: "generation",
                units: 45,
                seconds: 0.048814999000000005
            )
        ),
        .unitFailed(
            UnitFailed(
                scenario: "glider",
                strategy: "thread",
                phase: 2,
                unitIndex: 27,
                unit: "cell (3, 0)",
                step: "game_logic",
                error: "generation 2, cell (3, 0): I/O in game_logic failed"
            )
        ),
        .unitFailed(
            UnitFailed(scenario: "s", strategy: "pool", phase: 0, unitIndex: 0, unit: "u", step: nil, error: "e")
        ),
        .referenceFrames(
            ReferenceFrames(
                scenario: "glider",
                rows: 2,
                columns: 3,
                grids: 21,
                frames: [ReferenceFrames.Frame(generation: 0, rows: ["-*-", "**-"])],
                leftOut: "20 of 21 grids"
            )
        ),
        .referenceFrames(
            ReferenceFrames(scenario: "big", rows: 1000, columns: 1000, grids: 2, frames: [], leftOut: nil)
        ),
        .unitTimeline(
            UnitTimeline(
                scenario: "glider",
                strategy: "async",
                label: "async",
                repetition: 3,
                units: 180,
                sampledUnits: 90,
                every: 2,
                slices: [
                    UnitTimeline.Slice(unit: 0, kind: .compute, step: nil, thread: 4242, start: 12, end: 30),
                    UnitTimeline.Slice(unit: 0, kind: .wait, step: "game_logic", thread: nil, start: 31, end: 1_040),
                ]
            )
        ),
        .result(
            RunResult(
                scenario: "glider",
                strategy: "serial",
                label: "serial",
                repetition: 2,
                outcome: .success,
                correct: true,
                finalGridSHA256: "33",
                resultSHA256: "33",
                phases: 2,
                wallSeconds: 0.18809913,
                idealSeconds: 0.18000000000000002,
                overheadRatio: 1.0449951666666666,
                phaseSeconds: [0.046382062, 0.046981493000000006],
                cpuUserSeconds: 0.004008,
                cpuSystemSeconds: 0.0040230000000000005,
                cpuChildrenUserSeconds: 0.5,
                cpuChildrenSystemSeconds: 0.25,
                voluntaryContextSwitches: 278,
                involuntaryContextSwitches: 3,
                peakRSSBytes: 28_405_760,
                peakThreads: 6,
                unitLatency: LatencySummary(
                    count: 180,
                    p50Seconds: 0.001025535,
                    p90Seconds: 0.001032703,
                    p99Seconds: 0.001065983,
                    maxSeconds: 0.001421311
                ),
                waitError: LatencySummary(
                    count: 180,
                    p50Seconds: 2.4063e-05,
                    p90Seconds: 3.0719e-05,
                    p99Seconds: 6.0415e-05,
                    maxSeconds: 0.000415743
                ),
                pipeline: PipelineFigures(
                    items: 100,
                    itemsPerSecond: 99.5,
                    latencyP50Seconds: 0.1,
                    latencyP90Seconds: 0.2,
                    latencyP99Seconds: 0.3,
                    latencyMaxSeconds: 0.4,
                    stageUtilisation: ["parse": 0.5, "hash/2": 0.25],
                    maxQueueDepth: ["parse": 7],
                    polls: 3,
                    emptyPolls: 1,
                    orderKept: nil,
                    outputSHA256: "ab"
                ),
                workloadMetrics: ["lost_updates": 12],
                strategyMetrics: ["pool_threads": 4],
                note: "a note",
                warnings: ["pool lag"],
                error: nil,
                invalidMeasurement: "below its floor"
            )
        ),
        .result(
            RunResult(
                scenario: "glider",
                strategy: "async",
                label: "async",
                outcome: .unitFailure,
                correct: false,
                error: "generation 2: failed"
            )
        ),
        // A shard's run and a merged log: the machine's host, the split, the shards merged and a result's shard.
        .runStarted(
            RunStarted(
                machine: MachineInfo(cores: 4, memoryBytes: 1 << 33, os: "Linux", swiftVersion: "6.3", hostname: "n1"),
                conlabVersion: "0.1.0",
                arguments: ["conlab", "run", "s.yaml", "--shard", "1/3"],
                scenarios: [ScenarioReference(name: "s", file: "s.yaml", sha256: "aa", seed: 1)],
                shard: ShardInfo(index: 1, count: 3, cells: [], runCells: ["s #1"], scenariosSHA256: "cc")
            )
        ),
        .runStarted(
            RunStarted(
                machine: MachineInfo(cores: 4, memoryBytes: 1 << 33, os: "Linux", swiftVersion: "6.3", hostname: "n1"),
                conlabVersion: "0.1.0",
                arguments: ["conlab", "run", "s.yaml", "--shard", "0/2"],
                scenarios: [ScenarioReference(name: "s", file: "s.yaml", sha256: "aa", seed: 1)],
                merged: MergeInfo(
                    count: 2,
                    runCells: ["s #1", "s #2"],
                    absentCells: ["s #2"],
                    shards: [
                        MergeInfo.Shard(
                            index: 0,
                            file: "shard-0.jsonl",
                            machine: MachineInfo(cores: 4, memoryBytes: 1 << 33, os: "Linux", swiftVersion: "6.3"),
                            arguments: ["conlab", "run", "s.yaml", "--shard", "0/2"],
                            cells: ["s #1"],
                            exitStatus: nil
                        )
                    ]
                )
            )
        ),
        .result(
            RunResult(scenario: "s", strategy: "serial", label: "serial", outcome: .success, correct: true).sharded(0)
        ),
        .runFinished(
            RunFinished(
                exitStatus: 130,
                results: 2,
                failures: 1,
                unmetExpectations: 0,
                interrupted: true,
                processSeconds: 0.21535685900016688
            )
        ),
        .runFinished(
            RunFinished(
                exitStatus: 0,
                results: 0,
                failures: 0,
                unmetExpectations: 0,
                interrupted: false,
                processSeconds: nil
            )
        ),
    ]

    @Test("Every event type, written as a log line, reads back equal")
    func roundTrip() throws {
        let records = Self.events.enumerated().map { LogRecord(event: $1, time: "2026-11-25T01:34:23.6\($0)Z") }
        let data = try records.reduce(into: Data()) { $0 += try $1.jsonLine() }
        #expect(try LogReader.records(in: data, file: "log.jsonl") == records)
        #expect(
            Set(Self.events.map(\.name)) == [
                "run_started", "phase_finished", "unit_failed", "reference_frames", "unit_timeline", "result",
                "run_finished",
            ]
        )
    }

    @Test("A line's bytes are those the schema documents: keys sorted, every field, nulls written")
    func bytes() throws {
        let finished = LogRecord(
            event: .runFinished(
                RunFinished(
                    exitStatus: 0,
                    results: 2,
                    failures: 0,
                    unmetExpectations: 0,
                    interrupted: false,
                    processSeconds: nil
                )
            ),
            time: "2026-11-25T03:11:00.088572Z"
        )
        #expect(
            String(decoding: try finished.jsonLine(), as: UTF8.self)
                == #"{"event":"run_finished","exit_status":0,"failures":0,"interrupted":false,"process_seconds":null,"#
                + #""results":2,"schema":"conlab.v1","time":"2026-11-25T03:11:00.088572Z","unmet_expectations":0}"#
                + "\n"
        )
        let failed = LogRecord(event: Self.events[3], time: "t")
        #expect(
            String(decoding: try failed.jsonLine(), as: UTF8.self)
                == #"{"error":"e","event":"unit_failed","phase":0,"scenario":"s","schema":"conlab.v1","step":null,"#
                + #""strategy":"pool","time":"t","unit":"u","unit_index":0}"# + "\n"
        )
    }
}

extension RunResult {
    /// The result as a merged log holds it: measured by shard `index`.
    fileprivate func sharded(_ index: Int) -> RunResult {
        var result = self
        result.shard = index
        return result
    }
}
