import ConlabCore
import ConlabLog
import Foundation

extension HTMLReport {
    /// The answer first: a sentence naming the fastest correct strategy and what it gained, then a table
    /// of one row per strategy, fastest correct first, each with its median, a whisker over its rounds
    /// against the ideal floor, its speed-up over serial, whether it was correct, its peak memory and
    /// threads. A row that is not correct says so in words, in bold, and is never called fastest.
    static func answer(_ results: [RunResult]) -> String {
        let answer = ScenarioAnswer(results)
        var html = "<p class=\"answer\">" + sentence(answer) + "</p>\n"
        let scale = max(
            answer.rows.map(\.high).max() ?? 0,
            answer.rows.map(\.median.idealSeconds).max() ?? 0,
            1e-9
        )
        html +=
            "<div class=\"answers\"><table class=\"answer\"><thead><tr><th>strategy</th><th>median wall</th><th>rounds: range, floor</th>"
        html += "<th>ideal floor</th><th>speed-up over serial</th><th>correct</th><th>peak memory</th>"
        html += "<th>peak threads</th></tr></thead><tbody>\n"
        for row in answer.rows {
            let refused = row.verdict == "refused"
            html += row.counts ? "<tr>" : "<tr class=\"wrong\">"
            html += "<td>\(escaped(row.label))</td>"
            html += "<td>" + (refused ? "—" : DurationFormat.human(row.median.wallSeconds)) + "</td>"
            html += "<td>" + (refused ? "" : whisker(row, scale: scale)) + " \(row.rounds)</td>"
            html +=
                "<td>" + (row.median.idealSeconds > 0 ? DurationFormat.human(row.median.idealSeconds) : "—") + "</td>"
            html += "<td>" + speedup(row) + "</td><td>\(escaped(row.verdict))</td>"
            html +=
                "<td>" + (refused ? "—" : String(format: "%.0f MiB", Double(row.peakRSSBytes) / 1_048_576)) + "</td>"
            html += "<td>" + (refused ? "—" : "\(row.peakThreads)") + "</td></tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    /// "Fastest correct: async, 1.24 s (median of 3 rounds), 9.8× serial, 1.03× its ideal floor. Every
    /// result was correct."
    static func sentence(_ answer: ScenarioAnswer) -> String {
        guard let winner = answer.winner else { return "No strategy gave a correct result." }
        var text = "Fastest correct: <strong>\(escaped(winner.label))</strong>, "
        text += DurationFormat.human(winner.median.wallSeconds)
        text += winner.rounds > 1 ? " (median of \(winner.rounds) rounds)" : ""
        switch winner.speedup {
        case .times(let times)?: text += ", " + DurationFormat.fixed(times, 2) + "× serial"
        case .noClearDifference?: text += ", no clear difference from serial"
        case nil: break
        }
        if winner.median.idealSeconds > 0 {
            text += ", " + DurationFormat.fixed(winner.median.wallSeconds / winner.median.idealSeconds, 2)
            text += "× its ideal floor"
        }
        text += "."
        let wrong = answer.rows.filter { !$0.counts }
        if wrong.isEmpty {
            text += " Every result was correct."
        } else {
            let named = wrong.map { "\(escaped($0.label)) (\(escaped($0.verdict)))" }.joined(separator: ", ")
            text += " Not counted: \(named)."
        }
        return text
    }

    /// The speed-up cell.
    private static func speedup(_ row: ScenarioAnswer.Row) -> String {
        switch row.speedup {
        case .times(let times)?: DurationFormat.fixed(times, 2) + "×"
        case .noClearDifference?: "no clear difference"
        case nil: row.strategy == "serial" && row.counts ? "1.00×" : "—"
        }
    }

    /// A small inline chart of the rounds: a line from the fastest to the slowest, a dot at the median, a
    /// dashed tick at the ideal floor; all on one scale across the table.
    private static func whisker(_ row: ScenarioAnswer.Row, scale: Double) -> String {
        func x(_ seconds: Double) -> String { format(4 + 112 * seconds / scale) }
        var svg = #"<svg class="whisker" role="img" xmlns="http://www.w3.org/2000/svg" width="120" height="12">"#
        svg += "<title>rounds from \(DurationFormat.human(row.low)) to \(DurationFormat.human(row.high)); "
        svg += "median \(DurationFormat.human(row.median.wallSeconds))</title>"
        svg += #"<line x1="\#(x(row.low))" x2="\#(x(row.high))" y1="6" y2="6"/>"#
        if row.median.idealSeconds > 0 {
            svg +=
                #"<line class="floor" x1="\#(x(row.median.idealSeconds))" x2="\#(x(row.median.idealSeconds))" y1="0" y2="12"/>"#
        }
        svg += #"<circle class="median" cx="\#(x(row.median.wallSeconds))" cy="6" r="3"/>"#
        return svg + "</svg>"
    }
}
