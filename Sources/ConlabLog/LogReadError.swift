/// A log that could not be read: the file, the line (from 1) where one is to blame, and what is wrong.
public struct LogReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The log's path.
    public var file: String
    /// The line, from 1; `nil` when the file itself could not be read.
    public var line: Int?
    /// What is wrong, e.g. `no wall_seconds field`.
    public var reason: String

    /// Creates an error.
    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `run.jsonl:3: no wall_seconds field`.
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }

    /// A reason found while decoding a line, before its number is known.
    struct Reason: Error, CustomStringConvertible {
        var description: String
    }
}
