#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's thread count and resident memory, read from `/proc/self/status` (Linux).
///
/// Not `/proc/self/stat`: that one adds up the CPU time of every thread under the process's signal lock,
/// which with thousands of threads made the sampler slow down the very `clone`s it was watching.
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
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer -> Reading? in
            var filled = 0
            while filled < buffer.count {
                let count = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if count <= 0 { break }
                filled += count
            }
            let text = UnsafeBufferPointer(rebasing: buffer[..<filled])
            guard let threads = field("Threads:", in: text), let kibibytes = field("VmRSS:", in: text) else {
                return nil
            }
            return Reading(threads: threads, residentBytes: kibibytes * 1024)
        }
    }

    /// The number after `name` at the start of a line of `text` (`VmRSS:\t  1234 kB` gives 1234).
    private static func field(_ name: StaticString, in text: UnsafeBufferPointer<UInt8>) -> Int? {
        let key = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var lineStart = 0
        while lineStart + key.count <= text.count {
            if text[lineStart..<(lineStart + key.count)].elementsEqual(key) {
                var value = 0
                var digits = 0
                var index = lineStart + key.count
                while index < text.count, text[index] != UInt8(ascii: "\n") {
                    let byte = text[index]
                    if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                        value = value * 10 + Int(byte - UInt8(ascii: "0"))
                        digits += 1
                    } else if digits > 0 {
                        break
                    }
                    index += 1
                }
                return digits > 0 ? value : nil
            }
            guard let newline = text[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            lineStart = newline + 1
        }
        return nil
    }
}
