import Foundation

/// Wall-clock timestamps for log lines: RFC 3339, UTC, microseconds.
public enum Timestamp {
    /// `2026-11-24T23:24:20.123456Z`.
    public static func now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
            + ".\(pad(Int32(now.tv_nsec / 1000), 6))Z"
    }

    /// `20261124-232420`, for log file names.
    public static func compact() -> String {
        let stamp = now()
        return stamp.prefix(10).filter { $0 != "-" } + "-" + stamp.dropFirst(11).prefix(8).filter { $0 != ":" }
    }
}
