import Foundation

/// CPU time and context switches of this process (`getrusage(RUSAGE_SELF)`), and CPU time of its reaped
/// children (`RUSAGE_CHILDREN`).
struct ResourceUsage: Sendable {
    var userSeconds: Double
    var systemSeconds: Double
    /// Worker processes and subprocess jobs, once reaped.
    var childUserSeconds: Double
    var childSystemSeconds: Double
    /// Times a thread gave up the CPU to wait (a blocking call, a sleep, a lock).
    var voluntarySwitches: Int
    /// Times a thread was preempted while it could still run.
    var involuntarySwitches: Int

    static func current() -> ResourceUsage {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        var children = rusage()
        getrusage(Int32(RUSAGE_CHILDREN.rawValue), &children)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return ResourceUsage(
            userSeconds: seconds(usage.ru_utime),
            systemSeconds: seconds(usage.ru_stime),
            childUserSeconds: seconds(children.ru_utime),
            childSystemSeconds: seconds(children.ru_stime),
            voluntarySwitches: usage.ru_nvcsw,
            involuntarySwitches: usage.ru_nivcsw
        )
    }

    static func - (lhs: ResourceUsage, rhs: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            userSeconds: lhs.userSeconds - rhs.userSeconds,
            systemSeconds: lhs.systemSeconds - rhs.systemSeconds,
            childUserSeconds: lhs.childUserSeconds - rhs.childUserSeconds,
            childSystemSeconds: lhs.childSystemSeconds - rhs.childSystemSeconds,
            voluntarySwitches: lhs.voluntarySwitches - rhs.voluntarySwitches,
            involuntarySwitches: lhs.involuntarySwitches - rhs.involuntarySwitches
        )
    }
}
