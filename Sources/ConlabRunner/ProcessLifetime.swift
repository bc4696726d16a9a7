import Foundation

/// How long this process has existed, counted as `/usr/bin/time` counts it: from the kernel's record of
/// its start (`/proc/self/stat`, field 22, in clock ticks since boot) to now on the same clock
/// (`CLOCK_BOOTTIME`). Resolution: one clock tick, 10 ms on Linux.
public enum ProcessLifetime {
    /// Seconds since the process started; `nil` where `/proc` does not say.
    public static func seconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            // The command name (field 2) is in parentheses and may hold spaces: fields count from after it.
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the name come field 3 (state) onwards, so field 22 is at offset 19.
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        var now = timespec()
        guard ticksPerSecond > 0, clock_gettime(CLOCK_BOOTTIME, &now) == 0 else { return nil }
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 - ticks / ticksPerSecond
    }
}
