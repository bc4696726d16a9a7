public import Foundation

/// One line of the structured log: the envelope every line carries (`schema`, `event`, `time`) and the
/// event, whose fields sit next to the envelope's in the same flat JSON object.
public struct LogRecord: Sendable, Equatable, Encodable {
    /// The schema this conlab writes and reads.
    public static let schema = "conlab.v1"

    /// When the line was written: RFC 3339, UTC, microseconds.
    public var time: String
    /// The event.
    public var event: LogEvent

    /// Creates a line for `event` written at `time`.
    public init(event: LogEvent, time: String) {
        self.event = event
        self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case schema, event, time
    }

    /// The envelope's keys, then the event's own fields, flat.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schema, forKey: .schema)
        try container.encode(event.name, forKey: .event)
        try container.encode(time, forKey: .time)
        try event.encodeFields(to: encoder)
    }

    /// The line as the log holds it: keys sorted, slashes not escaped, ending in a newline.
    public func jsonLine() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + [0x0A]
    }
}
