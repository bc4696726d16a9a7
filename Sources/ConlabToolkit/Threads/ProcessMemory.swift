import CLinux

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
    /// The machine's physical memory in bytes (`_SC_PHYS_PAGES` pages), from which limits on a run's size are
    /// derived.
    // getpagesize(), not sysconf(_SC_PAGESIZE): naming _SC_PAGESIZE here too made the release (whole-module)
    // build stop finding it in ThreadStacks.swift (Swift 6.3.1).
    public static var physicalBytes: Int {
        Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(getpagesize())
    }

    /// A reading.
    public struct Reading: Sendable, Hashable {
        /// Threads of the process.
        public var threads: Int
        /// Resident set size in bytes.
        public var residentBytes: Int
    }

    /// Starts a fresh peak: hands the heap's free memory back to the kernel, then resets the kernel's
    /// resident high-water mark (`VmHWM`) to the current resident size. `false` when the mark could not be
    /// reset (no `/proc`, or `clear_refs` not writable), and ``highWaterMarkBytes()`` is then not this
    /// peak's.
    ///
    /// Without the release, memory an earlier run freed stays resident in the allocator's free lists and
    /// every later peak starts from it: a 23 MB run read 63 MB after a heavy one. The first call also fixes
    /// the allocator's mmap and trim thresholds at 1 MiB, so that large blocks go back to the kernel when
    /// freed rather than staying as the free top of a thread's arena, which no trim reaches.
    @discardableResult
    public static func startPeak() -> Bool {
        _ = allocatorThresholdsFixed
        _ = clinux_release_free_memory()
        // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
        let fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// Settles the allocator for measured peaks; call it first thing in `main`, before other threads exist.
    ///
    /// Fixes the thresholds ``startPeak()`` relies on, and caps glibc's malloc arenas at the number of cores
    /// (at least 2). Left at glibc's 8 per core, the threads of a thread-heavy run spread their allocations
    /// over up to 16 arenas, and what stays resident in them (`malloc_trim` does not trim the free top of a
    /// thread's arena) counted in every later run's peak: in `conlab run scenarios/` the glider read 30.6 MB
    /// against 24.7 MB alone (+24 %); with the cap, 27.3 MB against 25.0 MB (+9 %), and the catalog's peaks
    /// fell by 8 % (median). The million-cell loop took the same time with it (wall ratio 1.00, CPU 1.02).
    public static func settleAllocator() {
        _ = allocatorSettled
    }

    /// Done once: the arena cap only holds for arenas made after it.
    private static let allocatorSettled: Void = {
        clinux_limit_allocator_arenas(Int32(max(2, sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        _ = allocatorThresholdsFixed
    }()

    /// Fixed once, before the first peak: with glibc's sliding thresholds, the 9 MB a loop of a 300×300 grid
    /// freed stayed resident as its arena's top, and counted in every later run's peak.
    private static let allocatorThresholdsFixed: Void = clinux_fix_allocator_thresholds(1 << 20)

    /// The kernel's resident high-water mark (`VmHWM`) in bytes, or 0 where it cannot be read.
    public static func highWaterMarkBytes() -> Int {
        ProcessStatus()?.highWaterMarkBytes() ?? 0
    }

    /// `VmHWM` in bytes in the text of `/proc/self/status`, 0 when it is not there.
    static func highWaterMarkBytes(in text: UnsafeBufferPointer<UInt8>) -> Int {
        (field("VmHWM:", in: text) ?? 0) * 1024
    }

    /// The current reading, or `nil` where `/proc` is not available.
    public static func read() -> Reading? {
        ProcessStatus()?.read()
    }

    /// The thread count and resident size in the text of `/proc/self/status`.
    static func reading(in text: UnsafeBufferPointer<UInt8>) -> Reading? {
        guard let threads = field("Threads:", in: text), let kibibytes = field("VmRSS:", in: text) else {
            return nil
        }
        return Reading(threads: threads, residentBytes: kibibytes * 1024)
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
