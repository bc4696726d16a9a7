public import ConlabLog
import Foundation

/// `conlab merge`: the logs of a run's shards (`conlab run --shard I/N`) checked to belong together and put
/// into one log that `report` and `compare` read like any other.
///
/// Shards belong together when they were run by the same conlab version with the same shard count, the same
/// seed and scenarios as loaded after `--set` (``ShardInfo/scenariosSHA256``) and the same cells. A shard is
/// whole when its log ends with `run_finished`, was not interrupted, and ran (exit status 0, or 1 for a run
/// whose results or expectations failed: those verdicts are results too). A shard missing, repeated, cut
/// short or failed stops the merge, naming the command that runs just that shard again; with
/// `allowingMissing`, what exists is merged and the cells without results are listed as absent. From a shard
/// that did not finish, the cell it was in when it stopped is dropped: its strategies may not all have run.
public struct ShardMerge: Sendable {
    /// One shard's log, read.
    public struct Input: Sendable {
        /// The path given.
        public var file: String
        /// Its lines.
        public var records: [LogRecord]

        /// Creates the input.
        public init(file: String, records: [LogRecord]) {
            self.file = file
            self.records = records
        }
    }

    /// Why the shards cannot be merged: one line per problem.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// Each problem, with what to do about it.
        public var problems: [String]

        /// The problems, a paragraph each.
        public var description: String { problems.joined(separator: "\n") }
    }

    /// The merged log's lines, `run_started` to `run_finished`.
    public private(set) var records: [LogRecord] = []
    /// The cells of the run without results in the merged log.
    public private(set) var absentCells: [String] = []
    /// Shards missing, cut short or failed, each with the command that runs it again (with `allowingMissing`).
    public private(set) var warnings: [String] = []
    /// The merged log's `run_started`.
    public private(set) var started: RunStarted

    /// Merges `inputs`, stamping the merged log's first and last lines with `time`.
    public init(_ inputs: [Input], allowingMissing: Bool, time: String) throws(Failure) {
        var problems: [String] = []
        var shards: [(input: Input, started: RunStarted, info: ShardInfo)] = []
        for input in inputs {
            guard let started = input.records.first?.event.runStarted else {
                problems.append("\(input.file): no run_started line: not a conlab run log")
                continue
            }
            guard let info = started.shard else {
                problems.append(
                    "\(input.file): not a shard's log (its run had no --shard); merge takes the logs of 'conlab run --shard I/N'"
                )
                continue
            }
            guard info.count >= 1, (0..<info.count).contains(info.index) else {
                problems.append(
                    "\(input.file): run_started.shard is \(info.index)/\(info.count): a shard's index must be from 0 to below its count"
                )
                continue
            }
            shards.append((input, started, info))
        }
        guard let first = shards.first else {
            throw Failure(problems: problems.isEmpty ? ["no shard logs given"] : problems)
        }
        // Belonging together: every shard against the first.
        let count = first.info.count
        for shard in shards.dropFirst() {
            let (file, started, info) = (shard.input.file, shard.started, shard.info)
            let against = "than \(first.input.file)"
            if started.conlabVersion != first.started.conlabVersion {
                problems.append(
                    "\(file): ran conlab \(started.conlabVersion), \(first.input.file) conlab \(first.started.conlabVersion): shards must be run by one version"
                )
            }
            if info.count != count {
                problems.append("\(file): shard \(info.index)/\(info.count), another shard count \(against) (\(count))")
            }
            let seeds = Set(started.scenarios.map(\.seed))
            let firstSeeds = Set(first.started.scenarios.map(\.seed))
            if seeds != firstSeeds {
                problems.append(
                    "\(file): seed \(Self.list(seeds)), \(first.input.file) seed \(Self.list(firstSeeds)): shards of one run share the seed"
                )
            } else if info.scenariosSHA256 != first.info.scenariosSHA256 || info.runCells != first.info.runCells {
                problems.append(
                    "\(file): other scenarios \(against) (scenario files, --set, --sweep, --strategies or --repeat differ: scenarios_sha256 \(info.scenariosSHA256.prefix(12))…, not \(first.info.scenariosSHA256.prefix(12))…)"
                )
            }
        }
        if !problems.isEmpty { throw Failure(problems: problems) }

        // Each shard once.
        var byIndex: [Int: (input: Input, started: RunStarted, info: ShardInfo)] = [:]
        for shard in shards {
            if let earlier = byIndex[shard.info.index] {
                problems.append(
                    "\(shard.input.file): shard \(shard.info.index)/\(count) again (also \(earlier.input.file)); give each shard once"
                )
            } else {
                byIndex[shard.info.index] = shard
            }
        }
        if !problems.isEmpty { throw Failure(problems: problems) }

        // Whole, missing, cut short or failed; what each contributes.
        var gaps: [String] = []
        var merged: [MergeInfo.Shard] = []
        var body: [LogRecord] = []
        var results = 0
        var failures = 0
        var unmetExpectations = 0
        // A scenario's expectations are checked against its reference by every shard that runs a cell of it:
        // each such shard counts the same unmet ones, so the run has the most any shard counted, scenario by
        // scenario. `nil` once a whole shard's log does not say (written before it was recorded): then the
        // shards' totals are added, as they were.
        var scenarioUnmet: [Int]? = Array(repeating: 0, count: first.started.scenarios.count)
        var shardsFailed = false
        var present: Set<String> = []
        for index in 0..<count {
            guard let shard = byIndex[index] else {
                gaps.append(
                    "shard \(index)/\(count) is missing; run it with:\n  \(Self.rerun(index, count: count, like: first.started.arguments, logOf: first.input.file, index: first.info.index))"
                )
                continue
            }
            let finished = shard.input.records.last?.event.runFinished
            let ran = finished.map { !$0.interrupted && ($0.exitStatus == 0 || $0.exitStatus == 1) } ?? false
            if !ran {
                let why =
                    switch finished {
                    case nil: "is cut short (no run_finished: killed, or still running)"
                    case let finished? where finished.interrupted: "was interrupted"
                    case let finished?: "failed with exit status \(finished.exitStatus)"
                    }
                gaps.append(
                    "shard \(index)/\(count) (\(shard.input.file)) \(why); run it again with:\n  \(Self.rerun(index, count: count, like: shard.started.arguments, logOf: shard.input.file, index: index))"
                )
            }
            guard ran || allowingMissing else { continue }
            var events = shard.input.records.dropFirst().filter {
                $0.event.runStarted == nil && $0.event.runFinished == nil
            }
            if !ran {
                // The cell in progress when the shard stopped may lack strategies, whether it was cut short or
                // interrupted (a run stops between two strategies without a result marked interrupted): it goes,
                // and so does any cell with an interrupted result.
                let cells = events.compactMap(\.event.result).map(ShardInfo.cell(of:))
                var dropped = Set(
                    events.compactMap(\.event.result).filter { $0.outcome == .interrupted }.map(ShardInfo.cell(of:))
                )
                if let last = cells.last { dropped.insert(last) }
                // What came after the last result of a kept cell (the dropped cell's phases, failures and
                // timelines) goes with it.
                let lastKept = events.lastIndex { record in
                    record.event.result.map { !dropped.contains(ShardInfo.cell(of: $0)) } ?? false
                }
                events = lastKept.map { Array(events[...$0]) } ?? []
                events = events.filter { record in
                    guard let result = record.event.result else { return true }
                    return !dropped.contains(ShardInfo.cell(of: result))
                }
            }
            var cells: [String] = []
            for record in events {
                guard case .result(var result) = record.event else {
                    body.append(record)
                    continue
                }
                let cell = ShardInfo.cell(of: result)
                if !shard.info.cells.contains(cell) {
                    problems.append("\(shard.input.file): a result for \(cell), which is not shard \(index)'s cell")
                }
                if !cells.contains(cell) { cells.append(cell) }
                result.shard = index
                results += 1
                // A whole shard's failures are its own verdict, below; a partial one's are counted here, a
                // refused strategy (a runtime missing on that machine) not among them, as `conlab run` counts.
                if !ran && !result.correct && result.outcome != .refused { failures += 1 }
                body.append(LogRecord(event: .result(result), time: record.time))
            }
            if ran, let finished {
                // A whole shard holds all its cells, even one whose strategies were all refused before running,
                // and its verdict is the one `conlab run` gave it: its failures (correct results with an outcome
                // the scenario did not expect among them) and its exit status.
                cells = shard.info.cells
                failures += finished.failures
                unmetExpectations += finished.unmetExpectations
                if let own = finished.scenarioUnmetExpectations, let counted = scenarioUnmet,
                    own.count == counted.count
                {
                    scenarioUnmet = zip(counted, own).map { max($0, $1) }
                } else {
                    scenarioUnmet = nil
                }
                if finished.exitStatus != 0 { shardsFailed = true }
            }
            present.formUnion(cells)
            merged.append(
                MergeInfo.Shard(
                    index: index,
                    file: shard.input.file,
                    machine: shard.started.machine,
                    arguments: shard.started.arguments,
                    cells: cells,
                    exitStatus: finished?.exitStatus
                )
            )
        }
        if !problems.isEmpty { throw Failure(problems: problems) }
        if !gaps.isEmpty && !allowingMissing {
            throw Failure(
                problems: gaps + ["then merge again with every shard, or pass --allow-missing to merge what exists"]
            )
        }
        warnings = gaps
        absentCells = first.info.runCells.filter { !present.contains($0) }
        let mergedInfo = MergeInfo(
            count: count,
            runCells: first.info.runCells,
            absentCells: absentCells,
            shards: merged
        )
        started = RunStarted(
            machine: merged.first?.machine ?? first.started.machine,
            conlabVersion: first.started.conlabVersion,
            // The whole run's command: a shard's, without its --shard and --log.
            arguments: Self.withoutShard(first.started.arguments),
            scenarios: first.started.scenarios,
            merged: mergedInfo
        )
        if let scenarioUnmet { unmetExpectations = scenarioUnmet.reduce(0, +) }
        let failed = shardsFailed || failures > 0 || unmetExpectations > 0 || !absentCells.isEmpty
        records =
            [LogRecord(event: .runStarted(started), time: time)] + body + [
                LogRecord(
                    event: .runFinished(
                        RunFinished(
                            exitStatus: failed ? 1 : 0,
                            results: results,
                            failures: failures,
                            unmetExpectations: unmetExpectations,
                            scenarioUnmetExpectations: scenarioUnmet,
                            interrupted: false,
                            processSeconds: nil
                        )
                    ),
                    time: time
                )
            ]
    }

    /// The machines that measured the merged results, each with the shards it ran, in shard order.
    public var machines: [(machine: MachineInfo, shards: [Int])] {
        var groups: [(machine: MachineInfo, shards: [Int])] = []
        for shard in started.merged?.shards ?? [] {
            if let index = groups.firstIndex(where: { $0.machine == shard.machine }) {
                groups[index].shards.append(shard.index)
            } else {
                groups.append((shard.machine, [shard.index]))
            }
        }
        return groups
    }

    /// The command line that runs shard `index` of `count` alone: `arguments` (another shard's, or its own)
    /// with `--shard` set to it and `--log` to a file named like shard `ofIndex`'s (its `--log`, else `logOf`).
    static func rerun(
        _ index: Int,
        count: Int,
        like arguments: [String],
        logOf: String,
        index ofIndex: Int
    )
        -> String
    {
        // The shard's own --log, as its machine named it, rather than where its log was copied for merging.
        var given: String?
        for (position, argument) in arguments.enumerated() {
            if argument == "--log", position + 1 < arguments.count { given = arguments[position + 1] }
            if argument.hasPrefix("--log=") { given = String(argument.dropFirst("--log=".count)) }
        }
        let log = logPath(
            for: index,
            count: count,
            like: given.flatMap { $0 == "-" ? nil : $0 } ?? logOf,
            index: ofIndex
        )
        let words = withoutShard(arguments) + ["--shard", "\(index)/\(count)", "--log", log]
        return words.map(Self.quoted).joined(separator: " ")
    }

    /// A shard's command line without its `--shard` and `--log`: the whole run's.
    static func withoutShard(_ arguments: [String]) -> [String] {
        var words: [String] = []
        var skip = false
        for argument in arguments {
            if skip {
                skip = false
                continue
            }
            if argument == "--shard" || argument == "--log" {
                skip = true
                continue
            }
            if argument.hasPrefix("--shard=") || argument.hasPrefix("--log=") { continue }
            words.append(argument)
        }
        return words
    }

    /// Shard `index`'s log named like `path`, shard `ofIndex`'s: its number, where the name holds it alone,
    /// swapped for `index`; else `shard-INDEX.jsonl` beside it.
    static func logPath(for index: Int, count: Int, like path: String, index ofIndex: Int) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let number = String(ofIndex)
        var ranges: [Range<String.Index>] = []
        var from = name.startIndex
        while let found = name.range(of: number, range: from..<name.endIndex) {
            let before = found.lowerBound == name.startIndex ? nil : name[name.index(before: found.lowerBound)]
            let after = found.upperBound == name.endIndex ? nil : name[found.upperBound]
            if !(before?.isNumber ?? false) && !(after?.isNumber ?? false) { ranges.append(found) }
            from = found.upperBound
        }
        let renamed =
            ranges.count == 1 ? name.replacingCharacters(in: ranges[0], with: String(index)) : "shard-\(index).jsonl"
        return folder.isEmpty ? renamed : (folder as NSString).appendingPathComponent(renamed)
    }

    /// A word as a POSIX shell reads it back: quoted when it holds anything but safe characters.
    static func quoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !word.isEmpty && word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func list(_ seeds: Set<UInt64>) -> String {
        seeds.sorted().map(String.init).joined(separator: ", ")
    }
}
