import ConlabCore
import ConlabLog
import Foundation

extension HTMLReport {
    /// A strategy's sweep: its median wall at each setting (`nil`: absent, or a round was wrong), and what
    /// the summary's sweep table derives from them.
    struct SweepLine {
        var name: String
        var walls: [Double?]
        var wrong: [Bool]
        var best: Int?
        var knee: Int?
    }

    /// A sweep of `base` over `settings` (`name [k=v, ...]` each): with one swept key, its median wall
    /// time at each setting as a line per strategy, on axes with their values, the best setting and the
    /// knee marked, and a table beside it with speed-up and efficiency, as the terminal's sweep summary
    /// decides them; with two keys, a heat map per strategy.
    func sweepSection(settings: [String], base: String) -> String {
        let assignments = settings.map { setting in
            setting.dropFirst(base.count + 2).dropLast().split(separator: ", ").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (key: parts.first ?? "", value: parts.count > 1 ? parts[1] : "")
            }
        }
        let swept = results.filter { settings.contains($0.scenario) }
        // By name, so that a sweep of a strategy's own option (a pool's max_workers) is one line.
        let byName = settings.allSatisfy { setting in
            let here = swept.filter { $0.scenario == setting }
            return Set(here.map(\.strategy)).count == Set(here.map(\.label)).count
        }
        func key(_ result: Result) -> String { byName ? result.strategy : result.label }
        let names = swept.map(key).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let numbers = assignments.map { $0.count == 1 ? Double($0[0].value) : nil }
        let values: [Double]? =
            numbers.allSatisfy { $0 != nil } && zip(numbers, numbers.dropFirst()).allSatisfy { $0! < $1! }
            ? numbers.map { $0! } : nil
        let lines = names.map { name in
            var walls: [Double?] = []
            var wrong: [Bool] = []
            for setting in settings {
                let rounds = swept.filter { $0.scenario == setting && key($0) == name }.map(\.run)
                let correct = !rounds.isEmpty && rounds.allSatisfy(\.correct)
                wrong.append(!rounds.isEmpty && !correct)
                walls.append(correct ? SummaryTable.Group(results: rounds).median.wallSeconds : nil)
            }
            let (knee, best) = SweepTable.analyse(values: values, walls: walls)
            return SweepLine(name: name, walls: walls, wrong: wrong, best: best, knee: knee)
        }
        let keys = assignments.first?.map(\.key) ?? []
        var html = ""
        if keys.count == 2 {
            for line in lines { html += Self.heatMap(line, assignments: assignments, keys: keys) }
        } else {
            html += Self.sweepChart(
                lines,
                labels: assignments.map { $0.map(\.value).joined(separator: ", ") },
                keys: keys
            )
        }
        return html + Self.sweepTable(lines, settings: assignments, values: values)
    }

    /// The lines on axes: across, the settings in order; up, median wall time from zero.
    static func sweepChart(_ lines: [SweepLine], labels: [String], keys: [String]) -> String {
        let highest = lines.flatMap { $0.walls.compactMap { $0 } }.max() ?? 1
        let top = niceCeiling(highest)
        let (left, right, upper, lower) = (90.0, 620.0, 20.0, 250.0)
        let step = labels.count > 1 ? (right - left) / Double(labels.count - 1) : 0
        func x(_ index: Int) -> Double { labels.count > 1 ? left + step * Double(index) : (left + right) / 2 }
        func y(_ seconds: Double) -> Double { lower - (lower - upper) * seconds / top }
        var svg =
            #"<svg class="chart sweep" role="img" xmlns="http://www.w3.org/2000/svg" width="820" height="300" viewBox="0 0 820 300">"#
        svg += "<title>Median wall time at each setting</title>"
        svg +=
            #"<line class="axis" x1="\#(format(left))" x2="\#(format(right))" y1="\#(format(lower))" y2="\#(format(lower))"/>"#
        svg +=
            #"<line class="axis" x1="\#(format(left))" x2="\#(format(left))" y1="\#(format(upper))" y2="\#(format(lower))"/>"#
        for tick in 0...4 {
            let seconds = top * Double(tick) / 4
            svg +=
                #"<text x="\#(format(left - 6))" y="\#(format(y(seconds) + 4))" text-anchor="end">\#(tick == 0 ? "0" : DurationFormat.human(seconds))</text>"#
            if tick > 0 {
                svg +=
                    #"<line class="grid" x1="\#(format(left))" x2="\#(format(right))" y1="\#(format(y(seconds)))" y2="\#(format(y(seconds)))"/>"#
            }
        }
        for (index, label) in labels.enumerated() {
            svg +=
                #"<text x="\#(format(x(index)))" y="\#(format(lower + 16))" text-anchor="middle">\#(escaped(label))</text>"#
        }
        svg +=
            #"<text x="\#(format((left + right) / 2))" y="\#(format(lower + 36))" text-anchor="middle">\#(escaped(keys.joined(separator: ", ")))</text>"#
        svg += #"<text x="\#(format(left))" y="12">median wall time</text>"#
        for (number, line) in lines.enumerated() {
            let colour = colours[number % colours.count]
            let points = line.walls.enumerated().compactMap { index, wall in wall.map { (index, x(index), y($0)) } }
            svg +=
                #"<polyline class="line" stroke="\#(colour)" points="\#(points.map { "\(format($0.1)),\(format($0.2))" }.joined(separator: " "))"/>"#
            for point in points {
                svg += marker(markers[number % markers.count], at: (point.1, point.2), colour: colour)
                if point.0 == line.best {
                    svg +=
                        #"<circle class="best" cx="\#(format(point.1))" cy="\#(format(point.2))" r="8" stroke="\#(colour)"/>"#
                    svg +=
                        #"<text x="\#(format(point.1))" y="\#(format(point.2 - 12))" text-anchor="middle" fill="\#(colour)">best</text>"#
                }
                if point.0 == line.knee {
                    svg +=
                        #"<text x="\#(format(point.1))" y="\#(format(point.2 + 20))" text-anchor="middle" fill="\#(colour)">knee</text>"#
                }
            }
            if let last = points.last {
                svg +=
                    #"<text x="\#(format(last.1 + 12))" y="\#(format(last.2 + 4))" fill="\#(colour)">\#(escaped(line.name))</text>"#
            }
        }
        return svg + "</svg>\n"
    }

    /// Two swept keys: a grid per strategy, the first key down, the second across, each cell its median
    /// wall time in words on a shade that darkens with it; the best cell outlined and named.
    static func heatMap(_ line: SweepLine, assignments: [[(key: String, value: String)]], keys: [String]) -> String {
        let rows = assignments.map { $0[0].value }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let columns = assignments.map { $0[1].value }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let walls = line.walls.compactMap { $0 }
        let (low, high) = (walls.min() ?? 0, walls.max() ?? 1)
        let (cell, left, upper) = (90.0, 110.0, 40.0)
        // Wide enough for its heading too.
        let width = max(
            Int(left + cell * Double(columns.count) + 20),
            60 + 7 * (line.name.count + keys.joined().count + 20)
        )
        let height = Int(upper + 30 * Double(rows.count) + 20)
        var svg =
            #"<svg class="chart heat" role="img" xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)">"#
        svg += "<title>\(escaped(line.name)): median wall time by \(escaped(keys.joined(separator: " and ")))</title>"
        svg +=
            #"<text x="0" y="14">\#(escaped(line.name)): \#(escaped(keys[0])) down, \#(escaped(keys[1])) across</text>"#
        for (column, value) in columns.enumerated() {
            svg +=
                #"<text x="\#(format(left + cell * (Double(column) + 0.5)))" y="\#(format(upper - 6))" text-anchor="middle">\#(escaped(value))</text>"#
        }
        for (row, value) in rows.enumerated() {
            svg +=
                #"<text x="\#(format(left - 6))" y="\#(format(upper + 30 * Double(row) + 19))" text-anchor="end">\#(escaped(value))</text>"#
        }
        for (index, setting) in assignments.enumerated() {
            guard let row = rows.firstIndex(of: setting[0].value), let column = columns.firstIndex(of: setting[1].value)
            else { continue }
            let (x, y) = (left + cell * Double(column), upper + 30 * Double(row))
            let text: String
            let shade: Double
            if let wall = line.walls[index] {
                text = DurationFormat.human(wall) + (index == line.best ? " best" : "")
                shade = high > low ? (wall - low) / (high - low) : 0
            } else {
                text = line.wrong[index] ? "wrong" : "not run"
                shade = 0
            }
            let lightness = Int(95 - 45 * shade)
            let outline = index == line.best ? " stroke=\"#222\" stroke-width=\"2\"" : ""
            let ink = shade > 0.6 ? " fill=\"#fff\"" : ""
            svg +=
                #"<rect x="\#(format(x))" y="\#(format(y))" width="\#(format(cell - 2))" height="28" fill="hsl(210,45%,\#(lightness)%)"\#(outline)/>"#
            svg +=
                #"<text x="\#(format(x + cell / 2 - 1))" y="\#(format(y + 18))" text-anchor="middle"\#(ink)>\#(escaped(text))</text>"#
        }
        return svg + "</svg>\n"
    }

    /// Per strategy, each setting's median wall, speed-up over the first setting, efficiency (one numeric
    /// key only) and marks.
    static func sweepTable(
        _ lines: [SweepLine],
        settings: [[(key: String, value: String)]],
        values: [Double]?
    ) -> String {
        var html = "<div class=\"answers\"><table class=\"answer sweep\"><thead><tr><th>strategy</th><th>setting</th>"
        html += "<th>median wall</th><th>speed-up over the first</th><th>efficiency</th><th></th></tr></thead><tbody>\n"
        for line in lines {
            for (index, setting) in settings.enumerated() {
                let name = setting.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                html += "<tr><td>\(index == 0 ? escaped(line.name) : "")</td><td>\(escaped(name))</td>"
                guard let wall = line.walls[index] else {
                    html += "<td>\(line.wrong[index] ? "wrong" : "not run")</td><td>—</td><td>—</td><td></td></tr>\n"
                    continue
                }
                let speedup = line.walls[0].map { $0 / wall }
                let efficiency = speedup.flatMap { speedup in values.map { speedup / ($0[index] / $0[0]) } }
                var marks: [String] = []
                if index == line.best { marks.append("best") }
                if index == line.knee { marks.append("knee") }
                html += "<td>\(DurationFormat.human(wall))</td>"
                html += "<td>" + (speedup.map { DurationFormat.fixed($0, 2) + "×" } ?? "—") + "</td>"
                html += "<td>" + (efficiency.map { DurationFormat.fixed($0, 2) } ?? "—") + "</td>"
                html += "<td>\(marks.joined(separator: ", "))</td></tr>\n"
            }
        }
        return html + "</tbody></table></div>\n"
    }

    /// The smallest of 1, 2, 2.5 or 5 times a power of ten at or above `value`: the chart's top.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        return [1, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= value } ?? 10 * power
    }
}
