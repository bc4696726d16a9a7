import ConlabCore
import ConlabLog
import Foundation

extension HTMLReport {
    /// The percentiles a latency curve is drawn through, where HdrHistogram's plots put them: across, the
    /// number of nines (`log10(1 / (1 - p))`), so that the tail gets the room it matters for.
    private static let percentiles: [(name: String, nines: Double)] = [
        ("p50", 0.301), ("p90", 1), ("p99", 2), ("max", 3),
    ]
    /// Marker shapes, so that no curve is told from another by its colour alone.
    static let markers = ["circle", "square", "triangle", "diamond"]
    static let colours = ["#1f4e79", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#2c3e50", "#7f8c8d"]

    /// Unit latency as one percentile curve per strategy, on log scales both ways (HDR style): each
    /// unit from its first step to its output, at p50, p90, p99 and the maximum, the curve labelled at its
    /// end and marked with its own shape.
    static func latencyCurves(_ results: [RunResult]) -> String {
        let measured = results.compactMap { result in result.unitLatency.map { (result.label, $0) } }
        guard !measured.isEmpty else { return "" }
        let values = measured.flatMap { [$0.1.p50Seconds, $0.1.p90Seconds, $0.1.p99Seconds, $0.1.maxSeconds] }
        let low = pow(10, floor(log10(max(values.filter { $0 > 0 }.min() ?? 1e-6, 1e-9))))
        let high = pow(10, ceil(log10(max(values.max() ?? 1, low * 10))))
        let (left, right, top, bottom) = (70.0, 640.0, 10.0, 230.0)
        func x(_ nines: Double) -> Double { left + (right - left) * nines / 3 }
        func y(_ seconds: Double) -> Double {
            bottom - (bottom - top) * log10(max(seconds, low) / low) / log10(high / low)
        }
        var svg =
            #"<svg class="chart latency" role="img" xmlns="http://www.w3.org/2000/svg" width="820" height="270" viewBox="0 0 820 270">"#
        svg += "<title>Unit latency percentiles, a curve per strategy</title>"
        svg +=
            #"<line class="axis" x1="\#(format(left))" x2="\#(format(right))" y1="\#(format(bottom))" y2="\#(format(bottom))"/>"#
        svg +=
            #"<line class="axis" x1="\#(format(left))" x2="\#(format(left))" y1="\#(format(top))" y2="\#(format(bottom))"/>"#
        for (name, nines) in percentiles {
            svg += #"<text x="\#(format(x(nines)))" y="\#(format(bottom + 16))" text-anchor="middle">\#(name)</text>"#
        }
        var decade = low
        while decade <= high * 1.0001 {
            svg +=
                #"<text x="\#(format(left - 6))" y="\#(format(y(decade) + 4))" text-anchor="end">\#(DurationFormat.human(decade))</text>"#
            svg +=
                #"<line class="grid" x1="\#(format(left))" x2="\#(format(right))" y1="\#(format(y(decade)))" y2="\#(format(y(decade)))"/>"#
            decade *= 10
        }
        for (number, (label, latency)) in measured.enumerated() {
            let colour = colours[number % colours.count]
            let points = zip(
                percentiles,
                [latency.p50Seconds, latency.p90Seconds, latency.p99Seconds, latency.maxSeconds]
            )
            .map { (x($0.nines), y($1)) }
            svg +=
                #"<polyline class="line" stroke="\#(colour)" points="\#(points.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " "))"/>"#
            for point in points { svg += marker(markers[number % markers.count], at: point, colour: colour) }
            let end = points[points.count - 1]
            svg +=
                #"<text x="\#(format(end.0 + 8))" y="\#(format(end.1 + 4))" fill="\#(colour)">\#(escaped(label))</text>"#
        }
        svg +=
            #"<text x="\#(format(left))" y="265">each unit from its first step to its output; across: percentile (log of the tail)</text>"#
        return svg + "</svg>\n"
    }

    /// A marker of `shape` centred on `point`.
    static func marker(_ shape: String, at point: (Double, Double), colour: String) -> String {
        let (cx, cy) = point
        switch shape {
        case "square":
            return #"<rect x="\#(format(cx - 3.5))" y="\#(format(cy - 3.5))" width="7" height="7" fill="\#(colour)"/>"#
        case "triangle":
            return
                #"<polygon points="\#(format(cx)),\#(format(cy - 4.5)) \#(format(cx - 4)),\#(format(cy + 3)) \#(format(cx + 4)),\#(format(cy + 3))" fill="\#(colour)"/>"#
        case "diamond":
            return
                #"<polygon points="\#(format(cx)),\#(format(cy - 4.5)) \#(format(cx + 4.5)),\#(format(cy)) \#(format(cx)),\#(format(cy + 4.5)) \#(format(cx - 4.5)),\#(format(cy))" fill="\#(colour)"/>"#
        default:
            return #"<circle cx="\#(format(cx))" cy="\#(format(cy))" r="3.5" fill="\#(colour)"/>"#
        }
    }
}
