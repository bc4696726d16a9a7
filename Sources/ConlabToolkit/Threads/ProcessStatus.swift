#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `/proc/self/status` held open, read again from its start for every reading: for a sampler that takes
/// one every few milliseconds.
///
/// The kernel renders the file afresh whenever it is read from offset 0. Reopening it for each reading
/// (open, two reads, close) cost 13.8–17.0 µs here against 8.2 µs for one `pread` of the open file
/// (`bench/probes/proc_read.c 10`), and the resource sampler took 3.5 % of a core at one reading every 2 ms
/// (BENCHMARKS.md, seventeenth session).
public struct ProcessStatus: ~Copyable {
    private let descriptor: Int32

    /// Opens the file; `nil` where `/proc` is not available.
    public init?() {
        descriptor = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
    }

    deinit {
        close(descriptor)
    }

    /// The process's threads and resident memory now, or `nil` when the file cannot be read.
    public func read() -> ProcessMemory.Reading? {
        withText { ProcessMemory.reading(in: $0) }
    }

    /// The kernel's resident high-water mark (`VmHWM`) in bytes, or `nil` when the file cannot be read.
    public func highWaterMarkBytes() -> Int? {
        withText { ProcessMemory.highWaterMarkBytes(in: $0) }
    }

    /// Runs `body` on the file's text as the kernel renders it now.
    private func withText<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result?) -> Result? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer -> Result? in
            // The whole file in one call: it is under 2 KiB, and a read that fills the buffer would need more.
            let count = pread(descriptor, buffer.baseAddress!, buffer.count, 0)
            guard count > 0, count < buffer.count else { return nil }
            return body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
