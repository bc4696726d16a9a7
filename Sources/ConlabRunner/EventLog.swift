import ConlabCore
import ConlabIO
public import ConlabLog
import Foundation
import Synchronization

/// The structured log: JSON Lines, one ``LogEvent`` per line (a ``LogRecord``), each written and flushed as it happens.
///
/// Every line goes out in a single `write(2)` of the whole line (``DescriptorWriter``), so a run killed
/// midway leaves a valid file up to its last full line and keeps every result already written. A line
/// that cannot be written is counted in ``writeFailure``, never a trap or a signal.
public final class EventLog: RunEventSink {
    /// Where events go.
    public enum Destination: Sendable, Hashable {
        /// A file, created (with its folders) or truncated.
        case file(String)
        /// Standard output.
        case standardOutput
        /// Nowhere (tests).
        case discard
    }

    private let descriptor: Int32?
    private let closeOnDeinit: Bool
    private let failure = Mutex<LogWriteFailure?>(nil)
    /// The path written to, for messages.
    public let path: String?

    /// Events that could not be written since the log was opened (a full disk, a reader that went away), or
    /// `nil` when every line went out whole. A run reports it and fails: its log is not the whole record.
    public var writeFailure: LogWriteFailure? { failure.withLock { $0 } }

    /// Opens the log.
    public init(_ destination: Destination) throws {
        switch destination {
        case .discard:
            descriptor = nil
            closeOnDeinit = false
            path = nil
        case .standardOutput:
            descriptor = STDOUT_FILENO
            closeOnDeinit = false
            path = "-"
        case .file(let file):
            let folder = (file as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw LogError(path: file, code: EACCES, reason: "cannot create its folder \(folder)")
                }
            }
            let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw LogError(path: file, code: errno) }
            descriptor = fd
            closeOnDeinit = true
            path = file
        }
    }

    deinit {
        if closeOnDeinit, let descriptor { close(descriptor) }
    }

    /// Writes the log's events of the run's stream; the rest is for other sinks.
    public func receive(_ event: RunEvent) {
        if case .log(let event) = event { write(event) }
    }

    /// Writes one event as one line.
    public func write(_ event: LogEvent) {
        guard let descriptor else { return }
        let line: Data
        do {
            line = try LogRecord(event: event, time: Timestamp.now()).jsonLine()
        } catch {
            preconditionFailure("log events are plain values and always encode: \(error)")
        }
        let code = line.withUnsafeBytes { DescriptorWriter.write($0, to: descriptor) }
        if let code {
            failure.withLock { failure in
                // The first cause is the one to report; later ones are usually the same.
                let lost = (failure?.lostEvents ?? 0) + 1
                failure = LogWriteFailure(path: path ?? "", code: failure?.code ?? code, lostEvents: lost)
            }
        }
    }
}

/// Lines of the log that did not reach it.
public struct LogWriteFailure: Sendable, Hashable, CustomStringConvertible {
    /// The log's path (`-` for standard output).
    public var path: String
    /// The error number of the first failed write.
    public var code: Int32
    /// How many events were lost (a line cut short counts as lost).
    public var lostEvents: Int

    /// `cannot write the log run.jsonl: No space left on device (3 events lost)`.
    public var description: String {
        "cannot write the log \(path): \(String(cString: strerror(code))) "
            + "(\(lostEvents) event\(lostEvents == 1 ? "" : "s") lost)"
    }
}

/// The log file could not be opened.
public struct LogError: Error, Sendable, CustomStringConvertible {
    /// The path.
    public var path: String
    /// The error number.
    public var code: Int32
    /// What went wrong, when more is known than the error number.
    public var reason: String?

    /// Creates an error.
    public init(path: String, code: Int32, reason: String? = nil) {
        self.path = path
        self.code = code
        self.reason = reason
    }

    /// What happened.
    public var description: String { "cannot open log file \(path): \(reason ?? String(cString: strerror(code)))" }
}
