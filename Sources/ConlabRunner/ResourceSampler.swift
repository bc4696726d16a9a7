import ConlabCore
import Foundation
import Synchronization

/// Samples this process's thread count and resident memory on a thread of its own while a strategy runs.
///
/// Peaks that live shorter than the interval can be missed; the peak RSS also comes from the kernel's
/// high-water mark (`VmHWM`, reset through `/proc/self/clear_refs` where allowed), which misses nothing.
final class ResourceSampler: Sendable {
    private let state = Mutex(State())
    private let stop = CancellationFlag()
    private let interval: Duration
    private let resetHighWaterMark: Bool

    private struct State {
        var peakThreads = 0
        var peakRSSBytes = 0
        var thread: OSThread?
    }

    init(interval: Duration = .milliseconds(2)) {
        self.interval = interval
        // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
        resetHighWaterMark =
            FileManager.default.isWritableFile(atPath: "/proc/self/clear_refs")
            && (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
    }

    func start() throws {
        sample()
        let thread = try OSThread.spawn(name: "conlab-sampler", stackSize: 256 * 1024) { [self] in
            while !stop.isRaised {
                BlockingSleep.sleep(for: interval)
                sample()
            }
        }
        state.withLock { $0.thread = thread }
    }

    /// Stops sampling and returns the peaks.
    func finish() -> (threads: Int, rssBytes: Int) {
        stop.raise()
        if let thread = state.withLock({ $0.thread }) { thread.join() }
        sample()
        let highWaterMark = resetHighWaterMark ? Self.highWaterMarkBytes() : 0
        // The sampler's own thread is not the strategy's.
        return state.withLock { (max(1, $0.peakThreads - 1), max($0.peakRSSBytes, highWaterMark)) }
    }

    private func sample() {
        guard let (threads, rss) = Self.read() else { return }
        state.withLock {
            $0.peakThreads = max($0.peakThreads, threads)
            $0.peakRSSBytes = max($0.peakRSSBytes, rss)
        }
    }

    /// Thread count and RSS from `/proc/self/stat` (fields 20 and 24).
    private static func read() -> (Int, Int)? {
        let fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis.
        guard let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(close + 2)..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 21, let threads = Int(String(decoding: fields[17], as: UTF8.self)),
            let pages = Int(String(decoding: fields[21], as: UTF8.self))
        else { return nil }
        return (threads, pages * Int(sysconf(Int32(_SC_PAGESIZE))))
    }

    private static func highWaterMarkBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}
