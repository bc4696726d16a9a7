import Foundation

/// CPU time of this process, from `getrusage(RUSAGE_SELF)`.
struct ResourceUsage: Sendable {
    var userSeconds: Double
    var systemSeconds: Double

    static func current() -> ResourceUsage {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return ResourceUsage(
            userSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        )
    }

    static func - (lhs: ResourceUsage, rhs: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            userSeconds: lhs.userSeconds - rhs.userSeconds,
            systemSeconds: lhs.systemSeconds - rhs.systemSeconds
        )
    }
}
