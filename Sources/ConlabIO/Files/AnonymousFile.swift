import CLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A temporary file with no name, in `$TMPDIR` (or `/tmp`): the kernel frees it when its last descriptor
/// closes, so no way out of the process — an error, a timeout, Ctrl-C, `kill -9` — can leave it behind.
///
/// It is made with `O_TMPFILE`; on a file system without it, it is made and unlinked at once, so its name
/// exists for the time between two system calls. The descriptor is open for reading and writing, closed
/// on exec, and closed when the value is released. Writers may `write(2)` to it (one shared offset);
/// readers use `pread(2)` at offsets of their own, which never move that offset.
///
/// ```swift
/// let file = try AnonymousFile()
/// _ = write(file.descriptor, "line\n", 5)
/// let text = String(decoding: try file.contents(), as: UTF8.self)
/// ```
public final class AnonymousFile: Sendable {
    /// The open descriptor; valid for as long as this value lives.
    public let descriptor: Int32

    /// The folder temporary files go to: `$TMPDIR` when it is set and not empty, else `/tmp`.
    public static var temporaryFolder: String {
        guard let value = getenv("TMPDIR"), value.pointee != 0 else { return "/tmp" }
        return String(cString: value)
    }

    /// Makes an empty anonymous file in `folder`.
    ///
    /// - Throws: the failed call and its `errno`: a folder that does not exist or cannot be written, no
    ///   descriptors left.
    public init(in folder: String = AnonymousFile.temporaryFolder) throws(LoopbackSocket.Failure) {
        let descriptor = clinux_anonymous_file(folder)
        guard descriptor >= 0 else { throw LoopbackSocket.Failure("a temporary file in \(folder)", code: errno) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Everything written to the file so far, read from its start.
    public func contents() throws(LoopbackSocket.Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(bytes.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LoopbackSocket.Failure("pread", code: errno)
            }
            guard count > 0 else { return bytes }
            bytes += chunk[0..<count]
        }
    }
}
