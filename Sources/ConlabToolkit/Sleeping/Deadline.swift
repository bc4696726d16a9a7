#if canImport(Glibc)
import ConlabCore
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time on the monotonic clock (`CLOCK_MONOTONIC`), in nanoseconds: what conlab's blocking
/// waits sleep until.
///
/// An absolute deadline, not a duration: a wait that is interrupted, or that starts late, still ends when
/// it was due, and a loop that serves many waits compares them without drift.
public struct Deadline: Sendable, Hashable, Comparable {
    /// Nanoseconds since the monotonic clock's origin.
    public var nanoseconds: Int64

    /// A deadline at `nanoseconds` on the monotonic clock.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// Now.
    @inline(__always)
    public static var now: Deadline {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Deadline(nanoseconds: Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec))
    }

    /// `duration` from now.
    public static func after(_ duration: Duration) -> Deadline { .now + duration }

    /// The deadline `duration` later, saturating at the clock's ends.
    ///
    /// Saturating, not wrapping: a wrapped deadline lies in the past, so a long wait would end at once and
    /// the next `now - deadline` would overflow.
    public static func + (deadline: Deadline, duration: Duration) -> Deadline {
        let (sum, overflow) = deadline.nanoseconds.addingReportingOverflow(duration.wholeNanoseconds)
        guard overflow else { return Deadline(nanoseconds: sum) }
        return Deadline(nanoseconds: duration < .zero ? .min : .max)
    }

    /// How far apart two deadlines are; exact for any two, as `Duration` holds 128 bits.
    public static func - (later: Deadline, earlier: Deadline) -> Duration {
        .nanoseconds(later.nanoseconds) - .nanoseconds(earlier.nanoseconds)
    }

    /// Earlier first.
    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The deadline as a `timespec`, for `clock_nanosleep(TIMER_ABSTIME)`.
    var absoluteTime: timespec {
        var time = timespec()
        time.tv_sec = time_t(nanoseconds / 1_000_000_000)
        time.tv_nsec = Int(nanoseconds % 1_000_000_000)
        return time
    }
}
