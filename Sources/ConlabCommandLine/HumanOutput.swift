import ConlabCore
import ConlabIO
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Text for people, on standard output and standard error.
///
/// Written with ``DescriptorWriter``, so a stream that cannot be written — closed (`2>&-`), on a full
/// disk, a pipe whose reader has gone — never traps or kills conlab. The first such failure is kept: a
/// command that otherwise succeeded then says so on standard error and exits 1 (``Conlab/main()``), as a
/// run whose log lost events does; a command that failed keeps its own exit status.
enum HumanOutput {
    /// One of the two streams.
    enum Stream: Sendable, Hashable {
        case standardOutput
        case standardError

        var descriptor: Int32 { self == .standardOutput ? STDOUT_FILENO : STDERR_FILENO }
    }

    /// A write that did not go out whole.
    struct Failure: Sendable, Hashable, CustomStringConvertible {
        /// The stream.
        var stream: Stream
        /// Its error number.
        var code: Int32

        /// `cannot write standard output: Broken pipe`.
        var description: String {
            "cannot write \(stream == .standardOutput ? "standard output" : "standard error"): "
                + String(cString: strerror(code))
        }
    }

    private static let firstFailure = Mutex<Failure?>(nil)

    /// The first write to either stream that failed, or `nil` while every one went out whole.
    static var failure: Failure? { firstFailure.withLock { $0 } }

    /// Writes `text` as it is (no newline added) to `stream`, keeping the first failure.
    static func write(_ text: String, to stream: Stream) {
        guard let code = DescriptorWriter.write(text, to: stream.descriptor) else { return }
        firstFailure.withLock { failure in
            if failure == nil { failure = Failure(stream: stream, code: code) }
        }
    }

    /// Keeps descriptors 0, 1 and 2 taken, before conlab opens anything.
    ///
    /// One that the parent closed (`2>&-`) would otherwise be the next descriptor conlab opens — the signal
    /// pipe, the log — and text for people would be written into it. `/dev/null` opened for reading takes
    /// its place: a write to it fails with EBADF, exactly as one to the closed descriptor would.
    static func reserveStandardDescriptors() {
        for descriptor in Int32(0)...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let placeholder = open("/dev/null", O_RDONLY)
            // The lowest free descriptor is this one, as those below it are open; dup2 in case it is not.
            if placeholder >= 0 && placeholder != descriptor {
                dup2(placeholder, descriptor)
                close(placeholder)
            }
        }
    }
}
