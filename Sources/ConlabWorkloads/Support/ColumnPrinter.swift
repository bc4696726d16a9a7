/// Prints frames side by side exactly as the seed's `ColumnPrinter` does, numbers on top.
public struct ColumnPrinter: Sendable {
    /// The frames, each a block of newline-terminated lines.
    public private(set) var columns: [String] = []

    /// An empty printer.
    public init() {}

    /// Adds a frame.
    public mutating func append(_ frame: String) { columns.append(frame) }

    /// The seed's `__str__`: a header row of centred indices, then each line of every frame, joined by ` | `.
    public var rendered: String {
        let lines = columns.map { $0.split(separator: "\n", omittingEmptySubsequences: false).dropLastIfEmpty() }
        let rowCount = lines.reduce(1) { max($0, $1.count + 1) }
        var rows: [String] = []
        for j in 0..<rowCount {
            var row = ""
            for (i, frame) in lines.enumerated() {
                let line = frame.isEmpty ? "" : String(frame[min(max(0, j - 1), frame.count - 1)])
                if j == 0 {
                    let padding = String(repeating: " ", count: line.count / 2)
                    row += padding + String(i) + padding
                } else {
                    row += line
                }
                if i + 1 < lines.count { row += " | " }
            }
            rows.append(row)
        }
        return rows.joined(separator: "\n")
    }
}

extension Array where Element == Substring {
    /// Python's `splitlines()` drops the empty string after a final newline; so does this.
    fileprivate func dropLastIfEmpty() -> [Substring] {
        last == "" ? Array(dropLast()) : self
    }
}
