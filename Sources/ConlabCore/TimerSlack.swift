#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Linux lets the kernel delay a sleeping thread's wake-up by its "timer slack" (50 µs by default) to
/// batch wake-ups. conlab measures waits, so its threads ask for 1 ns instead: a 1 ms wait then lasts
/// 1 ms plus the wake-up latency, not plus up to 50 µs more. Threads inherit the slack of their creator.
public enum TimerSlack {
    /// Sets the calling thread's timer slack to 1 ns; does nothing where `/proc` does not allow it.
    public static func minimizeForCurrentThread() {
        #if os(Linux)
        // /proc/thread-self links to "<pid>/task/<tid>"; the per-thread knob lives at /proc/<tid>.
        var buffer = [CChar](repeating: 0, count: 64)
        let length = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard length > 0 else { return }
        let link = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let tid = link.split(separator: "/").last else { return }
        let fd = open("/proc/\(tid)/timerslack_ns", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = write(fd, "1", 1)
        close(fd)
        #endif
    }
}
