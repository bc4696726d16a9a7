#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocks the calling thread in the kernel, the way a thread blocked on a socket waits.
public enum BlockingSleep {
    /// Sleeps until `duration` has passed on the monotonic clock.
    ///
    /// Uses an absolute deadline with `clock_nanosleep(TIMER_ABSTIME)`, so a signal that interrupts the
    /// sleep does not stretch it, and restarts after `EINTR`.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public static func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int(deadline.tv_nsec) + Int(attoseconds / 1_000_000_000)
        deadline.tv_sec += time_t(seconds) + time_t(nanoseconds / 1_000_000_000)
        deadline.tv_nsec = Int(nanoseconds % 1_000_000_000)
        #if canImport(Darwin)
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        var remaining = timespec(tv_sec: deadline.tv_sec - now.tv_sec, tv_nsec: deadline.tv_nsec - now.tv_nsec)
        if remaining.tv_nsec < 0 {
            remaining.tv_sec -= 1
            remaining.tv_nsec += 1_000_000_000
        }
        while nanosleep(&remaining, &remaining) == -1 && errno == EINTR {}
        #else
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
        #endif
    }
}
