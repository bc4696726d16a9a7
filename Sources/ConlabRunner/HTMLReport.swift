import ConlabCore
import ConlabLog
import Foundation

/// `conlab report`: one self-contained HTML file from run logs — no script, no stylesheet or font from
/// the network — with the charts drawn as inline SVG: per scenario, the answer first (which strategy was
/// fastest and correct, by how much, one row per strategy: ``ScenarioAnswer``), then each strategy's wall
/// time against its ideal floor, its unit latency as a percentile curve, the workload's grids as pictures and,
/// for a `--trace` run, a timeline of each strategy's threads; and for a `--sweep`, the time at each setting.
public struct HTMLReport: Sendable {
    /// One `result` event, as much of it as the report shows.
    struct Result: Sendable {
        var scenario: String
        var strategy: String
        var label: String
        var correct: Bool
        var outcome: String
        var wall: Double
        var ideal: Double
        /// The whole event, for the answer table.
        var run: RunResult
        /// Which log it came from (an index into ``HTMLReport/sources``).
        var source: Int
        /// The machine that measured it: in a merged log, its shard's.
        var machine: MachineInfo?
    }

    /// A log the report could not read.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the file.
        public var description: String
    }

    var results: [Result] = []
    var machines: [String] = []
    var sources: [String] = []
    /// What the reader must know of merged logs: results from several machines, cells without results.
    var notes: [String] = []
    /// How each scenario (by its own name) was run: its file, digest and seed, conlab's version, the command.
    var reproductions: [String: Reproduction] = [:]
    /// With `--compare`: the second log against the first, as `conlab compare` judges them.
    var comparison: ResultComparison?
    /// The reference's grids each log kept, by log and scenario (``key(_:_:)``).
    var frames: [String: ReferenceFrames] = [:]
    /// The sampled timelines of `--trace` runs, by log, scenario, label and round (``key(_:_:)``).
    var timelines: [String: UnitTimeline] = [:]

    /// What it takes to run a scenario again as it ran.
    struct Reproduction {
        var reference: ScenarioReference
        var version: String
        var arguments: [String]
    }

    /// Reads the `result` and `run_started` events of each log; with a `comparing` threshold (two logs
    /// only), also the second against the first.
    public init(logs: [String], comparing threshold: Double? = nil) throws(Failure) {
        var eventsOfLogs: [[LogEvent]] = []
        for path in logs {
            let events: [LogEvent]
            do throws(LogReadError) {
                events = try LogReader.events(atPath: path)
            } catch {
                throw Failure(description: error.description)
            }
            sources.append(path)
            eventsOfLogs.append(events)
            var current: RunStarted?
            for event in events {
                switch event {
                case .runStarted(let started):
                    current = started
                    if let merged = started.merged, !merged.absentCells.isEmpty {
                        notes.append(
                            "\(path) is merged from \(merged.shards.count) of \(merged.count) shards; \(merged.absentCells.count) of its \(merged.runCells.count) cells have no results: \(merged.absentCells.joined(separator: "; "))."
                        )
                    }
                    for reference in started.scenarios {
                        reproductions["\(sources.count - 1)|\(reference.name)"] = Reproduction(
                            reference: reference,
                            version: started.conlabVersion,
                            arguments: started.arguments
                        )
                    }
                    for machine in [started.machine] + (started.merged?.shards.map(\.machine) ?? []) {
                        let line = machine.description
                        if !machines.contains(line) { machines.append(line) }
                    }
                case .referenceFrames(let kept):
                    frames[Self.key(sources.count - 1, kept.scenario)] = kept
                case .unitTimeline(let timeline):
                    let round = "\(timeline.scenario)|\(timeline.label)|\(timeline.repetition)"
                    timelines[Self.key(sources.count - 1, round)] = timeline
                case .result(let result):
                    results.append(
                        Result(
                            scenario: result.scenario,
                            strategy: result.strategy,
                            label: result.label,
                            correct: result.correct,
                            outcome: result.outcome.rawValue,
                            wall: result.wallSeconds,
                            ideal: result.idealSeconds,
                            run: result,
                            source: sources.count - 1,
                            machine: current?.machine(of: result)
                        )
                    )
                default:
                    continue
                }
            }
        }
        guard !results.isEmpty else { throw Failure(description: "\(logs.joined(separator: ", ")): no results") }
        // A scenario in several logs is several sections, each named with its log: one run's rounds are
        // not another's, least of all when the two are compared.
        var logsOf: [String: Set<Int>] = [:]
        for result in results { logsOf[Self.base(of: result.scenario), default: []].insert(result.source) }
        for index in results.indices where (logsOf[Self.base(of: results[index].scenario)]?.count ?? 0) > 1 {
            let name = results[index].scenario
            let log = (sources[results[index].source] as NSString).lastPathComponent
            let setting = name.range(of: " [").map { String(name[$0.lowerBound...]) } ?? ""
            results[index].scenario = "\(Self.base(of: name)) (\(log))\(setting)"
        }
        // A log whose results several machines measured (shards merged from a cluster): a section per machine,
        // so that no answer ranks a strategy timed on one machine against one timed on another.
        for source in sources.indices {
            let ofLog = results.indices.filter { results[$0].source == source }
            var seen: [MachineInfo] = []
            for index in ofLog {
                if let machine = results[index].machine, !seen.contains(machine) { seen.append(machine) }
            }
            guard seen.count > 1 else { continue }
            let hostnames = seen.compactMap(\.hostname)
            let byHost = Set(hostnames).count == seen.count
            notes.append(
                "\(sources[source]) holds results from \(seen.count) machines: each scenario has a section per machine, and timings are compared only within one."
            )
            for index in ofLog {
                guard let machine = results[index].machine else { continue }
                let name = results[index].scenario
                let on =
                    byHost ? machine.hostname! : "machine \(seen.firstIndex(of: machine)! + 1): \(machine.description)"
                let setting = name.range(of: " [").map { String(name[$0.lowerBound...]) } ?? ""
                results[index].scenario = "\(Self.base(of: name)) (on \(on))\(setting)"
            }
        }
        if let threshold {
            guard eventsOfLogs.count == 2 else {
                throw Failure(description: "--compare takes two logs, the base and the new run; given \(logs.count)")
            }
            comparison = ResultComparison(base: eventsOfLogs[0], new: eventsOfLogs[1], threshold: threshold)
        }
    }

    /// Scenario names in first-seen order; a sweep's settings (`name [k=v]`) under their scenario.
    var scenarios: [String] {
        var names: [String] = []
        for result in results where !names.contains(result.scenario) { names.append(result.scenario) }
        return names
    }

    /// The whole document.
    public var html: String {
        var body = "<h1>conlab report</h1>\n"
        if let comparison { body += comparisonSection(comparison) }
        body += "<p class=\"meta\">From \(sources.map(Self.escaped).joined(separator: ", ")). Measured on "
        body +=
            (machines.isEmpty ? "an unknown machine" : machines.map(Self.escaped).joined(separator: "; ")) + ".</p>\n"
        for note in notes { body += "<p class=\"meta\">\(Self.escaped(note))</p>\n" }
        // A sweep: the settings of one scenario over the same keys (two sweeps of one scenario, over other
        // keys, are two charts).
        var sweeps: [(base: String, keys: [String], settings: [String])] = []
        for name in scenarios {
            guard let bracket = name.range(of: " [") else { continue }
            let base = String(name[..<bracket.lowerBound])
            let keys = name[bracket.upperBound...].dropLast().split(separator: ", ").map {
                String($0.split(separator: "=", maxSplits: 1).first ?? "")
            }
            if let index = sweeps.firstIndex(where: { $0.base == base && $0.keys == keys }) {
                sweeps[index].settings.append(name)
            } else {
                sweeps.append((base, keys, [name]))
            }
        }
        let swept = Set(sweeps.flatMap(\.settings))
        for (section, name) in scenarios.filter({ !swept.contains($0) }).enumerated() {
            let ofScenario = results.filter { $0.scenario == name }
            body += "<section>\n<h2>\(Self.escaped(name))</h2>\n"
            let shown = Self.medianRounds(ofScenario)
            body += Self.answer(ofScenario.map(\.run)) + Self.wallChart(shown) + Self.latencyCurves(shown.map(\.run))
            let first = ofScenario[0]
            body += frames[Self.key(first.source, first.run.scenario)].map { Self.framePictures($0) } ?? ""
            body += Self.timelines(timelines(of: shown), id: "s\(section)")
            body += reproduction(of: first) + "</section>\n"
        }
        for (number, (base, keys, settings)) in sweeps.enumerated() {
            body +=
                "<section>\n<h2>Sweep of \(Self.escaped(base)) over \(Self.escaped(keys.joined(separator: " and ")))</h2>\n"
            body += sweepSection(settings: settings, base: base)
            // Each setting's own answer, folded away: the sweep is the answer here, not a section per setting.
            body += "<details><summary>Each setting's results</summary>\n"
            for (index, setting) in settings.enumerated() {
                body += "<h3>\(Self.escaped(setting))</h3>\n"
                let ofSetting = results.filter { $0.scenario == setting }
                body += Self.answer(ofSetting.map(\.run))
                body += Self.timelines(
                    timelines(of: Self.medianRounds(ofSetting)),
                    id: "w\(number)-\(index)"
                )
            }
            let first = results.first { $0.scenario == settings[0] }
            body += "</details>\n"
            if let first, let kept = frames[Self.key(first.source, first.run.scenario)] {
                body += Self.framePictures(kept, setting: String(settings[0].dropFirst(base.count + 2).dropLast()))
            }
            body += (first.map(reproduction(of:)) ?? "") + "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>conlab report</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body { font: 16px/1.4 system-ui, sans-serif; margin: 1em; color: #222; max-width: 60em; }
            svg.chart { max-width: 100%; height: auto; } code { word-break: break-all; }
            @media print { details { display: block; } a { color: inherit; } }
            .meta { color: #555; } svg { display: block; margin: 0.5em 0 1.5em; }
            .bar { fill: #4a7fb5; } .wrong { fill: #c0392b; } .ideal { stroke: #222; stroke-width: 2; }
            .axis { stroke: #222; } .grid { stroke: #ddd; } .best { fill: none; stroke-width: 2; }
            .line { fill: none; stroke-width: 2; } text { font-size: 12px; }
            table.answer { border-collapse: collapse; margin: 0.5em 0 1em; }
            table.answer th, table.answer td { padding: 0.2em 0.6em; text-align: right; border-bottom: 1px solid #ddd; }
            table.answer td { white-space: nowrap; } .answers { overflow-x: auto; }
            table.answer th:first-child, table.answer td:first-child { text-align: left; }
            table.answer tr.wrong td { color: #a00; font-weight: bold; }
            .whisker line { stroke: #222; } .whisker .floor { stroke: #888; stroke-dasharray: 2 2; } .whisker .median { fill: #222; }
            svg.whisker { display: inline-block; margin: 0 0 0 0.4em; vertical-align: middle; }
            .frames { display: flex; flex-wrap: wrap; gap: 0.8em; } figure.frame { margin: 0; }
            figure.frame svg { margin: 0 0 0.2em; max-width: 100%; height: auto; } figcaption { font-size: 14px; }
            .board { fill: #fff; stroke: #888; stroke-width: 0.08; } .live { fill: #222; stroke: none; }
            .compute { fill: #1f4e79; } .wait-ground { fill: #fbe9e7; } .hatch { stroke: #c0392b; stroke-width: 1.5; }
            @media print { .frames, svg { break-inside: avoid; } }
            @media print { body { max-width: none; margin: 0; } .answers { overflow: visible; } }
            @media print { table.answer { font-size: 12px; } table.answer th, table.answer td { padding: 0.2em 0.4em; } }
            </style></head>
            <body>
            \(body)</body></html>

            """
    }

    /// Wall time per strategy as bars, the ideal floor as a tick across each bar.
    static func wallChart(_ results: [Result]) -> String {
        let scale = max(results.map { max($0.wall, $0.ideal) }.max() ?? 1, 1e-9)
        let rowHeight = 22
        let height = rowHeight * results.count + 24
        var svg =
            #"<svg class="chart wall" role="img" xmlns="http://www.w3.org/2000/svg" width="820" height="\#(height)" viewBox="0 0 820 \#(height)">"#
        svg += "<title>Wall time against the ideal floor</title>"
        for (index, result) in results.enumerated() {
            let y = index * rowHeight + 4
            let width = 400 * result.wall / scale
            let verdict = result.correct ? "" : " (\(result.outcome), not correct)"
            svg += #"<text x="0" y="\#(y + 14)">\#(escaped(result.label))</text>"#
            svg +=
                #"<rect class="\#(result.correct ? "bar" : "wrong")" x="180" y="\#(y)" width="\#(format(width))" height="16"/>"#
            if result.ideal > 0 {
                let x = 180 + 400 * result.ideal / scale
                svg += #"<line class="ideal" x1="\#(format(x))" x2="\#(format(x))" y1="\#(y - 2)" y2="\#(y + 18)"/>"#
            }
            let ratio = result.ideal > 0 ? String(format: ", %.2f× ideal", result.wall / result.ideal) : ""
            svg +=
                #"<text x="\#(format(186 + width))" y="\#(y + 14)">\#(DurationFormat.human(result.wall))\#(ratio)\#(escaped(verdict))</text>"#
        }
        svg += #"<text x="180" y="\#(height - 4)">bars: wall time; ticks: the ideal floor</text>"#
        return svg + "</svg>\n"
    }

    /// Each strategy's median round, in the answer's order: the charts show each strategy once — with
    /// --repeat, a bar per round in the shuffled order they ran showed the log, not the answer.
    static func medianRounds(_ ofScenario: [Result]) -> [Result] {
        ScenarioAnswer(ofScenario.map(\.run)).rows.map(\.median).compactMap { median in
            ofScenario.first { $0.label == median.label && $0.run.repetition == median.repetition }
        }
    }

    /// The sampled timelines of `rounds`, where their logs have them (`--trace`).
    func timelines(of rounds: [Result]) -> [UnitTimeline] {
        rounds.compactMap { timelines[Self.key($0.source, "\($0.run.scenario)|\($0.label)|\($0.run.repetition)")] }
    }

    /// The key of a log's scenario (or of a round of it) in ``frames`` and ``timelines``.
    static func key(_ source: Int, _ name: String) -> String { "\(source)|\(name)" }

    /// A scenario's own name: without a sweep's setting (` [k=v]`).
    static func base(of name: String) -> String {
        name.range(of: " [").map { String(name[..<$0.lowerBound]) } ?? name
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
