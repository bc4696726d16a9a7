public import ConlabLog
import Foundation

/// Reads a conlab log the way a consumer would, through ``LogReader``, after checking every line against
/// the documented schema (`docs/log-schema.json`), which the typed reader alone would not: it skips
/// fields it does not know.
public enum LogFile {
    /// A log line that does not match `docs/log-schema.json`.
    public struct InvalidLine: Error, CustomStringConvertible {
        /// The line.
        public var line: String
        /// What is wrong with it.
        public var problems: [String]
        /// Both.
        public var description: String { "\(problems): \(line)" }
    }

    /// Every event in the log at `path`, in order; throws on the first line that breaks the schema.
    public static func events(at path: String) throws -> [LogEvent] {
        try events(in: String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    /// Every event in JSON Lines `text`; `file` names it in errors.
    public static func events(in text: String, file: String = "standard output") throws -> [LogEvent] {
        let validator = try LogSchemaValidator()
        for line in text.split(separator: "\n") {
            let problems = validator.problems(of: String(line))
            guard problems.isEmpty else { throw InvalidLine(line: String(line), problems: problems) }
        }
        return try LogReader.records(in: Data(text.utf8), file: file).map(\.event)
    }

    /// The `result` events of the log at `path`, in order.
    public static func results(at path: String) throws -> [RunResult] {
        try events(at: path).compactMap(\.result)
    }

    /// The log's `run_finished` event, or `nil` when the run did not get to write it.
    public static func runFinished(at path: String) throws -> RunFinished? {
        try events(at: path).last?.runFinished
    }
}
