#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's thread count and resident memory, read from `/proc/self/stat` (Linux).
public enum ProcessMemory {
    /// A reading.
    public struct Reading: Sendable, Hashable {
        /// Threads of the process.
        public var threads: Int
        /// Resident set size in bytes.
        public var residentBytes: Int
    }

    /// The current reading, or `nil` where `/proc` is not available.
    public static func read() -> Reading? {
        let fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis:
        // num_threads is field 20 and rss (in pages) field 24.
        guard let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(close + 2)..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 21, let threads = Int(String(decoding: fields[17], as: UTF8.self)),
            let pages = Int(String(decoding: fields[21], as: UTF8.self))
        else { return nil }
        return Reading(threads: threads, residentBytes: pages * Int(sysconf(Int32(_SC_PAGESIZE))))
    }
}
