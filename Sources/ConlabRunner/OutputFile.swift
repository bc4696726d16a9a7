import ConlabCore

#if canImport(Glibc)
import ConlabIO
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file a command writes whole once it has finished — a trace, a report — opened when the command starts.
///
/// Opening first refuses a path that can never be written (a missing folder, a directory, no permission)
/// before a run that may last minutes, instead of after it; a write that fails at the end (a full disk)
/// is still reported, with the error number's text, never a trap. An existing file keeps its contents
/// until ``write(_:)`` replaces them, so a run stopped before its end does not leave it cut short.
public final class OutputFile: Sendable {
    /// The file could not be opened or written.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What the file is, as a message names it: `the trace`.
        public var what: String
        /// Its path.
        public var path: String
        /// The error number.
        public var code: Int32

        /// `cannot write the trace out/run.json: No such file or directory`.
        public var description: String { "cannot write \(what) \(path): \(String(cString: strerror(code)))" }
    }

    /// The path, as given.
    public let path: String
    /// What the file is, for messages: `the trace`.
    public let what: String
    private let descriptor: Int32

    /// Opens (creating it if needed, never truncating) `path` for writing.
    public init(_ path: String, what: String) throws(Failure) {
        self.path = path
        self.what = what
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(what: what, path: path, code: errno) }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Replaces the file's contents with `text`. Call it once.
    public func write(_ text: String) throws(Failure) {
        // A regular file loses what it held before; a device or a pipe (/dev/stdout) has nothing to cut.
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, ftruncate(descriptor, 0) != 0 {
            throw Failure(what: what, path: path, code: errno)
        }
        if let code = DescriptorWriter.write(text, to: descriptor) { throw Failure(what: what, path: path, code: code) }
    }
}
