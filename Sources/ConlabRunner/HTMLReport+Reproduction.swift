import ConlabCore
import ConlabLog
import Foundation

extension HTMLReport {
    /// How to run `result`'s scenario again as it ran: its file and the file's SHA-256 (the runs are only
    /// comparable on the same file), its seed, conlab's version, and the command its log was written by.
    func reproduction(of result: Result) -> String {
        guard let reproduction = reproductions["\(result.source)|\(Self.base(of: result.run.scenario))"] else {
            return ""
        }
        let reference = reproduction.reference
        let command = (["conlab"] + reproduction.arguments.dropFirst()).map(Self.shellQuoted).joined(separator: " ")
        var html = "<p class=\"meta\">Scenario <code>\(Self.escaped(reference.file))</code>, SHA-256 "
        html += "<code>\(Self.escaped(String(reference.sha256.prefix(16))))…</code>, seed \(reference.seed), "
        html += "conlab \(Self.escaped(reproduction.version)). Run by <code>\(Self.escaped(command))</code>"
        html += " (add <code>--seed \(reference.seed)</code> if the run chose its seed).</p>\n"
        return html
    }

    /// The second log against the first, as `conlab compare` judges them: every figure that changed beyond
    /// the threshold, regressions first, and the results found in only one of them.
    func comparisonSection(_ comparison: ResultComparison) -> String {
        var html = "<section>\n<h2>Compared: \(Self.escaped(sources[0])) → \(Self.escaped(sources[1]))</h2>\n"
        let changed = comparison.changes.filter { $0.verdict != .same }
            .sorted { ($0.verdict == .regression ? 0 : 1) < ($1.verdict == .regression ? 0 : 1) }
        let regressions = changed.filter { $0.verdict == .regression }.count
        html += "<p class=\"answer\">"
        html +=
            regressions > 0
            ? "<strong>\(regressions) regression\(regressions == 1 ? "" : "s")</strong>"
            : "No regression"
        html += ", \(changed.count - regressions) improvement\(changed.count - regressions == 1 ? "" : "s"), "
        html += "\(comparison.changes.count - changed.count) figures with no clear difference.</p>\n"
        if !changed.isEmpty {
            html += "<div class=\"answers\"><table class=\"answer compare\"><thead><tr><th>scenario</th>"
            html += "<th>strategy</th><th>figure</th><th>base</th><th>new</th><th>change</th><th>verdict</th>"
            html += "</tr></thead><tbody>\n"
            for change in changed {
                html += change.verdict == .regression ? "<tr class=\"wrong\">" : "<tr>"
                html += "<td>\(Self.escaped(change.scenario))</td><td>\(Self.escaped(change.label))</td>"
                html += "<td>\(Self.escaped(change.metric))</td><td>\(Self.figure(change.base, change.metric))</td>"
                html += "<td>\(Self.figure(change.new, change.metric))</td>"
                html += "<td>" + (change.relative.isFinite ? String(format: "%+.1f %%", change.relative * 100) : "—")
                html += "</td><td>\(change.verdict.rawValue)</td></tr>\n"
            }
            html += "</tbody></table></div>\n"
        }
        if !comparison.unmatched.isEmpty {
            html += "<p class=\"meta\">In one run only: "
            html += comparison.unmatched.map(Self.escaped).joined(separator: "; ") + ".</p>\n"
        }
        return html + "</section>\n"
    }

    /// A compared figure in its unit: seconds as durations, bytes in MiB, the rest as numbers.
    private static func figure(_ value: Double, _ metric: String) -> String {
        if metric.hasSuffix("_seconds") { return DurationFormat.human(value) }
        if metric.hasSuffix("_bytes") { return String(format: "%.1f MiB", value / 1_048_576) }
        if metric == "correct" { return value == 1 ? "yes" : "no" }
        return String(format: "%g", value)
    }

    /// `text` as a POSIX shell reads it back: bare when it is safe, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:@%+")
        guard text.isEmpty || !text.allSatisfy(safe.contains) else { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
