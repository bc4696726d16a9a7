import ConlabCore
import ConlabLog
import Foundation

/// `conlab report`: one self-contained HTML file from run logs — no script, no stylesheet or font from
/// the network — with the charts drawn as inline SVG: per scenario, the answer first (which strategy was
/// fastest and correct, by how much, one row per strategy: ``ScenarioAnswer``), then each strategy's wall
/// time against its ideal floor, its unit latency as a percentile curve, and for a `--sweep`, the time at each setting.
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
    }

    /// A log the report could not read.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the file.
        public var description: String
    }

    var results: [Result] = []
    var machines: [String] = []
    var sources: [String] = []

    /// Reads the `result` and `run_started` events of each log.
    public init(logs: [String]) throws(Failure) {
        for path in logs {
            let events: [LogEvent]
            do throws(LogReadError) {
                events = try LogReader.events(atPath: path)
            } catch {
                throw Failure(description: error.description)
            }
            sources.append(path)
            for event in events {
                switch event {
                case .runStarted(let started):
                    let machine = started.machine
                    let line =
                        "\(machine.cores) cores, \(machine.memoryBytes >> 30) GiB, \(machine.os), Swift \(machine.swiftVersion)"
                    if !machines.contains(line) { machines.append(line) }
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
                            run: result
                        )
                    )
                default:
                    continue
                }
            }
        }
        guard !results.isEmpty else { throw Failure(description: "\(logs.joined(separator: ", ")): no results") }
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
        body += "<p class=\"meta\">From \(sources.map(Self.escaped).joined(separator: ", ")). Measured on "
        body +=
            (machines.isEmpty ? "an unknown machine" : machines.map(Self.escaped).joined(separator: "; ")) + ".</p>\n"
        var sweeps: [String: [String]] = [:]
        for name in scenarios {
            if let bracket = name.range(of: " [") {
                sweeps[String(name[..<bracket.lowerBound]), default: []].append(name)
            }
        }
        for name in scenarios {
            let ofScenario = results.filter { $0.scenario == name }
            body += "<section>\n<h2>\(Self.escaped(name))</h2>\n"
            // The charts show each strategy once, its median round, in the answer's order: with --repeat,
            // a bar per round in the shuffled order they ran showed the log, not the answer.
            let medians = ScenarioAnswer(ofScenario.map(\.run)).rows.map(\.median)
            let shown = medians.compactMap { median in
                ofScenario.first { $0.label == median.label && $0.run.repetition == median.repetition }
            }
            body += Self.answer(ofScenario.map(\.run)) + Self.wallChart(shown) + Self.latencyCurves(shown.map(\.run))
            body += "</section>\n"
        }
        for (base, settings) in sweeps.sorted(by: { $0.key < $1.key }) {
            body += "<section>\n<h2>Sweep of \(Self.escaped(base))</h2>\n"
            body += sweepChart(settings: settings, base: base) + "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>conlab report</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; max-width: 60em; }
            .meta { color: #555; } svg { display: block; margin: 0.5em 0 1.5em; }
            .bar { fill: #4a7fb5; } .wrong { fill: #c0392b; } .ideal { stroke: #222; stroke-width: 2; }
            .axis { stroke: #222; } .grid { stroke: #ddd; }
            .line { fill: none; stroke-width: 2; } text { font-size: 12px; }
            table.answer { border-collapse: collapse; margin: 0.5em 0 1em; }
            table.answer th, table.answer td { padding: 0.2em 0.6em; text-align: right; border-bottom: 1px solid #ddd; }
            table.answer td { white-space: nowrap; } .answers { overflow-x: auto; }
            table.answer th:first-child, table.answer td:first-child { text-align: left; }
            table.answer tr.wrong td { color: #a00; font-weight: bold; }
            .whisker line { stroke: #222; } .whisker .floor { stroke: #888; stroke-dasharray: 2 2; } .whisker .median { fill: #222; }
            svg.whisker { display: inline-block; margin: 0 0 0 0.4em; vertical-align: middle; }
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
            #"<svg class="chart wall" role="img" xmlns="http://www.w3.org/2000/svg" width="820" height="\#(height)">"#
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

    /// Wall time at each setting of a sweep, a line per strategy — by name, so a sweep of a strategy's own
    /// option (a pool's max_workers) is one line.
    func sweepChart(settings: [String], base: String) -> String {
        let swept = results.filter { settings.contains($0.scenario) }
        let byName = settings.allSatisfy { setting in
            let here = swept.filter { $0.scenario == setting }
            return Set(here.map(\.strategy)).count == Set(here.map(\.label)).count
        }
        func key(_ result: Result) -> String { byName ? result.strategy : result.label }
        let labels = swept.map(key).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let walls = results.filter { settings.contains($0.scenario) && $0.correct }.map(\.wall)
        let scale = max(walls.max() ?? 1, 1e-9)
        let step = settings.count > 1 ? 560.0 / Double(settings.count - 1) : 0
        let colours = ["#4a7fb5", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#2c3e50"]
        var svg = #"<svg class="chart sweep" role="img" xmlns="http://www.w3.org/2000/svg" width="820" height="300">"#
        svg += "<title>Wall time at each setting</title>"
        for (index, setting) in settings.enumerated() {
            // One swept key: its value alone; a grid: every key=value.
            let assignments = setting.dropFirst(base.count + 2).dropLast().split(separator: ", ")
            let name =
                assignments.count == 1
                ? String(assignments[0].split(separator: "=").last ?? "") : assignments.joined(separator: ", ")
            svg +=
                #"<text x="\#(Self.format(80 + step * Double(index)))" y="290" text-anchor="middle">\#(Self.escaped(String(name)))</text>"#
        }
        for (number, label) in labels.enumerated() {
            var points: [String] = []
            for (index, setting) in settings.enumerated() {
                guard let result = swept.first(where: { $0.scenario == setting && key($0) == label }), result.correct
                else { continue }
                points.append(
                    "\(Self.format(80 + step * Double(index))),\(Self.format(260 - 240 * result.wall / scale))"
                )
            }
            let colour = colours[number % colours.count]
            svg += #"<polyline class="line" stroke="\#(colour)" points="\#(points.joined(separator: " "))"/>"#
            for point in points {
                let xy = point.split(separator: ",")
                svg += #"<circle cx="\#(xy[0])" cy="\#(xy[1])" r="3" fill="\#(colour)"/>"#
            }
            svg += #"<text x="0" y="\#(14 + number * 14)" fill="\#(colour)">\#(Self.escaped(label))</text>"#
        }
        let keys =
            settings.first.map {
                String($0.dropFirst(base.count + 2).dropLast()).split(separator: "=").first.map(String.init) ?? ""
            } ?? ""
        svg +=
            #"<text x="800" y="20" text-anchor="end">wall time, highest \#(DurationFormat.human(scale)); across: \#(Self.escaped(keys))</text>"#
        return svg + "</svg>\n"
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
