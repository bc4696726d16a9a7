import ConlabCore
import ConlabLog
import Foundation

extension HTMLReport {
    /// Thread rows drawn at most; a round on more threads (a thread per unit) says how many were left out.
    static let timelineRows = 48

    /// How the time was spent, from the log's sample of each strategy's units (`unit_timeline`, written
    /// under `--trace`): one chart per strategy, threads down and time across, each unit's compute a solid
    /// slice on the thread that ran it, each wait a hatched slice — on the thread it blocked, or on a row of
    /// its own when the unit's task was suspended and held no thread — with the time axis in values and
    /// what was sampled said in words. `id` tells this section's hatch patterns from every other's.
    static func timelines(_ timelines: [UnitTimeline], id: String) -> String {
        guard !timelines.isEmpty else { return "" }
        var html = "<h3>How the time was spent</h3>\n"
        for (index, timeline) in timelines.enumerated() {
            html += timelineChart(timeline, id: "hatch-\(id)-\(index)")
        }
        return html
    }

    /// One strategy's timeline.
    private static func timelineChart(_ timeline: UnitTimeline, id: String) -> String {
        var sampled = "\(timeline.sampledUnits) of \(timeline.units) unit\(timeline.units == 1 ? "" : "s")"
        sampled += timeline.every > 1 ? " (every \(ordinal(timeline.every)) to finish)" : ""
        let title = "\(escaped(timeline.label)): \(sampled)"
        guard !timeline.slices.isEmpty else {
            return
                "<p class=\"meta\">\(title): no unit's time reached the log (its units ran in other processes).</p>\n"
        }
        let (rowOf, threadRows, threads) = rows(of: timeline.slices)
        let drawn = min(threadRows, timelineRows)
        let suspended = timeline.slices.contains { $0.thread == nil }
        let rows = drawn + (suspended ? 1 : 0)
        let rowHeight = rows <= 16 ? 16.0 : 7.0
        let (left, right, top) = (110.0, 770.0, 8.0)
        let bottom = top + rowHeight * Double(rows)
        let (step, ticks) = timeAxis(Double(timeline.slices.map(\.end).max() ?? 1) / 1e6)
        let span = step * Double(ticks)
        func x(_ microseconds: Int64) -> Double { left + (right - left) * Double(microseconds) / 1e6 / span }
        let height = bottom + 56
        var svg =
            #"<svg class="chart timeline" role="img" xmlns="http://www.w3.org/2000/svg" width="820" height="\#(format(height))" viewBox="0 0 820 \#(format(height))">"#
        svg += "<title>\(title): threads down, time across</title>"
        svg +=
            #"<defs><pattern id="\#(id)" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">"#
        svg +=
            #"<rect class="wait-ground" width="4" height="4"/><line class="hatch" x1="0" y1="0" x2="0" y2="4"/></pattern></defs>"#
        func y(_ row: Int) -> Double { top + rowHeight * Double(row) }
        // Row labels: each row when there is room, else the first and the last.
        let shared = threadRows < threads
        for row in 0..<rows where rowHeight >= 16 || row == 0 || row == rows - 1 {
            let name = row < drawn ? "\(shared ? "row" : "thread") \(row + 1)" : "no thread"
            svg +=
                #"<text x="\#(format(left - 6))" y="\#(format(y(row) + min(rowHeight, 16) - 4))" text-anchor="end">\#(name)</text>"#
        }
        for slice in timeline.slices {
            let row = slice.thread.map { rowOf[$0] ?? rows } ?? drawn
            guard row < drawn || (row == drawn && suspended && slice.thread == nil) else { continue }
            let from = x(slice.start)
            let width = max(x(slice.end) - from, 0.6)
            let fill = slice.kind == .wait ? #" class="wait" fill="url(#\#(id))""# : #" class="compute""#
            svg +=
                #"<rect\#(fill) x="\#(format(from))" y="\#(format(y(row) + 1))" width="\#(String(format: "%.2f", width))" height="\#(format(rowHeight - 2))"/>"#
        }
        // The time axis, from the round's start, in values.
        svg +=
            #"<line class="axis" x1="\#(format(left))" x2="\#(format(right))" y1="\#(format(bottom))" y2="\#(format(bottom))"/>"#
        for tick in 0...ticks {
            let at = left + (right - left) * Double(tick) / Double(ticks)
            svg +=
                #"<line class="axis" x1="\#(format(at))" x2="\#(format(at))" y1="\#(format(bottom))" y2="\#(format(bottom + 4))"/>"#
            svg +=
                #"<text x="\#(format(at))" y="\#(format(bottom + 18))" text-anchor="middle">\#(tickLabel(step * Double(tick)))</text>"#
        }
        // The key, in words as well as in shapes.
        let legend = bottom + 40
        svg += #"<rect class="compute" x="\#(format(left))" y="\#(format(legend - 10))" width="14" height="12"/>"#
        svg += #"<text x="\#(format(left + 20))" y="\#(format(legend))">compute</text>"#
        svg +=
            #"<rect class="wait" fill="url(#\#(id))" x="\#(format(left + 100))" y="\#(format(legend - 10))" width="14" height="12"/>"#
        let steps = Set(timeline.slices.compactMap(\.step)).sorted().joined(separator: ", ")
        var key = "wait" + (steps.isEmpty ? "" : " (\(steps))")
        key += suspended ? "; no thread: a suspended task's waits" : ""
        svg += #"<text x="\#(format(left + 120))" y="\#(format(legend))">\#(escaped(key))</text>"#
        svg += "</svg>\n"
        var note = "<p class=\"meta\">\(title), \(threads) thread\(threads == 1 ? "" : "s")"
        if shared {
            note +=
                " on \(threadRows) row\(threadRows == 1 ? "" : "s"): threads that did not overlap in time share a row"
        }
        if drawn < threadRows { note += "; the first \(drawn) rows drawn" }
        note += "; time from the round's start.</p>\n"
        return note + svg
    }

    /// The row of each thread: threads in the order they started, each on the first row free by then, so
    /// that a thread per unit, phase after phase, takes as many rows as ran at once rather than one each.
    /// Also the rows taken and the threads.
    static func rows(of slices: [UnitTimeline.Slice]) -> (rowOf: [Int32: Int], rows: Int, threads: Int) {
        var lifetimes: [Int32: (start: Int64, end: Int64)] = [:]
        for slice in slices {
            guard let thread = slice.thread else { continue }
            let known = lifetimes[thread] ?? (slice.start, slice.end)
            lifetimes[thread] = (min(known.start, slice.start), max(known.end, slice.end))
        }
        var rowEnds: [Int64] = []
        var rowOf: [Int32: Int] = [:]
        for (thread, life) in lifetimes.sorted(by: { ($0.value.start, $0.key) < ($1.value.start, $1.key) }) {
            if let free = rowEnds.firstIndex(where: { $0 < life.start }) {
                rowEnds[free] = life.end
                rowOf[thread] = free
            } else {
                rowOf[thread] = rowEnds.count
                rowEnds.append(life.end)
            }
        }
        return (rowOf, rowEnds.count, lifetimes.count)
    }

    /// `2nd`, `3rd`, `11th`, `5000th`.
    static func ordinal(_ number: Int) -> String {
        let suffix =
            (11...13).contains(number % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][number % 10] ?? "th"
        return "\(number)\(suffix)"
    }

    /// A time axis for `seconds`: a round step (1, 2, 2.5 or 5 times a power of ten) and at most 5 ticks
    /// after 0 that reach it.
    static func timeAxis(_ seconds: Double) -> (step: Double, ticks: Int) {
        let step = niceCeiling(max(seconds, 1e-6) / 5)
        return (step, max(1, Int((seconds / step).rounded(.up))))
    }

    /// A tick's time, as short as it is exact: `0`, `250 µs`, `12.5 ms`, `1.5 s`.
    static func tickLabel(_ seconds: Double) -> String {
        guard seconds > 0 else { return "0" }
        func trimmed(_ value: Double) -> String { String(format: "%g", (value * 1000).rounded() / 1000) }
        if seconds >= 1 { return trimmed(seconds) + " s" }
        if seconds >= 1e-3 { return trimmed(seconds * 1e3) + " ms" }
        return trimmed(seconds * 1e6) + " µs"
    }
}
