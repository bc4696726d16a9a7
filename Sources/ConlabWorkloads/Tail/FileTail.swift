import ConlabCore

#if canImport(Glibc)
import ConlabIO
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads the lines appended to a file since the last read (the book's `readline`, which raises
/// `NoNewData` when the file has not grown): complete lines only, a partial one kept for next time.
final class FileTail {
    /// Held, not owned: the file stays open while it is read, and its writer's offset is not moved.
    private let file: AnonymousFile
    private var offset: off_t = 0
    private var partial: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 65536)

    /// Reads `file` from its start.
    init(_ file: AnonymousFile) {
        self.file = file
    }

    /// The complete lines written since the last call; empty when the file has not grown.
    func newLines() throws(LoopbackSocket.Failure) -> [String] {
        var lines: [String] = []
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LoopbackSocket.Failure("pread", code: errno)
            }
            guard count > 0 else { return lines }
            offset += off_t(count)
            var start = 0
            for index in 0..<count where chunk[index] == UInt8(ascii: "\n") {
                partial += chunk[start..<index]
                lines.append(String(decoding: partial, as: UTF8.self))
                partial.removeAll(keepingCapacity: true)
                start = index + 1
            }
            partial += chunk[start..<count]
        }
    }
}
