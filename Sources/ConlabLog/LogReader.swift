public import Foundation

/// Reads a structured log back into the typed events `conlab run` wrote: the one reader behind `report`,
/// `compare`, the test support and the end-to-end tests.
///
/// As `docs/log-schema.md` asks of readers, an event this reader does not know is skipped, and so is a
/// field it does not know: a newer `conlab.v1` may add either. A line of another schema, or one that is
/// not a `conlab.v1` event, stops the reading with an error naming the file and line. A last line without
/// its newline that is not JSON is a line cut short by a run killed while writing it, and is left out: the
/// file holds every event up to it.
///
/// ```swift
/// let results = try LogReader.events(atPath: "run.jsonl").compactMap(\.result)
/// ```
public enum LogReader {
    /// Every event of the log at `path`, in order.
    public static func events(atPath path: String) throws(LogReadError) -> [LogEvent] {
        try records(atPath: path).map(\.event)
    }

    /// Every line of the log at `path`, in order, with its time.
    public static func records(atPath path: String) throws(LogReadError) -> [LogRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LogReadError(file: path, line: nil, reason: "cannot be read")
        }
        return try records(in: data, file: path)
    }

    /// Every line of the JSON Lines `data`, in order; `file` names it in errors.
    public static func records(in data: Data, file: String) throws(LogReadError) -> [LogRecord] {
        let decoder = JSONDecoder()
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var records: [LogRecord] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            let cutShort = index == lines.count - 1
            do {
                if let record = try decoder.decode(Line.self, from: Data(line)).record { records.append(record) }
            } catch let error as DecodingError {
                if cutShort, case .dataCorrupted(let context) = error, context.codingPath.isEmpty { break }
                throw LogReadError(file: file, line: index + 1, reason: Self.reason(error))
            } catch let error as LogReadError.Reason {
                throw LogReadError(file: file, line: index + 1, reason: error.description)
            } catch {
                throw LogReadError(file: file, line: index + 1, reason: "\(error)")
            }
        }
        return records
    }

    /// One line: the envelope, checked, then the event if this reader knows it.
    private struct Line: Decodable {
        let record: LogRecord?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: LogRecord.CodingKeys.self)
            let schema = try container.decode(String.self, forKey: .schema)
            guard schema == LogRecord.schema else {
                throw LogReadError.Reason(
                    description: "schema \(schema): this conlab reads \(LogRecord.schema) logs only"
                )
            }
            let name = try container.decode(String.self, forKey: .event)
            let time = try container.decode(String.self, forKey: .time)
            record = try LogEvent(named: name, from: decoder).map { LogRecord(event: $0, time: time) }
        }
    }

    /// What is wrong with a line, in the log's own terms: field names as the log spells them.
    private static func reason(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }
                .description
        }
        switch error {
        case .keyNotFound(let key, let context):
            if context.codingPath.isEmpty && (key.stringValue == "schema" || key.stringValue == "event") {
                return "no \(key.stringValue) field: not a conlab log"
            }
            return "no \(field(context.codingPath + [key])) field"
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return "not a JSON object: not a conlab log" }
            return "\(field(context.codingPath)) is not \(description(of: type))"
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath)) is null, where \(description(of: type)) belongs"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not a JSON object: not a conlab log" }
            return "\(field(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func description(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is UInt64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}
