import ConlabCore

#if canImport(Glibc)
import ConlabToolkit
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How many threads this machine can start at once without trouble, and why: the default cap of the
/// thread strategy, derived from the system's limits so a big plan is refused instead of taking the
/// machine down.
struct ThreadLimits: Sendable, CustomStringConvertible {
    /// Each limit that applies, with its name and the threads it allows.
    var limits: [(name: String, threads: Int)]

    /// The smallest of the limits.
    var cap: Int { limits.map(\.threads).min() ?? 1024 }

    /// The limits of this machine.
    static func current() -> ThreadLimits {
        var limits: [(String, Int)] = []
        let running = ProcessMemory.read()?.threads ?? 0
        if let threadsMax = readInteger("/proc/sys/kernel/threads-max") {
            limits.append(("half of kernel.threads-max \(threadsMax)", threadsMax / 2 - running))
        }
        if let pidMax = readInteger("/proc/sys/kernel/pid_max") {
            limits.append(("half of kernel.pid_max \(pidMax)", pidMax / 2 - running))
        }
        if let maps = readInteger("/proc/sys/vm/max_map_count") {
            // Each thread maps its stack and a guard page; leave half the map budget to everything else.
            limits.append(("a quarter of vm.max_map_count \(maps)", maps / 4))
        }
        var processes = rlimit()
        if getrlimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue), &processes) == 0, processes.rlim_cur != rlim_t.max {
            limits.append(("RLIMIT_NPROC \(processes.rlim_cur)", Int(processes.rlim_cur) / 2))
        }
        let memory = Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE)))
        // A blocked thread commits a few pages of stack plus kernel structures: budget 64 KiB, and use at
        // most half the memory for them; its full stack is only reserved, not committed.
        let committed = 64 * 1024
        limits.append(
            (
                "half of \(memory >> 20) MiB memory at \(committed >> 10) KiB committed per thread",
                memory / 2 / committed
            )
        )
        return ThreadLimits(limits: limits.map { ($0.0, max(1, $0.1)) })
    }

    /// `8191 (the smallest of: ...)`.
    var description: String {
        "\(cap), the smallest of: " + limits.map { "\($0.threads) (\($0.name))" }.joined(separator: ", ")
    }

    private static func readInteger(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return Int(String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n").first ?? "")
    }
}
