import Foundation

/// Reads a conlab log the way a consumer would, checking every line against the documented schema.
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
    public static func events(at path: String) throws -> [[String: Any]] {
        try events(in: String(contentsOfFile: path, encoding: .utf8))
    }

    /// Every event in JSON Lines `text`.
    public static func events(in text: String) throws -> [[String: Any]] {
        let validator = try LogSchemaValidator()
        return try text.split(separator: "\n").map { line in
            let problems = validator.problems(of: String(line))
            guard problems.isEmpty,
                let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else { throw InvalidLine(line: String(line), problems: problems) }
            return event
        }
    }

    /// The events named `name`.
    public static func events(_ name: String, at path: String) throws -> [[String: Any]] {
        try events(at: path).filter { $0["event"] as? String == name }
    }
}
